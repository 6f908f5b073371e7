package rds

import (
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"
	"github.com/aws/smithy-go/document"
	"github.com/aws/smithy-go/middleware"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
	"github.com/kcstack/kcstack/pkg/sandbox/secretsmanager"
)

// fakeEC2 is an EC2 state with fixed subnets and security groups.
type fakeEC2 struct {
	subnets  map[string][2]string // id → vpc, zone
	groups   map[string]string    // id → vpc
	defaults map[string]string    // vpc → default group
}

func (f *fakeEC2) LookupSubnet(_, id string) (string, string, bool) {
	s, ok := f.subnets[id]
	return s[0], s[1], ok
}

func (f *fakeEC2) LookupSecurityGroup(_, id string) (string, bool) {
	vpc, ok := f.groups[id]
	return vpc, ok
}

func (f *fakeEC2) DefaultSecurityGroup(_, vpc string) (string, bool) {
	id, ok := f.defaults[vpc]
	return id, ok
}

var (
	_ SubnetLookup        = (*fakeEC2)(nil)
	_ SecurityGroupLookup = (*fakeEC2)(nil)
)

// fakeWorld is an api.World with RDS, Secrets Manager and a fake EC2.
type fakeWorld struct {
	states   map[string]any
	settings api.Settings
	now      time.Time
}

func (w *fakeWorld) State(name string) any { return w.states[name] }
func (w *fakeWorld) Services() []string {
	return []string{"ec2", ServiceName, secretsmanager.ServiceName}
}
func (w *fakeWorld) Settings() api.Settings { return w.settings }

// call returns a call at the world's clock, after ticking RDS as the front
// end does.
func (w *fakeWorld) call(op string) *api.Call {
	w.rds().Tick(w.now, w.settings)
	return &api.Call{
		Service: ServiceName, Operation: op, Region: "eu-west-1", AccountID: "123456789012",
		RequestID: "req", Now: w.now, World: w,
	}
}

func (w *fakeWorld) rds() *State { return w.states[ServiceName].(*State) }

func (w *fakeWorld) secrets() *secretsmanager.State {
	return w.states[secretsmanager.ServiceName].(*secretsmanager.State)
}

// wait moves the clock past every create and delete delay.
func (w *fakeWorld) wait() { w.now = w.now.Add(time.Minute) }

func newWorld() *fakeWorld {
	ec2 := &fakeEC2{
		subnets: map[string][2]string{
			"subnet-a": {"vpc-1", "eu-west-1a"}, "subnet-b": {"vpc-1", "eu-west-1b"}, "subnet-c": {"vpc-1", "eu-west-1c"},
			"subnet-a2": {"vpc-1", "eu-west-1a"}, "subnet-x": {"vpc-2", "eu-west-1b"}, "subnet-y": {"vpc-2", "eu-west-1c"},
		},
		groups:   map[string]string{"sg-1": "vpc-1", "sg-default": "vpc-1", "sg-2": "vpc-2"},
		defaults: map[string]string{"vpc-1": "sg-default"},
	}
	return &fakeWorld{
		states:   map[string]any{"ec2": ec2, ServiceName: NewState(), secretsmanager.ServiceName: secretsmanager.NewState()},
		settings: api.Settings{CreateDelay: 10 * time.Second, DeleteDelay: 5 * time.Second},
		now:      time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC),
	}
}

// sdkOpts ignores the SDK types' unexported fields and result metadata.
var sdkOpts = cmp.Options{cmpopts.IgnoreTypes(middleware.Metadata{}, document.NoSerde{})}

// apiError returns err as an *api.Error, nil for nil.
func apiError(t *testing.T, err error) *api.Error {
	t.Helper()
	if err == nil {
		return nil
	}
	var e *api.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v is not an *api.Error", err)
	}
	return e
}

func errCode(t *testing.T, err error) string {
	t.Helper()
	if e := apiError(t, err); e != nil {
		return e.Code
	}
	return ""
}

func mustSubnetGroup(t *testing.T, w *fakeWorld, name string, subnets ...string) {
	t.Helper()
	_, err := createDBSubnetGroup(w.call("CreateDBSubnetGroup"), &rds.CreateDBSubnetGroupInput{
		DBSubnetGroupName: ptr(name), DBSubnetGroupDescription: ptr("test"), SubnetIds: subnets,
	})
	if err != nil {
		t.Fatalf("create subnet group %s: %v", name, err)
	}
}

func clusterInput(id string) *rds.CreateDBClusterInput {
	return &rds.CreateDBClusterInput{
		DBClusterIdentifier: ptr(id), Engine: ptr(engineAuroraPostgreSQL), EngineVersion: ptr("16.6"),
		MasterUsername: ptr("keycloak"), ManageMasterUserPassword: ptr(true), DBSubnetGroupName: ptr("db"),
	}
}

// mustCluster creates an available cluster in subnet group "db".
func mustCluster(t *testing.T, w *fakeWorld, id string) {
	t.Helper()
	if _, ok := w.rds().Regions["eu-west-1"]; !ok || w.rds().Regions["eu-west-1"].SubnetGroups["db"] == nil {
		mustSubnetGroup(t, w, "db", "subnet-a", "subnet-b", "subnet-c")
	}
	if _, err := createDBCluster(w.call("CreateDBCluster"), clusterInput(id)); err != nil {
		t.Fatalf("create cluster %s: %v", id, err)
	}
	w.wait()
}

func mustInstance(t *testing.T, w *fakeWorld, cluster, id string) *types.DBInstance {
	t.Helper()
	out, err := createDBInstance(w.call("CreateDBInstance"), &rds.CreateDBInstanceInput{
		DBInstanceIdentifier: ptr(id), DBClusterIdentifier: ptr(cluster), DBInstanceClass: ptr("db.r6g.large"), Engine: ptr(engineAuroraPostgreSQL),
	})
	if err != nil {
		t.Fatalf("create instance %s: %v", id, err)
	}
	return out.DBInstance
}

func describeCluster(t *testing.T, w *fakeWorld, id string) types.DBCluster {
	t.Helper()
	out, err := describeDBClusters(w.call("DescribeDBClusters"), &rds.DescribeDBClustersInput{DBClusterIdentifier: ptr(id)})
	if err != nil {
		t.Fatalf("describe cluster %s: %v", id, err)
	}
	return out.DBClusters[0]
}

// writers maps member ids to IsClusterWriter.
func writers(cl types.DBCluster) map[string]bool {
	m := map[string]bool{}
	for _, mem := range cl.DBClusterMembers {
		m[deref(mem.DBInstanceIdentifier)] = deref(mem.IsClusterWriter)
	}
	return m
}
