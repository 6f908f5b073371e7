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
type ClusterHandler struct {
	api  API
	wait poll.Options
}

var (
	_ resource.Handler = (*ClusterHandler)(nil)
	_ resource.Finder  = (*ClusterHandler)(nil)
	_ resource.Tagger  = (*ClusterHandler)(nil)
)

// NewClusterHandler returns the DB cluster handler over api.
func NewClusterHandler(api API, opts ...Option) *ClusterHandler {
	return &ClusterHandler{api: api, wait: newSettings(opts).wait}
}

// Kind is rds:cluster.
func (h *ClusterHandler) Kind() resource.Kind { return resource.KindDBCluster }

// clusterFields are the props of a DB cluster and how they compare.
var clusterFields = fields{
	"identifier":                  {replace: true, foldCase: true, reason: "kcstack does not rename DB clusters: a new identifier is a new cluster"},
	"engine":                      {replace: true, reason: "a DB cluster's engine cannot change"},
	"engine_version":              {compare: compareEngineVersion},
	"database_name":               {replace: true, reason: "a DB cluster's initial database is set at creation only"},
	"master_username":             {replace: true, reason: "a DB cluster's master user name cannot change"},
	"storage_encrypted":           {replace: true, reason: "a DB cluster's storage encryption is set at creation only"},
	"db_subnet_group_name":        {replace: true, foldCase: true, reason: "an Aurora DB cluster cannot move to another DB subnet group in place"},
	"manage_master_user_password": {},
	"deletion_protection":         {},
	"backup_retention_period":     {},
	"port":                        {},
	"vpc_security_group_ids":      {},
}

// Diff compares the props d lists with o's, without I/O.
func (h *ClusterHandler) Diff(d resource.Desired, o resource.Observation) []resource.FieldDiff {
	return diffProps(d, o, clusterFields, "DB cluster")
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
			"identifier": id, "engine": deref(c.Engine), "engine_version": deref(c.EngineVersion),
			"database_name": deref(c.DatabaseName), "master_username": deref(c.MasterUsername),
			"manage_master_user_password": c.MasterUserSecret != nil,
			"port":                        int64(deref(c.Port)), "db_subnet_group_name": deref(c.DBSubnetGroup),
			"vpc_security_group_ids": anyList(groups), "storage_encrypted": deref(c.StorageEncrypted),
			"deletion_protection": deref(c.DeletionProtection), "backup_retention_period": int64(deref(c.BackupRetentionPeriod)),
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
	if isCode(err, codeClusterExists) {
		err = h.adopt(ctx, d, id)
	}
	if err != nil {
		return resource.Observation{}, fmt.Errorf("create DB cluster %s: %w", id, err)
	}
	c, err := h.waitAvailable(ctx, id, nil)
	if err != nil {
		return resource.Observation{}, err
	}
	return clusterObservation(*c, stackOf(d), d.Address), nil
}

// adopt checks that the existing cluster id is d's own.
func (h *ClusterHandler) adopt(ctx context.Context, d resource.Desired, id string) error {
	c, err := h.describe(ctx, id)
	if err != nil {
		return err
	}
	if c == nil {
		return fmt.Errorf("DB cluster %s exists but cannot be read", id)
	}
	if err := checkAdoptable("DB cluster", id, tagMap(c.TagList), d); err != nil {
		return err
	}
	if deref(c.Status) == "deleting" {
		return fmt.Errorf("DB cluster %s is being deleted: run again once it is gone", id)
	}
	return nil
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
	var errs []error
	str := func(dst *string, k string) {
		var err error
		*dst, err = stringProp(d, k)
		errs = append(errs, err)
	}
	num := func(dst **int32, k string) {
		var err error
		*dst, err = intProp(d, k)
		errs = append(errs, err)
	}
	flag := func(dst **bool, k string) {
		var err error
		*dst, err = boolProp(d, k)
		errs = append(errs, err)
	}
	str(&p.identifier, "identifier")
	str(&p.engine, "engine")
	str(&p.engineVersion, "engine_version")
	str(&p.databaseName, "database_name")
	str(&p.masterUsername, "master_username")
	str(&p.subnetGroup, "db_subnet_group_name")
	num(&p.port, "port")
	num(&p.backupRetention, "backup_retention_period")
	flag(&p.managePassword, "manage_master_user_password")
	flag(&p.storageEncrypted, "storage_encrypted")
	flag(&p.deletionProtection, "deletion_protection")
	if _, ok := d.Props["vpc_security_group_ids"]; ok {
		var err error
		p.securityGroups, err = listProp(d, "vpc_security_group_ids")
		errs = append(errs, err)
	}
	if p.identifier == "" {
		errs = append(errs, fmt.Errorf("%s: prop identifier is missing", d.Address))
	}
	return errors.Join(errs...)
}

func orString(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
