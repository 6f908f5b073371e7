package elasticache

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/aws/aws-sdk-go-v2/service/elasticache/types"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

// modifyReplicationGroup applies every change at once (the sandbox acts
// as if ApplyImmediately were true) and leaves the group modifying for the
// create delay; user group changes stay pending until then.
func modifyReplicationGroup(c *api.Call, in *elasticache.ModifyReplicationGroupInput) (*elasticache.ModifyReplicationGroupOutput, error) {
	r := region(c)
	g, err := r.availableGroup(in.ReplicationGroupId)
	if err != nil {
		return nil, err
	}
	next := *g
	steps := []func(*api.Call, *ReplicationGroup, *elasticache.ModifyReplicationGroupInput) error{
		r.modifyEngine, modifyFailover, r.modifyUserGroups, r.modifyPlacement, modifySettings,
	}
	for _, step := range steps {
		if err := step(c, &next, in); err != nil {
			return nil, err
		}
	}
	if groupSettings(next) == groupSettings(*g) && equalLists(next.SecurityGroupIDs, g.SecurityGroupIDs) &&
		len(next.UserGroupsToAdd)+len(next.UserGroupsToRemove) == 0 {
		return nil, invalidCombination("No modifications were requested.")
	}
	next.Status, next.Since = statusModifying, c.Now
	*g = next
	return &elasticache.ModifyReplicationGroupOutput{ReplicationGroup: r.groupView(c, g)}, nil
}

// settings is the comparable part of a group's settings.
type settings struct {
	description, engine, version, nodeType, parameterGroup, maintenance, snapshot string
	retention                                                                     int32
	failover, multiAZ, autoMinor, authToken                                       bool
}

func groupSettings(g ReplicationGroup) settings {
	return settings{g.Description, g.Engine, g.EngineVersion, g.NodeType, g.ParameterGroup, g.MaintenanceWindow, g.SnapshotWindow,
		g.SnapshotRetention, g.AutomaticFailover, g.MultiAZ, g.AutoMinorUpgrade, g.AuthToken}
}

func equalLists(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// modifyEngine changes the engine, its version (never down), the node
// type and the parameter group.
func (r *Region) modifyEngine(_ *api.Call, g *ReplicationGroup, in *elasticache.ModifyReplicationGroupInput) error {
	engine := g.Engine
	if in.Engine != nil {
		e, err := checkEngine(*in.Engine)
		if err != nil {
			return err
		}
		if e == engineRedis && g.Engine == engineValkey {
			return invalidCombination("A valkey replication group cannot change back to redis.")
		}
		engine = e
	}
	version := g.EngineVersion
	if in.EngineVersion != nil || engine != g.Engine {
		v, err := checkEngineVersion(engine, aws.ToString(in.EngineVersion))
		if err != nil {
			return err
		}
		if engine == g.Engine && compareVersions(v, g.EngineVersion) < 0 {
			return invalidValue("Cannot downgrade engine version from %s to %s: create a new replication group instead.", g.EngineVersion, v)
		}
		version = v
	}
	group := aws.ToString(in.CacheParameterGroupName)
	if group == "" && version == g.EngineVersion && engine == g.Engine {
		group = g.ParameterGroup
	}
	pg, err := checkParameterGroup(group, engine, version)
	if err != nil {
		return err
	}
	if in.CacheNodeType != nil {
		if err := checkNodeType(*in.CacheNodeType); err != nil {
			return err
		}
		g.NodeType = *in.CacheNodeType
	}
	g.Engine, g.EngineVersion, g.ParameterGroup = engine, version, pg
	return nil
}

func modifyFailover(_ *api.Call, g *ReplicationGroup, in *elasticache.ModifyReplicationGroupInput) error {
	if in.AutomaticFailoverEnabled != nil {
		g.AutomaticFailover = *in.AutomaticFailoverEnabled
	}
	if in.MultiAZEnabled != nil {
		g.MultiAZ = *in.MultiAZEnabled
	}
	return checkFailover(g.AutomaticFailover, g.MultiAZ, len(g.liveMembers()))
}

// modifyUserGroups records UserGroupIdsToAdd/Remove (or RemoveUserGroups)
// as pending changes.
func (r *Region) modifyUserGroups(_ *api.Call, g *ReplicationGroup, in *elasticache.ModifyReplicationGroupInput) error {
	add, remove := lowerAll(in.UserGroupIdsToAdd), lowerAll(in.UserGroupIdsToRemove)
	if aws.ToBool(in.RemoveUserGroups) {
		if len(add) > 0 {
			return invalidCombination("RemoveUserGroups cannot be combined with UserGroupIdsToAdd.")
		}
		remove = g.UserGroupIDs
	}
	for _, id := range add {
		if contains(g.UserGroupIDs, id) {
			return invalidValue("User group %s is already associated with replication group %s.", id, g.ID)
		}
	}
	for _, id := range remove {
		if !contains(g.UserGroupIDs, id) {
			return invalidValue("User group %s is not associated with replication group %s.", id, g.ID)
		}
	}
	if len(add) > 0 {
		if !g.TransitEncryption {
			return invalidCombination("User groups need TransitEncryptionEnabled: encryption in transit must be on to use RBAC.")
		}
		if g.AuthToken {
			return invalidCombination("A replication group with an AUTH token cannot take user groups.")
		}
		if err := r.checkUserGroups(add, g.Engine); err != nil {
			return err
		}
	}
	g.UserGroupsToAdd, g.UserGroupsToRemove = applyChanges(nil, add, nil), applyChanges(nil, remove, nil)
	return nil
}

// modifyPlacement changes the security groups (in the subnet group's VPC).
func (r *Region) modifyPlacement(c *api.Call, g *ReplicationGroup, in *elasticache.ModifyReplicationGroupInput) error {
	if len(in.SecurityGroupIds) == 0 {
		return nil
	}
	sg := r.SubnetGroups[g.SubnetGroup]
	if sg == nil {
		return errNotFound(codeSubnetGroupNotFound, "CacheSubnetGroup", g.SubnetGroup)
	}
	ids, err := checkSecurityGroups(c, in.SecurityGroupIds, sg.VpcID)
	if err != nil {
		return err
	}
	g.SecurityGroupIDs = ids
	return nil
}

func modifySettings(_ *api.Call, g *ReplicationGroup, in *elasticache.ModifyReplicationGroupInput) error {
	if in.ReplicationGroupDescription != nil {
		g.Description = *in.ReplicationGroupDescription
	}
	if in.SnapshotRetentionLimit != nil {
		if *in.SnapshotRetentionLimit < 0 || *in.SnapshotRetentionLimit > 35 {
			return invalidValue("SnapshotRetentionLimit must be between 0 and 35 days.")
		}
		g.SnapshotRetention = *in.SnapshotRetentionLimit
	}
	if in.AutoMinorVersionUpgrade != nil {
		g.AutoMinorUpgrade = *in.AutoMinorVersionUpgrade
	}
	if in.TransitEncryptionEnabled != nil && !*in.TransitEncryptionEnabled && g.TransitEncryption && len(g.UserGroupIDs) > 0 {
		return invalidCombination("Encryption in transit cannot be turned off while user groups are associated.")
	}
	if in.AuthToken != nil {
		if len(g.UserGroupIDs) > 0 || !g.TransitEncryption {
			return invalidCombination("An AuthToken needs TransitEncryptionEnabled and no user groups.")
		}
		if err := checkPasswords([]string{*in.AuthToken}); err != nil {
			return invalidValue("AuthToken must be 16 to 128 printable ASCII characters other than space, \", / and @.")
		}
		g.AuthToken = true
	}
	return g.setWindows(in.SnapshotWindow, in.PreferredMaintenanceWindow)
}

func increaseReplicaCount(c *api.Call, in *elasticache.IncreaseReplicaCountInput) (*elasticache.IncreaseReplicaCountOutput, error) {
	r := region(c)
	g, err := r.availableGroup(in.ReplicationGroupId)
	if err != nil {
		return nil, err
	}
	target, zones, err := replicaTarget(in.ApplyImmediately, in.NewReplicaCount, in.ReplicaConfiguration)
	if err != nil {
		return nil, err
	}
	current := len(g.liveMembers()) - 1
	switch {
	case target == current:
		return nil, api.Errorf(codeNoOperation, "Replication group %s already has %d replicas.", g.ID, current)
	case target < current:
		return nil, invalidValue("NewReplicaCount %d is below the current %d replicas: use DecreaseReplicaCount.", target, current)
	case target > maxReplicas:
		return nil, invalidValue("A node group has at most %d replicas.", maxReplicas)
	}
	next := *g
	next.Members = append([]*Member(nil), g.Members...)
	for i := range target - current {
		zone := ""
		if i < len(zones) {
			zone = zones[i]
		}
		if err := next.addMember(r.SubnetGroups[g.SubnetGroup], zone, c.Now); err != nil {
			return nil, err
		}
	}
	next.Status, next.Since = statusModifying, c.Now
	*g = next
	return &elasticache.IncreaseReplicaCountOutput{ReplicationGroup: r.groupView(c, g)}, nil
}

// replicaTarget reads the replica count (and zones of new replicas) of an
// Increase/DecreaseReplicaCount: NewReplicaCount or the one node group of
// ReplicaConfiguration.
func replicaTarget(apply *bool, count *int32, config []types.ConfigureShard) (int, []string, error) {
	if !aws.ToBool(apply) {
		return 0, nil, invalidValue("ApplyImmediately must be true: replica counts change immediately.")
	}
	switch {
	case count != nil && len(config) > 0:
		return 0, nil, invalidCombination("NewReplicaCount and ReplicaConfiguration cannot be given together.")
	case count != nil:
		return int(*count), nil, nil
	case len(config) == 1:
		return int(aws.ToInt32(config[0].NewReplicaCount)), config[0].PreferredAvailabilityZones, nil
	case len(config) > 1:
		return 0, nil, invalidValue("A replication group in cluster mode disabled has one node group.")
	}
	return 0, nil, invalidValue("Give NewReplicaCount or ReplicaConfiguration.")
}

func decreaseReplicaCount(c *api.Call, in *elasticache.DecreaseReplicaCountInput) (*elasticache.DecreaseReplicaCountOutput, error) {
	r := region(c)
	g, err := r.availableGroup(in.ReplicationGroupId)
	if err != nil {
		return nil, err
	}
	live := g.liveMembers()
	current := len(live) - 1
	remove, err := replicasToRemove(g, live, in)
	if err != nil {
		return nil, err
	}
	target := current - len(remove)
	switch {
	case len(remove) == 0:
		return nil, api.Errorf(codeNoOperation, "Replication group %s already has %d replicas.", g.ID, current)
	case target < 0:
		return nil, invalidValue("NewReplicaCount must not be negative.")
	case g.AutomaticFailover && target < 1:
		return nil, invalidCombination("Automatic failover needs at least one replica: disable it before removing the last replica.")
	}
	for _, m := range remove {
		m.Status, m.Since = statusDeleting, c.Now
	}
	g.Status, g.Since = statusModifying, c.Now
	return &elasticache.DecreaseReplicaCountOutput{ReplicationGroup: r.groupView(c, g)}, nil
}

// replicasToRemove picks the replicas a DecreaseReplicaCount removes:
// those ReplicasToRemove names, or the newest ones down to the count.
func replicasToRemove(g *ReplicationGroup, live []*Member, in *elasticache.DecreaseReplicaCountInput) ([]*Member, error) {
	if len(in.ReplicasToRemove) > 0 {
		if in.NewReplicaCount != nil || len(in.ReplicaConfiguration) > 0 {
			return nil, invalidCombination("ReplicasToRemove cannot be combined with NewReplicaCount or ReplicaConfiguration.")
		}
		if !aws.ToBool(in.ApplyImmediately) {
			return nil, invalidValue("ApplyImmediately must be true: replica counts change immediately.")
		}
		var out []*Member
		for _, id := range lowerAll(in.ReplicasToRemove) {
			m := findMember(live, id)
			if m == nil {
				return nil, errNotFound(codeClusterNotFound, "CacheCluster", id)
			}
			if m.Primary {
				return nil, invalidValue("Cache cluster %s is the primary of %s, not a replica.", id, g.ID)
			}
			out = append(out, m)
		}
		return out, nil
	}
	target, _, err := replicaTarget(in.ApplyImmediately, in.NewReplicaCount, in.ReplicaConfiguration)
	if err != nil {
		return nil, err
	}
	current := len(live) - 1
	if target > current {
		return nil, invalidValue("NewReplicaCount %d is above the current %d replicas: use IncreaseReplicaCount.", target, current)
	}
	if target < 0 {
		return nil, invalidValue("NewReplicaCount must not be negative.")
	}
	return live[len(live)-(current-target):], nil
}

func findMember(members []*Member, id string) *Member {
	for _, m := range members {
		if m.ID == id {
			return m
		}
	}
	return nil
}
