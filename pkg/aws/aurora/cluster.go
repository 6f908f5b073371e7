package aurora

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"

	"github.com/kcstack/kcstack/pkg/aws/poll"
	"github.com/kcstack/kcstack/pkg/resource"
)

// engineAuroraPostgreSQL is the engine of every cluster a stack owns.
const engineAuroraPostgreSQL = "aurora-postgresql"

// ErrDeletionProtected is wrapped by the error Delete returns for a
// cluster with deletion protection on. kcstack never turns it off itself.
var ErrDeletionProtected = errors.New("deletion protection is on")

// ClusterHandler creates, updates and deletes Aurora PostgreSQL DB
// clusters (rds:cluster).
type ClusterHandler struct{ rdsHandler }

var (
	_ resource.Handler = (*ClusterHandler)(nil)
	_ resource.Finder  = (*ClusterHandler)(nil)
	_ resource.Tagger  = (*ClusterHandler)(nil)
)

// newClusterHandler returns the DB cluster handler over api; wait, when
// set, replaces defaultWait.
func newClusterHandler(api API, wait *poll.Options) *ClusterHandler {
	return &ClusterHandler{newRDSHandler(clusterKind, api, wait)}
}

// clusterKind describes rds:cluster. Its instances refer to it, so they
// go first; it goes before its subnet group and security groups. A
// retried CreateDBCluster fails on the unique identifier, and Create
// adopts the cluster tagged for the address.
var clusterKind = resource.Descriptor{
	Kind:         resource.KindDBCluster,
	TaggingTypes: []string{"rds:cluster"},
	References: []resource.Reference{
		{Prop: propSubnetGroupName, Kind: resource.KindDBSubnetGroup, Attr: "name"},
		{Prop: propSecurityGroupIDs, Kind: resource.KindSecurityGroup, Attr: "id"},
	},
	Fields: resource.Fields{
		propIdentifier:       {ForcesReplace: true, Reason: "kcstack does not rename DB clusters: a new identifier is a new cluster"},
		propEngine:           {ForcesReplace: true, Reason: "a DB cluster's engine cannot change"},
		propDatabaseName:     {ForcesReplace: true, Reason: "a DB cluster's initial database is set at creation only"},
		propMasterUsername:   {ForcesReplace: true, Reason: "a DB cluster's master user name cannot change"},
		propStorageEncrypted: {ForcesReplace: true, Reason: "a DB cluster's storage encryption is set at creation only"},
		propSubnetGroupName:  {ForcesReplace: true, Reason: "an Aurora DB cluster cannot move to another DB subnet group in place"},
	},
	DataLoss: resource.LosesData,
	Protection: &resource.Protection{
		Prop: propDeletionProtection,
		Hint: "set spec.database.aurora.deletionProtection: false, run kcstack apply, then run this again",
	},
	Create: resource.Creation{Operations: []string{"CreateDBCluster"}, Idempotent: true},
	Outputs: []resource.Output{
		{Name: "writer_endpoint", Attr: "endpoint", Description: "the Aurora cluster's writer endpoint"},
		{Name: "reader_endpoint", Attr: "reader_endpoint", Description: "the Aurora cluster's reader endpoint"},
		{Name: "port", Attr: "port", Description: "the Aurora cluster's port"},
		{Name: "master_user_secret_arn", Attr: "master_user_secret_arn", Description: "the ARN of the Secrets Manager secret Aurora keeps the master user's password in (never its value)"},
	},
}

// clusterComparisons are the cluster props compared otherwise than as
// plain data. A major engine_version change replaces the cluster, a minor
// one does not: compareEngineVersion decides, not the Fields.
var clusterComparisons = comparisons{
	propIdentifier:      {foldCase: true},
	propSubnetGroupName: {foldCase: true},
	propEngineVersion:   {compare: compareEngineVersion},
}

// Diff compares the props d lists with o's, without I/O.
func (h *ClusterHandler) Diff(d resource.Desired, o resource.Observation) []resource.FieldDiff {
	return diffProps(d, o, h.Descriptor.Fields, clusterComparisons, "DB cluster")
}

// clusterObservation converts a described cluster; address "" takes it
// from the kcstack:address tag.
func clusterObservation(c types.DBCluster, stack, address string) resource.Observation {
	id := deref(c.DBClusterIdentifier)
	var groups []string
	for _, g := range c.VpcSecurityGroups {
		groups = append(groups, deref(g.VpcSecurityGroupId))
	}
	o := resource.Observation{
		Kind: resource.KindDBCluster, Exists: true, ID: id,
		Props: resource.Props{
			propIdentifier: id, propEngine: deref(c.Engine), propEngineVersion: deref(c.EngineVersion),
			propDatabaseName: deref(c.DatabaseName), propMasterUsername: deref(c.MasterUsername),
			propManagePassword: c.MasterUserSecret != nil,
			propPort:           int64(deref(c.Port)), propSubnetGroupName: deref(c.DBSubnetGroup),
			propSecurityGroupIDs: anyList(groups), propStorageEncrypted: deref(c.StorageEncrypted),
			propDeletionProtection: deref(c.DeletionProtection), propBackupRetention: int64(deref(c.BackupRetentionPeriod)),
		},
		Attrs: map[string]string{
			"id": id, "arn": deref(c.DBClusterArn), "endpoint": deref(c.Endpoint),
			"reader_endpoint": deref(c.ReaderEndpoint), "status": deref(c.Status),
			"port": fmt.Sprint(deref(c.Port)),
		},
	}
	if s := c.MasterUserSecret; s != nil {
		o.Attrs["master_user_secret_arn"] = deref(s.SecretArn)
	}
	return owned(o, tagMap(c.TagList), stack, address)
}

// Create creates the cluster, tagged, waits until it is available and
// returns it. A cluster already there from an earlier ambiguous create of
// this same resource is adopted; anyone else's is an error.
func (h *ClusterHandler) Create(ctx context.Context, d resource.Desired) (resource.Observation, error) {
	in, err := createClusterInput(d)
	if err != nil {
		return resource.Observation{}, err
	}
	id := deref(in.DBClusterIdentifier)
	_, err = h.api.CreateDBCluster(ctx, in)
	if err := clusterStatus.created(ctx, h.describe, id, d, err, codeClusterExists); err != nil {
		return resource.Observation{}, err
	}
	c, err := h.waitAvailable(ctx, id, nil)
	if err != nil {
		return resource.Observation{}, err
	}
	return clusterObservation(*c, stackOf(d), d.Address), nil
}

// createClusterInput builds CreateDBCluster's input from resolved props.
func createClusterInput(d resource.Desired) (*rds.CreateDBClusterInput, error) {
	var p clusterProps
	if err := p.read(d); err != nil {
		return nil, err
	}
	return &rds.CreateDBClusterInput{
		DBClusterIdentifier: ptr(p.identifier), Engine: ptr(orString(p.engine, engineAuroraPostgreSQL)),
		EngineVersion: optional(p.engineVersion), DatabaseName: optional(p.databaseName),
		MasterUsername: optional(p.masterUsername), ManageMasterUserPassword: p.managePassword,
		Port: p.port, DBSubnetGroupName: optional(p.subnetGroup), VpcSecurityGroupIds: p.securityGroups,
		StorageEncrypted: p.storageEncrypted, DeletionProtection: p.deletionProtection,
		BackupRetentionPeriod: p.backupRetention, Tags: rdsTags(d.Tags),
	}, nil
}

// clusterProps are a desired cluster's resolved props.
type clusterProps struct {
	identifier, engine, engineVersion, databaseName, masterUsername, subnetGroup string
	securityGroups                                                               []string
	port, backupRetention                                                        *int32
	managePassword, storageEncrypted, deletionProtection                         *bool
}

func (p *clusterProps) read(d resource.Desired) error {
	r := resource.Read(d.Props)
	p.identifier = r.String(propIdentifier)
	p.engine, p.engineVersion = r.OptString(propEngine), r.OptString(propEngineVersion)
	p.databaseName, p.masterUsername = r.OptString(propDatabaseName), r.OptString(propMasterUsername)
	p.subnetGroup = r.OptString(propSubnetGroupName)
	p.port, p.backupRetention = optInt32(r, d.Props, propPort), optInt32(r, d.Props, propBackupRetention)
	p.managePassword = optBool(r, d.Props, propManagePassword)
	p.storageEncrypted = optBool(r, d.Props, propStorageEncrypted)
	p.deletionProtection = optBool(r, d.Props, propDeletionProtection)
	p.securityGroups = set(r.OptStrings(propSecurityGroupIDs))
	if err := r.Err(); err != nil {
		return fmt.Errorf("%s: %w", d.Address, err)
	}
	if p.identifier == "" {
		return fmt.Errorf("%s: property %s is empty", d.Address, propIdentifier)
	}
	return nil
}

func orString(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
