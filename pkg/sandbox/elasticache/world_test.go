package elasticache

import (
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

// fakeEC2 is an EC2 state with fixed subnets and security groups.
type fakeEC2 struct{}

func (fakeEC2) LookupSubnet(_, id string) (string, string, bool) {
	s, ok := map[string][2]string{"subnet-a": {"vpc-1", "eu-west-1a"}, "subnet-b": {"vpc-1", "eu-west-1b"},
		"subnet-c": {"vpc-1", "eu-west-1c"}, "subnet-x": {"vpc-2", "eu-west-1b"}}[id]
	return s[0], s[1], ok
}

func (fakeEC2) LookupSecurityGroup(_, id string) (string, bool) {
	vpc, ok := map[string]string{"sg-1": "vpc-1", "sg-2": "vpc-1", "sg-default": "vpc-1"}[id]
	return vpc, ok
}

func (fakeEC2) DefaultSecurityGroup(_, vpc string) (string, bool) {
	return "sg-default", vpc == "vpc-1"
}

// world is an api.World with ElastiCache and the fake EC2 on a clock the
// test moves.
type world struct {
	state *State
	now   time.Time
}

func (w *world) State(name string) any {
	if name == "ec2" {
		return fakeEC2{}
	}
	return w.state
}
func (w *world) Services() []string { return []string{"ec2", ServiceName} }
func (w *world) Settings() api.Settings {
	return api.Settings{CreateDelay: 10 * time.Second, DeleteDelay: 5 * time.Second}
}

// call ticks the state as the front end does and returns a call at now.
func (w *world) call() *api.Call {
	w.state.Tick(w.now, w.Settings())
	return &api.Call{Service: ServiceName, Region: "eu-west-1", AccountID: "123456789012", Now: w.now, World: w}
}

// wait moves the clock past every delay.
func (w *world) wait() { w.now = w.now.Add(time.Minute) }

func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{state: NewState(), now: time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC)}
	must(t, "subnet group", call(createCacheSubnetGroup, w, &elasticache.CreateCacheSubnetGroupInput{CacheSubnetGroupName: aws.String("redis"),
		CacheSubnetGroupDescription: aws.String("x"), SubnetIds: []string{"subnet-a", "subnet-b", "subnet-c"}}))
	for _, u := range [][2]string{{"kc-default", "default"}, {"kc-app", "app"}, {"kc-other", "other"}} {
		must(t, "user", call(createUser, w, &elasticache.CreateUserInput{UserId: aws.String(u[0]), UserName: aws.String(u[1]),
			Engine: aws.String("redis"), AccessString: aws.String("off -@all"), Passwords: []string{"0123456789abcdefgh"}}))
	}
	must(t, "user group", call(createUserGroup, w, &elasticache.CreateUserGroupInput{UserGroupId: aws.String("kc"),
		Engine: aws.String("redis"), UserIds: []string{"kc-default", "kc-app"}}))
	w.wait()
	return w
}

func call[I, O any](fn func(*api.Call, *I) (*O, error), w *world, in *I) error {
	_, err := fn(w.call(), in)
	return err
}

func must(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func code(err error) string {
	var e *api.Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err != nil {
		return err.Error()
	}
	return ""
}

func (w *world) group(t *testing.T, id string) *ReplicationGroup {
	t.Helper()
	w.call()
	g := w.state.Regions["eu-west-1"].Groups[id]
	if g == nil {
		t.Fatalf("replication group %s is gone", id)
	}
	return g
}

func (w *world) createGroup(t *testing.T, replicas int32) {
	t.Helper()
	must(t, "create group", call(createReplicationGroup, w, &elasticache.CreateReplicationGroupInput{ReplicationGroupId: aws.String("kc"),
		ReplicationGroupDescription: aws.String("x"), CacheSubnetGroupName: aws.String("redis"), ReplicasPerNodeGroup: aws.Int32(replicas),
		AutomaticFailoverEnabled: aws.Bool(replicas > 0), MultiAZEnabled: aws.Bool(replicas > 0), TransitEncryptionEnabled: aws.Bool(true),
		UserGroupIds: []string{"kc"}}))
}

func TestStatesFollowTheClock(t *testing.T) {
	w := newWorld(t)
	w.createGroup(t, 1)
	if got := code(call(modifyReplicationGroup, w, &elasticache.ModifyReplicationGroupInput{ReplicationGroupId: aws.String("kc"), CacheNodeType: aws.String("cache.r7g.large")})); got != codeGroupState {
		t.Errorf("modify while creating: %s, want %s", got, codeGroupState)
	}
	if got := code(call(deleteUserGroup, w, &elasticache.DeleteUserGroupInput{UserGroupId: aws.String("kc")})); got != codeUserGroupState {
		t.Errorf("delete a user group a creating group uses: %s, want %s", got, codeUserGroupState)
	}
	w.now = w.now.Add(9 * time.Second)
	if s := w.group(t, "kc").Status; s != statusCreating {
		t.Errorf("status before the create delay: %s", s)
	}
	w.now = w.now.Add(time.Second)
	if s := w.group(t, "kc").Status; s != statusAvailable {
		t.Errorf("status after the create delay: %s", s)
	}
	// Modifying holds the group for the create delay; a second change waits.
	must(t, "modify", call(modifyReplicationGroup, w, &elasticache.ModifyReplicationGroupInput{ReplicationGroupId: aws.String("kc"),
		CacheNodeType: aws.String("cache.r7g.large"), EngineVersion: aws.String("7.1"), SecurityGroupIds: []string{"sg-1"}}))
	if got := code(call(increaseReplicaCount, w, &elasticache.IncreaseReplicaCountInput{ReplicationGroupId: aws.String("kc"), ApplyImmediately: aws.Bool(true), NewReplicaCount: aws.Int32(2)})); got != codeGroupState {
		t.Errorf("increase while modifying: %s, want %s", got, codeGroupState)
	}
	w.wait()
	g := w.group(t, "kc")
	if g.Status != statusAvailable || g.NodeType != "cache.r7g.large" || !cmp.Equal(g.SecurityGroupIDs, []string{"sg-1"}) {
		t.Errorf("after modify: %s %s %v", g.Status, g.NodeType, g.SecurityGroupIDs)
	}
	must(t, "delete", call(deleteReplicationGroup, w, &elasticache.DeleteReplicationGroupInput{ReplicationGroupId: aws.String("kc")}))
	w.now = w.now.Add(4 * time.Second)
	if s := w.group(t, "kc").Status; s != statusDeleting {
		t.Errorf("status before the delete delay: %s", s)
	}
	if got := code(call(deleteUserGroup, w, &elasticache.DeleteUserGroupInput{UserGroupId: aws.String("kc")})); got != codeUserGroupState {
		t.Errorf("delete a user group a deleting group still uses: %s, want %s", got, codeUserGroupState)
	}
	w.now = w.now.Add(time.Second)
	w.call()
	if _, ok := w.state.Regions["eu-west-1"].Groups["kc"]; ok {
		t.Error("replication group still there after the delete delay")
	}
	must(t, "delete user group", call(deleteUserGroup, w, &elasticache.DeleteUserGroupInput{UserGroupId: aws.String("kc")}))
}

func TestReplicaCounts(t *testing.T) {
	w := newWorld(t)
	w.createGroup(t, 1)
	w.wait()
	if got := code(call(increaseReplicaCount, w, &elasticache.IncreaseReplicaCountInput{ReplicationGroupId: aws.String("kc"), ApplyImmediately: aws.Bool(true), NewReplicaCount: aws.Int32(1)})); got != codeNoOperation {
		t.Errorf("increase to the same count: %s, want %s", got, codeNoOperation)
	}
	if got := code(call(increaseReplicaCount, w, &elasticache.IncreaseReplicaCountInput{ReplicationGroupId: aws.String("kc"), ApplyImmediately: aws.Bool(true), NewReplicaCount: aws.Int32(6)})); got != codeInvalidValue {
		t.Errorf("increase past 5 replicas: %s, want %s", got, codeInvalidValue)
	}
	must(t, "increase", call(increaseReplicaCount, w, &elasticache.IncreaseReplicaCountInput{ReplicationGroupId: aws.String("kc"), ApplyImmediately: aws.Bool(true), NewReplicaCount: aws.Int32(2)}))
	g := w.group(t, "kc")
	if g.Status != statusModifying || len(g.Members) != 3 || g.Members[2].Status != statusCreating || g.Members[2].Zone != "eu-west-1c" {
		t.Errorf("after increase: %s, %d members, new one %+v", g.Status, len(g.Members), *g.Members[2])
	}
	w.wait()
	if got := code(call(decreaseReplicaCount, w, &elasticache.DecreaseReplicaCountInput{ReplicationGroupId: aws.String("kc"), ApplyImmediately: aws.Bool(true), NewReplicaCount: aws.Int32(0)})); got != codeInvalidCombination {
		t.Errorf("decrease to no replica with automatic failover: %s, want %s", got, codeInvalidCombination)
	}
	if got := code(call(decreaseReplicaCount, w, &elasticache.DecreaseReplicaCountInput{ReplicationGroupId: aws.String("kc"), ApplyImmediately: aws.Bool(true), ReplicasToRemove: []string{"kc-001"}})); got != codeInvalidValue {
		t.Errorf("remove the primary: %s, want %s", got, codeInvalidValue)
	}
	must(t, "decrease", call(decreaseReplicaCount, w, &elasticache.DecreaseReplicaCountInput{ReplicationGroupId: aws.String("kc"), ApplyImmediately: aws.Bool(true), ReplicasToRemove: []string{"kc-002"}}))
	w.wait()
	g = w.group(t, "kc")
	var ids []string
	for _, m := range g.Members {
		ids = append(ids, m.ID)
	}
	if g.Status != statusAvailable || !cmp.Equal(ids, []string{"kc-001", "kc-003"}) {
		t.Errorf("after decrease: %s, members %v, want available with kc-001 kc-003", g.Status, ids)
	}
	if got := code(call(modifyReplicationGroup, w, &elasticache.ModifyReplicationGroupInput{ReplicationGroupId: aws.String("kc"), AutomaticFailoverEnabled: aws.Bool(false)})); got != codeInvalidCombination {
		t.Errorf("failover off with Multi-AZ on: %s, want %s", got, codeInvalidCombination)
	}
	if got := code(call(modifyReplicationGroup, w, &elasticache.ModifyReplicationGroupInput{ReplicationGroupId: aws.String("kc"), EngineVersion: aws.String("6.2")})); got != codeInvalidValue {
		t.Errorf("engine downgrade: %s, want %s", got, codeInvalidValue)
	}
	if got := code(call(modifyReplicationGroup, w, &elasticache.ModifyReplicationGroupInput{ReplicationGroupId: aws.String("kc"), ApplyImmediately: aws.Bool(true)})); got != codeInvalidCombination {
		t.Errorf("modify without a change: %s, want %s", got, codeInvalidCombination)
	}
}

func TestUserGroupChanges(t *testing.T) {
	w := newWorld(t)
	must(t, "add user", call(modifyUserGroup, w, &elasticache.ModifyUserGroupInput{UserGroupId: aws.String("kc"), UserIdsToAdd: []string{"kc-other"}}))
	ug := w.state.Regions["eu-west-1"].UserGroups["kc"]
	view := w.state.Regions["eu-west-1"].userGroupView(ug)
	if ug.Status != statusModifying || view.PendingChanges == nil || !cmp.Equal(view.PendingChanges.UserIdsToAdd, []string{"kc-other"}) {
		t.Errorf("modifying group %s, pending %+v", ug.Status, view.PendingChanges)
	}
	if got := code(call(modifyUserGroup, w, &elasticache.ModifyUserGroupInput{UserGroupId: aws.String("kc"), UserIdsToRemove: []string{"kc-app"}})); got != codeUserGroupState {
		t.Errorf("modify a modifying group: %s, want %s", got, codeUserGroupState)
	}
	w.wait()
	w.call()
	if !cmp.Equal(ug.UserIDs, []string{"kc-app", "kc-default", "kc-other"}) || ug.Status != statusActive {
		t.Errorf("after the change: %s %v", ug.Status, ug.UserIDs)
	}
	if got := code(call(modifyUserGroup, w, &elasticache.ModifyUserGroupInput{UserGroupId: aws.String("kc"), UserIdsToRemove: []string{"kc-default"}})); got != codeDefaultUserRequired {
		t.Errorf("remove the default user: %s, want %s", got, codeDefaultUserRequired)
	}
	// Deleting a member user takes it out of its group (AWS documents it).
	must(t, "delete user", call(deleteUser, w, &elasticache.DeleteUserInput{UserId: aws.String("kc-other")}))
	w.wait()
	w.call()
	if !cmp.Equal(ug.UserIDs, []string{"kc-app", "kc-default"}) {
		t.Errorf("group after its user was deleted: %v", ug.UserIDs)
	}
	if _, ok := w.state.Regions["eu-west-1"].Users["kc-other"]; ok {
		t.Error("deleted user still there after the delete delay")
	}
	// User group changes of a replication group wait for it to settle.
	w.createGroup(t, 0)
	w.wait()
	must(t, "remove user groups", call(modifyReplicationGroup, w, &elasticache.ModifyReplicationGroupInput{ReplicationGroupId: aws.String("kc"), RemoveUserGroups: aws.Bool(true)}))
	g := w.group(t, "kc")
	if !cmp.Equal(g.UserGroupIDs, []string{"kc"}) || !cmp.Equal(g.UserGroupsToRemove, []string{"kc"}) {
		t.Errorf("pending removal: %v, to remove %v", g.UserGroupIDs, g.UserGroupsToRemove)
	}
	w.wait()
	if g := w.group(t, "kc"); len(g.UserGroupIDs) != 0 || g.Status != statusAvailable {
		t.Errorf("after removal: %s %v", g.Status, g.UserGroupIDs)
	}
}

func TestRegionShort(t *testing.T) {
	for region, want := range map[string]string{"eu-west-1": "euw1", "us-east-1": "use1", "ap-southeast-2": "apse2", "ap-northeast-1": "apne1", "eu-central-1": "euc1", "ca-central-1": "cac1"} {
		if got := regionShort(region); got != want {
			t.Errorf("regionShort(%s) = %s, want %s", region, got, want)
		}
	}
}
