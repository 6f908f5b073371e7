package cache

import (
	"context"
	"fmt"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec "github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/aws/aws-sdk-go-v2/service/elasticache/types"

	"github.com/kcstack/kcstack/pkg/aws/ownership"
	"github.com/kcstack/kcstack/pkg/resource"
)

// ReplicationGroupHandler creates, updates and deletes Redis replication
// groups (cluster mode disabled: one shard, a primary and its replicas).
type ReplicationGroupHandler struct{ handler }

var (
	_ resource.Handler       = (*ReplicationGroupHandler)(nil)
	_ resource.Tagger        = (*ReplicationGroupHandler)(nil)
	_ resource.DeleteChecker = (*ReplicationGroupHandler)(nil)
)

// replicationGroupKind describes elasticache:replicationgroup. It goes
// before its subnet group, security groups and user group. Deleting or
// replacing it loses the data, after a final snapshot unless the options
// skip it. A retried CreateReplicationGroup fails on the unique id, and
// Create adopts the group tagged for the address.
var replicationGroupKind = resource.Descriptor{
	Kind:         resource.KindReplicationGroup,
	TaggingTypes: []string{string(resource.KindReplicationGroup)},
	References: []resource.Reference{
		{Prop: propSubnetGroup, Kind: resource.KindCacheSubnetGroup, Attr: propName},
		{Prop: propSecurityGroupIDs, Kind: resource.KindSecurityGroup, Attr: "id"},
		{Prop: propUserGroupIDs, Kind: resource.KindCacheUserGroup, Attr: "id"},
	},
	Fields: resource.Fields{
		propReplicationGroupID: {ForcesReplace: true, Reason: "kcstack does not rename replication groups: a new id is a new replication group"},
		propEngine:             {ForcesReplace: true, Reason: "a replication group's engine cannot change"},
		propSubnetGroup:        {ForcesReplace: true, Reason: "a replication group cannot move to another cache subnet group"},
		propPort:               {ForcesReplace: true, Reason: "a replication group's port is set at creation only"},
		propTransitEncryption:  {ForcesReplace: true, Reason: "kcstack sets encryption in transit at creation only"},
		propAtRestEncryption:   {ForcesReplace: true, Reason: "encryption at rest is set at creation only"},
	},
	DataLoss: resource.LosesData,
	Create:   resource.Creation{Operations: []string{"CreateReplicationGroup"}, Idempotent: true},
	Outputs: []resource.Output{
		{Name: "primary_endpoint", Attr: attrPrimaryEndpoint, Description: "the Redis replication group's primary endpoint (host; TLS required)"},
		{Name: "reader_endpoint", Attr: attrReaderEndpoint, Description: "the Redis replication group's reader endpoint (host; TLS required)"},
		{Name: "port", Attr: attrPort, Description: "the Redis replication group's port"},
	},
}

var replicationGroupRules = map[string]rule{
	propReplicationGroupID: foldCase, propSubnetGroup: foldCase, propDescription: optional,
	propEngineVersion: optional | version, propParameterGroup: optional,
	propMaintenanceWindow: optional | foldCase, propSnapshotWindow: optional,
}

// replicationGroupObservation converts a described group, the cache
// cluster of its primary (nil when unknown) and its tags.
func replicationGroupObservation(g types.ReplicationGroup, c *types.CacheCluster, tags map[string]string, address, stack string) resource.Observation {
	id := aws.ToString(g.ReplicationGroupId)
	props := resource.Props{
		propReplicationGroupID: id, propDescription: aws.ToString(g.Description), propEngine: aws.ToString(g.Engine),
		propNodeType: aws.ToString(g.CacheNodeType), propReplicas: int64(max(len(g.MemberClusters)-1, 0)),
		propUserGroupIDs: resource.List(g.UserGroupIds), propSnapshotWindow: aws.ToString(g.SnapshotWindow),
		propSnapshotRetention: int64(aws.ToInt32(g.SnapshotRetentionLimit)),
		propTransitEncryption: aws.ToBool(g.TransitEncryptionEnabled), propAtRestEncryption: aws.ToBool(g.AtRestEncryptionEnabled),
		propAutomaticFailover: g.AutomaticFailover == types.AutomaticFailoverStatusEnabled, propMultiAZ: g.MultiAZ == types.MultiAZStatusEnabled,
	}
	attrs := map[string]string{attrARN: aws.ToString(g.ARN), attrStatus: aws.ToString(g.Status)}
	if len(g.NodeGroups) > 0 {
		ng := g.NodeGroups[0]
		if e := ng.PrimaryEndpoint; e != nil {
			attrs[attrPrimaryEndpoint], attrs[attrPort] = aws.ToString(e.Address), strconv.Itoa(int(aws.ToInt32(e.Port)))
			props[propPort] = int64(aws.ToInt32(e.Port))
		}
		if e := ng.ReaderEndpoint; e != nil {
			attrs[attrReaderEndpoint] = aws.ToString(e.Address)
		}
	}
	if c != nil {
		clusterProps(props, *c)
	}
	return ownership.Observed(resource.KindReplicationGroup, address, id, stack, tags, props, attrs)
}

// clusterProps sets the props only a member cache cluster reports.
func clusterProps(props resource.Props, c types.CacheCluster) {
	var sgs []string
	for _, sg := range c.SecurityGroups {
		sgs = append(sgs, aws.ToString(sg.SecurityGroupId))
	}
	props[propSecurityGroupIDs] = resource.List(sgs)
	props[propSubnetGroup] = aws.ToString(c.CacheSubnetGroupName)
	props[propEngineVersion] = aws.ToString(c.EngineVersion)
	props[propMaintenanceWindow] = aws.ToString(c.PreferredMaintenanceWindow)
	if pg := c.CacheParameterGroup; pg != nil {
		props[propParameterGroup] = aws.ToString(pg.CacheParameterGroupName)
	}
	if props[propEngine] == "" {
		props[propEngine] = aws.ToString(c.Engine)
	}
}

// replicationGroupProps are a desired group's resolved props.
type replicationGroupProps struct {
	id, description, engine, engineVersion, nodeType, subnetGroup string
	parameterGroup, maintenanceWindow, snapshotWindow             string
	securityGroups, userGroups                                    []string
	replicas, snapshotRetention, port                             int64
	transit, atRest, failover, multiAZ                            bool
	// retentionSet: the props give snapshot_retention_days (else
	// ElastiCache's default applies).
	retentionSet bool
}

func readReplicationGroup(d resource.Desired) (replicationGroupProps, error) {
	r := resource.Read(d.Props)
	p := replicationGroupProps{
		id: r.String(propReplicationGroupID), description: r.OptString(propDescription), engine: r.OptString(propEngine),
		engineVersion: r.OptString(propEngineVersion), nodeType: r.String(propNodeType), subnetGroup: r.String(propSubnetGroup),
		parameterGroup: r.OptString(propParameterGroup), maintenanceWindow: r.OptString(propMaintenanceWindow),
		snapshotWindow: r.OptString(propSnapshotWindow), securityGroups: r.OptStrings(propSecurityGroupIDs),
		userGroups: r.OptStrings(propUserGroupIDs), replicas: r.Int(propReplicas), snapshotRetention: r.OptInt(propSnapshotRetention),
		port: r.OptInt(propPort), transit: r.Bool(propTransitEncryption), atRest: r.Bool(propAtRestEncryption),
		failover: r.Bool(propAutomaticFailover), multiAZ: r.Bool(propMultiAZ),
	}
	if err := r.Err(); err != nil {
		return p, fmt.Errorf("%s: %w", d.Address, err)
	}
	_, p.retentionSet = d.Props[propSnapshotRetention]
	if p.engine == "" {
		p.engine = engineRedis
	}
	if p.description == "" {
		p.description = "kcstack " + d.Address // ElastiCache requires one
	}
	return p, nil
}

// Create creates the group, tagged, waits until it is available and
// returns it. A group of that id tagged for this stack and address is
// adopted (and waited for).
func (h *ReplicationGroupHandler) Create(ctx context.Context, d resource.Desired) (resource.Observation, error) {
	p, err := readReplicationGroup(d)
	if err != nil {
		return resource.Observation{}, err
	}
	_, err = h.API.CreateReplicationGroup(ctx, createInput(p, d.Tags))
	if err := h.reading().created(ctx, h.API, err, codeReplicationGroupExists, p.id, h.Stack, d.Address); err != nil {
		return resource.Observation{}, err
	}
	return h.waitAvailable(ctx, p.id, d.Address)
}

func createInput(p replicationGroupProps, tags map[string]string) *ec.CreateReplicationGroupInput {
	in := &ec.CreateReplicationGroupInput{
		ReplicationGroupId: aws.String(p.id), ReplicationGroupDescription: aws.String(p.description),
		Engine: aws.String(p.engine), EngineVersion: optionalString(p.engineVersion), CacheNodeType: aws.String(p.nodeType),
		NumCacheClusters: aws.Int32(int32(p.replicas + 1)), CacheSubnetGroupName: aws.String(p.subnetGroup),
		SecurityGroupIds: p.securityGroups, UserGroupIds: p.userGroups,
		CacheParameterGroupName: optionalString(p.parameterGroup), PreferredMaintenanceWindow: optionalString(p.maintenanceWindow),
		SnapshotWindow:           optionalString(p.snapshotWindow),
		TransitEncryptionEnabled: aws.Bool(p.transit), AtRestEncryptionEnabled: aws.Bool(p.atRest),
		AutomaticFailoverEnabled: aws.Bool(p.failover), MultiAZEnabled: aws.Bool(p.multiAZ), Tags: ecTags(tags),
	}
	if p.port != 0 {
		in.Port = aws.Int32(int32(p.port))
	}
	if p.retentionSet {
		in.SnapshotRetentionLimit = aws.Int32(int32(p.snapshotRetention))
	}
	return in
}

func optionalString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
