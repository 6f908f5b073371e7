package elasticache

import (
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/aws/aws-sdk-go-v2/service/elasticache/types"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

// Limits of a replication group in cluster mode disabled.
const (
	maxReplicas = 5
	maxClusters = maxReplicas + 1
)

func createReplicationGroup(c *api.Call, in *elasticache.CreateReplicationGroupInput) (*elasticache.CreateReplicationGroupOutput, error) {
	id := lower(aws.ToString(in.ReplicationGroupId))
	if err := checkID("ReplicationGroupId", id); err != nil {
		return nil, err
	}
	r := region(c)
	if _, exists := r.Groups[id]; exists {
		return nil, api.Errorf(codeGroupExists, "Replication group %s already exists.", id)
	}
	g := &ReplicationGroup{ID: id, ARN: arn(c, "replicationgroup", id), Description: aws.ToString(in.ReplicationGroupDescription),
		Status: statusCreating, Since: c.Now, Created: c.Now, Port: aws.ToInt32(in.Port), NextMember: 1,
		AutomaticFailover: aws.ToBool(in.AutomaticFailoverEnabled), MultiAZ: aws.ToBool(in.MultiAZEnabled),
		TransitEncryption: aws.ToBool(in.TransitEncryptionEnabled), AtRestEncryption: aws.ToBool(in.AtRestEncryptionEnabled),
		AuthToken: in.AuthToken != nil, KmsKeyID: aws.ToString(in.KmsKeyId), AutoMinorUpgrade: in.AutoMinorVersionUpgrade == nil || *in.AutoMinorVersionUpgrade,
		SnapshotRetention: aws.ToInt32(in.SnapshotRetentionLimit)}
	if g.Port == 0 {
		g.Port = defaultPort
	}
	if err := g.setEngine(in); err != nil {
		return nil, err
	}
	clusters, err := clusterCount(in)
	if err != nil {
		return nil, err
	}
	if err := checkFailover(g.AutomaticFailover, g.MultiAZ, clusters); err != nil {
		return nil, err
	}
	if err := r.checkAuth(g, in.AuthToken, in.UserGroupIds); err != nil {
		return nil, err
	}
	g.UserGroupIDs = applyChanges(nil, lowerAll(in.UserGroupIds), nil)
	if err := g.setWindows(in.SnapshotWindow, in.PreferredMaintenanceWindow); err != nil {
		return nil, err
	}
	sg, err := r.placement(c, g, in.CacheSubnetGroupName, in.SecurityGroupIds)
	if err != nil {
		return nil, err
	}
	if len(in.Tags) > 0 {
		if g.Tags, err = newTags(in.Tags); err != nil {
			return nil, err
		}
	}
	zones := in.PreferredCacheClusterAZs
	if len(in.NodeGroupConfiguration) == 1 {
		ng := in.NodeGroupConfiguration[0]
		zones = append([]string{aws.ToString(ng.PrimaryAvailabilityZone)}, ng.ReplicaAvailabilityZones...)
	}
	for i := range clusters {
		zone := ""
		if i < len(zones) {
			zone = zones[i]
		}
		if err := g.addMember(sg, zone, c.Now); err != nil {
			return nil, err
		}
	}
	g.Members[0].Primary = true
	r.Groups[id] = g
	return &elasticache.CreateReplicationGroupOutput{ReplicationGroup: r.groupView(c, g)}, nil
}

// setEngine sets the engine, version, node type and parameter group.
func (g *ReplicationGroup) setEngine(in *elasticache.CreateReplicationGroupInput) error {
	engine, err := checkEngine(aws.ToString(in.Engine))
	if in.Engine == nil {
		engine, err = engineRedis, nil
	}
	if err != nil {
		return err
	}
	if g.EngineVersion, err = checkEngineVersion(engine, aws.ToString(in.EngineVersion)); err != nil {
		return err
	}
	g.Engine, g.NodeType = engine, aws.ToString(in.CacheNodeType)
	if g.NodeType == "" {
		g.NodeType = defaultNodeType
	}
	if err := checkNodeType(g.NodeType); err != nil {
		return err
	}
	if in.ClusterMode == types.ClusterModeEnabled || aws.ToInt32(in.NumNodeGroups) > 1 || len(in.NodeGroupConfiguration) > 1 {
		return invalidValue("The sandbox emulates replication groups in cluster mode disabled only (one node group).")
	}
	g.ParameterGroup, err = checkParameterGroup(aws.ToString(in.CacheParameterGroupName), engine, g.EngineVersion)
	return err
}

// clusterCount is the number of clusters (primary and replicas) a create
// asks for: NumCacheClusters, ReplicasPerNodeGroup + 1 or the node group
// configuration's ReplicaCount + 1; one when none is given.
func clusterCount(in *elasticache.CreateReplicationGroupInput) (int, error) {
	n := 1
	switch {
	case in.NumCacheClusters != nil && in.ReplicasPerNodeGroup != nil:
		return 0, invalidCombination("NumCacheClusters and ReplicasPerNodeGroup cannot be given together.")
	case in.NumCacheClusters != nil:
		n = int(*in.NumCacheClusters)
	case in.ReplicasPerNodeGroup != nil:
		n = int(*in.ReplicasPerNodeGroup) + 1
	case len(in.NodeGroupConfiguration) == 1 && in.NodeGroupConfiguration[0].ReplicaCount != nil:
		n = int(*in.NodeGroupConfiguration[0].ReplicaCount) + 1
	}
	if n < 1 || n > maxClusters {
		return 0, invalidValue("A replication group has 1 to %d cache clusters (0 to %d replicas); %d were asked for.", maxClusters, maxReplicas, n)
	}
	return n, nil
}

// checkFailover applies AWS's rules: automatic failover needs a replica,
// Multi-AZ needs automatic failover.
func checkFailover(failover, multiAZ bool, clusters int) error {
	if failover && clusters < 2 {
		return invalidCombination("Automatic failover needs at least one replica: give at least 2 cache clusters.")
	}
	if multiAZ && !failover {
		return invalidCombination("Multi-AZ cannot be enabled without automatic failover: enable AutomaticFailover.")
	}
	return nil
}

// checkAuth checks an AUTH token or user groups against the group's
// transit encryption and engine.
func (r *Region) checkAuth(g *ReplicationGroup, token *string, userGroups []string) error {
	if token != nil {
		if !g.TransitEncryption {
			return invalidCombination("An AuthToken needs TransitEncryptionEnabled.")
		}
		if len(userGroups) > 0 {
			return invalidCombination("AuthToken and UserGroupIds cannot be given together.")
		}
		if err := checkPasswords([]string{*token}); err != nil {
			return invalidValue("AuthToken must be 16 to 128 printable ASCII characters other than space, \", / and @.")
		}
	}
	if len(userGroups) == 0 {
		return nil
	}
	if !g.TransitEncryption {
		return invalidCombination("User groups need TransitEncryptionEnabled: encryption in transit must be on to use RBAC.")
	}
	if compareVersions(g.EngineVersion, minimumVersion(g.Engine)) < 0 {
		return invalidCombination("User groups need %s %s or later.", g.Engine, minimumVersion(g.Engine))
	}
	return r.checkUserGroups(lowerAll(userGroups), g.Engine)
}

// checkUserGroups checks that user groups exist, are active and fit the
// engine.
func (r *Region) checkUserGroups(ids []string, engine string) error {
	for _, id := range ids {
		ug, ok := r.UserGroups[id]
		if !ok || ug.Status == statusDeleting {
			return errNotFound(codeUserGroupNotFound, "User group", id)
		}
		if ug.Status != statusActive {
			return api.Errorf(codeUserGroupState, "User group %s is %s, not active.", id, ug.Status)
		}
		if ug.Engine != engine && !(engine == engineValkey && ug.Engine == engineRedis) {
			return invalidCombination("User group %s is for engine %s, not %s.", id, ug.Engine, engine)
		}
	}
	return nil
}

func (g *ReplicationGroup) setWindows(snapshot, maintenance *string) error {
	if err := checkWindows(snapshot, maintenance); err != nil {
		return err
	}
	if snapshot != nil {
		g.SnapshotWindow = *snapshot
	} else if g.SnapshotWindow == "" {
		g.SnapshotWindow = defaultSnapshotWindow
	}
	if maintenance != nil {
		g.MaintenanceWindow = lower(*maintenance)
	} else if g.MaintenanceWindow == "" {
		g.MaintenanceWindow = defaultMaintenanceWindow
	}
	return nil
}

// placement resolves the cache subnet group and security groups.
func (r *Region) placement(c *api.Call, g *ReplicationGroup, subnetGroup *string, securityGroups []string) (*SubnetGroup, error) {
	if subnetGroup == nil {
		return nil, invalidValue("The sandbox needs CacheSubnetGroupName: it has no default VPC for ElastiCache.")
	}
	sg, ok := r.SubnetGroups[lower(*subnetGroup)]
	if !ok {
		return nil, errNotFound(codeSubnetGroupNotFound, "CacheSubnetGroup", *subnetGroup)
	}
	ids, err := checkSecurityGroups(c, securityGroups, sg.VpcID)
	if err != nil {
		return nil, err
	}
	g.SubnetGroup, g.SecurityGroupIDs = sg.Name, ids
	return sg, nil
}

// addMember adds a cache cluster in zone, or in the subnet group's zone
// that holds the fewest members when zone is "".
func (g *ReplicationGroup) addMember(sg *SubnetGroup, zone string, now time.Time) error {
	zones := zonesOf(sg.Subnets)
	if zone == "" {
		count := map[string]int{}
		for _, m := range g.liveMembers() {
			count[m.Zone]++
		}
		zone = zones[0]
		for _, z := range zones {
			if count[z] < count[zone] {
				zone = z
			}
		}
	}
	subnet := ""
	for _, s := range sg.Subnets {
		if s.Zone == zone {
			subnet = s.ID
			break
		}
	}
	if subnet == "" {
		return invalidValue("Availability Zone %s has no subnet in cache subnet group %s.", zone, sg.Name)
	}
	g.Members = append(g.Members, &Member{ID: fmt.Sprintf("%s-%03d", g.ID, g.NextMember), Zone: zone, Subnet: subnet,
		Status: statusCreating, Since: now, Created: now})
	g.NextMember++
	return nil
}

// liveMembers lists the members that are not being deleted.
func (g *ReplicationGroup) liveMembers() []*Member {
	var out []*Member
	for _, m := range g.Members {
		if m.Status != statusDeleting {
			out = append(out, m)
		}
	}
	return out
}

// groupView is the replication group as DescribeReplicationGroups shows
// it. Endpoints appear once the group has been created, as in AWS.
func (r *Region) groupView(c *api.Call, g *ReplicationGroup) *types.ReplicationGroup {
	v := &types.ReplicationGroup{
		ReplicationGroupId: aws.String(g.ID), ARN: aws.String(g.ARN), Description: aws.String(g.Description),
		Status: aws.String(g.Status), ReplicationGroupCreateTime: aws.Time(g.Created), Engine: aws.String(g.Engine),
		CacheNodeType: aws.String(g.NodeType), ClusterEnabled: aws.Bool(false), ClusterMode: types.ClusterModeDisabled,
		AutomaticFailover: types.AutomaticFailoverStatusDisabled, MultiAZ: types.MultiAZStatusDisabled,
		TransitEncryptionEnabled: aws.Bool(g.TransitEncryption), AtRestEncryptionEnabled: aws.Bool(g.AtRestEncryption),
		AuthTokenEnabled: aws.Bool(g.AuthToken), AutoMinorVersionUpgrade: aws.Bool(g.AutoMinorUpgrade),
		SnapshotRetentionLimit: aws.Int32(g.SnapshotRetention), SnapshotWindow: aws.String(g.SnapshotWindow),
		UserGroupIds: append([]string{}, g.UserGroupIDs...), DataTiering: types.DataTieringStatusDisabled,
		NetworkType: types.NetworkTypeIpv4, IpDiscovery: types.IpDiscoveryIpv4, MemberClusters: []string{},
		LogDeliveryConfigurations: []types.LogDeliveryConfiguration{},
	}
	if g.AutomaticFailover {
		v.AutomaticFailover = types.AutomaticFailoverStatusEnabled
	}
	if g.MultiAZ {
		v.MultiAZ = types.MultiAZStatusEnabled
	}
	if g.TransitEncryption {
		v.TransitEncryptionMode = types.TransitEncryptionModeRequired
	}
	if g.KmsKeyID != "" {
		v.KmsKeyId = aws.String(g.KmsKeyID)
	}
	if len(g.UserGroupsToAdd) > 0 || len(g.UserGroupsToRemove) > 0 {
		v.PendingModifiedValues = &types.ReplicationGroupPendingModifiedValues{}
		v.PendingModifiedValues.UserGroups = &types.UserGroupsUpdateStatus{UserGroupIdsToAdd: g.UserGroupsToAdd, UserGroupIdsToRemove: g.UserGroupsToRemove}
	}
	ng := types.NodeGroup{NodeGroupId: aws.String("0001"), Status: aws.String(g.Status), NodeGroupMembers: []types.NodeGroupMember{}}
	created := g.Status != statusCreating
	if created {
		ng.PrimaryEndpoint = &types.Endpoint{Address: aws.String(r.endpointHost(c, "master", g.ID)), Port: aws.Int32(g.Port)}
		ng.ReaderEndpoint = &types.Endpoint{Address: aws.String(r.endpointHost(c, "replica", g.ID)), Port: aws.Int32(g.Port)}
	}
	for _, m := range g.Members {
		v.MemberClusters = append(v.MemberClusters, m.ID)
		member := types.NodeGroupMember{CacheClusterId: aws.String(m.ID), CacheNodeId: aws.String("0001"),
			PreferredAvailabilityZone: aws.String(m.Zone)}
		if created && m.Status != statusCreating {
			member.ReadEndpoint = &types.Endpoint{Address: aws.String(r.endpointHost(c, m.ID, g.ID)), Port: aws.Int32(g.Port)}
			member.CurrentRole = aws.String("replica")
			if m.Primary {
				member.CurrentRole = aws.String("primary")
			}
		}
		ng.NodeGroupMembers = append(ng.NodeGroupMembers, member)
	}
	v.NodeGroups = []types.NodeGroup{ng}
	if id := g.snapshottingCluster(); g.SnapshotRetention > 0 && id != "" {
		v.SnapshottingClusterId = aws.String(id)
	}
	return v
}

// snapshottingCluster is the member backups are taken from: the first
// replica, the primary when there is none, "" while the group is deleted.
func (g *ReplicationGroup) snapshottingCluster() string {
	live := g.liveMembers()
	for _, m := range live {
		if !m.Primary {
			return m.ID
		}
	}
	if len(live) == 0 {
		return ""
	}
	return live[0].ID
}

func describeReplicationGroups(c *api.Call, in *elasticache.DescribeReplicationGroupsInput) (*elasticache.DescribeReplicationGroupsOutput, error) {
	r := region(c)
	ids := sortedKeys(r.Groups)
	if in.ReplicationGroupId != nil {
		if _, ok := r.Groups[lower(*in.ReplicationGroupId)]; !ok {
			return nil, errNotFound(codeGroupNotFound, "ReplicationGroup", *in.ReplicationGroupId)
		}
		ids = []string{lower(*in.ReplicationGroupId)}
	}
	var groups []types.ReplicationGroup
	for _, id := range ids {
		groups = append(groups, *r.groupView(c, r.Groups[id]))
	}
	out, marker, err := pageOf(groups, in.Marker, in.MaxRecords)
	if err != nil {
		return nil, err
	}
	return &elasticache.DescribeReplicationGroupsOutput{ReplicationGroups: out, Marker: marker}, nil
}

// availableGroup returns the replication group id, failing unless it is
// available.
func (r *Region) availableGroup(id *string) (*ReplicationGroup, error) {
	g, ok := r.Groups[lower(aws.ToString(id))]
	if !ok {
		return nil, errNotFound(codeGroupNotFound, "ReplicationGroup", aws.ToString(id))
	}
	if g.Status != statusAvailable {
		return nil, api.Errorf(codeGroupState, "Replication group %s is %s, not available.", g.ID, g.Status)
	}
	return g, nil
}

func deleteReplicationGroup(c *api.Call, in *elasticache.DeleteReplicationGroupInput) (*elasticache.DeleteReplicationGroupOutput, error) {
	r := region(c)
	g, err := r.availableGroup(in.ReplicationGroupId)
	if err != nil {
		return nil, err
	}
	if aws.ToBool(in.RetainPrimaryCluster) {
		return nil, invalidValue("The sandbox does not retain the primary cluster of a deleted replication group.")
	}
	if in.FinalSnapshotIdentifier != nil {
		if err := r.finalSnapshot(c, g, *in.FinalSnapshotIdentifier); err != nil {
			return nil, err
		}
	}
	g.Status, g.Since = statusDeleting, c.Now
	for _, m := range g.Members {
		m.Status, m.Since = statusDeleting, c.Now
	}
	return &elasticache.DeleteReplicationGroupOutput{ReplicationGroup: r.groupView(c, g)}, nil
}
