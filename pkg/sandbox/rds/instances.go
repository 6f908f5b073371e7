package rds

import (
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

const (
	// defaultPromotionTier is the failover priority of new instances.
	defaultPromotionTier = 1
	// serverlessClass is the class of Aurora Serverless v2 instances.
	serverlessClass = "db.serverless"
)

func createDBInstance(c *api.Call, in *rds.CreateDBInstanceInput) (*rds.CreateDBInstanceOutput, error) {
	id := lower(deref(in.DBInstanceIdentifier))
	if err := validateCreateInstance(in); err != nil {
		return nil, err
	}
	r := region(c)
	cl, err := r.cluster(in.DBClusterIdentifier)
	if err != nil {
		return nil, err
	}
	if err := checkJoin(cl, in); err != nil {
		return nil, err
	}
	if _, exists := r.Instances[id]; exists {
		return nil, api.Errorf(codeInstanceExists, "DB instance already exists")
	}
	zone, err := r.pickZone(cl, deref(in.AvailabilityZone))
	if err != nil {
		return nil, err
	}
	inst := r.newInstance(c, cl, in, zone)
	r.Instances[id] = inst
	addMember(cl, inst)
	r.updateMultiAZ(cl)
	return &rds.CreateDBInstanceOutput{DBInstance: ptr(clone(inst.DB))}, nil
}

func validateCreateInstance(in *rds.CreateDBInstanceInput) error {
	if err := checkIdentifier("DBInstanceIdentifier", deref(in.DBInstanceIdentifier), 63); err != nil {
		return err
	}
	if deref(in.DBClusterIdentifier) == "" {
		return invalidValue("The sandbox emulates DB instances in Aurora clusters only: DBClusterIdentifier is required.")
	}
	if class := deref(in.DBInstanceClass); !strings.HasPrefix(class, "db.") {
		return invalidValue("Invalid DB instance class: %s", class)
	}
	if in.MasterUsername != nil || in.MasterUserPassword != nil || in.ManageMasterUserPassword != nil {
		return invalidCombination("The requested DB instance will be a member of a DB cluster. Set the master user for the DB cluster.")
	}
	return nil
}

// checkJoin checks that the instance fits the cluster it joins.
func checkJoin(cl *Cluster, in *rds.CreateDBInstanceInput) error {
	switch {
	case deref(cl.DB.Status) == statusDeleting:
		return api.Errorf(codeClusterState, "DB cluster %s is being deleted.", deref(cl.DB.DBClusterIdentifier))
	case deref(in.Engine) != deref(cl.DB.Engine):
		return invalidCombination("The engine name requested for your DB instance (%s) doesn't match the engine name of your DB cluster (%s).", deref(in.Engine), deref(cl.DB.Engine))
	case in.EngineVersion != nil && *in.EngineVersion != deref(cl.DB.EngineVersion):
		return invalidCombination("The engine version requested for your DB instance (%s) doesn't match the engine version of your DB cluster (%s).", *in.EngineVersion, deref(cl.DB.EngineVersion))
	case deref(in.DBInstanceClass) == serverlessClass && cl.DB.ServerlessV2ScalingConfiguration == nil:
		return invalidCombination("Set the Serverless v2 scaling configuration on the parent DB cluster before creating a Serverless v2 DB instance.")
	case in.DBSubnetGroupName != nil && lower(*in.DBSubnetGroupName) != lower(deref(cl.DB.DBSubnetGroup)):
		return invalidCombination("The DB subnet group of a DB instance must be the DB subnet group of its DB cluster (%s).", deref(cl.DB.DBSubnetGroup))
	}
	return nil
}

// pickZone returns the requested zone when the cluster has it, or the
// cluster zone with the fewest instances.
func (r *Region) pickZone(cl *Cluster, want string) (string, error) {
	zones := cl.DB.AvailabilityZones
	if want != "" {
		for _, z := range zones {
			if z == want {
				return z, nil
			}
		}
		return "", invalidCombination("Cannot create a DB instance in Availability Zone %s: the DB cluster's subnets are in %s.", want, strings.Join(zones, ", "))
	}
	count := map[string]int{}
	for _, m := range cl.DB.DBClusterMembers {
		if inst, ok := r.Instances[deref(m.DBInstanceIdentifier)]; ok {
			count[deref(inst.DB.AvailabilityZone)]++
		}
	}
	best := zones[0]
	for _, z := range zones {
		if count[z] < count[best] {
			best = z
		}
	}
	return best, nil
}

// newInstance builds the description of an instance joining a cluster;
// most settings come from the cluster.
func (r *Region) newInstance(c *api.Call, cl *Cluster, in *rds.CreateDBInstanceInput, zone string) *Instance {
	id := lower(deref(in.DBInstanceIdentifier))
	db := types.DBInstance{
		DBInstanceIdentifier: ptr(id), DBInstanceArn: ptr(arn(c, "db", id)), DbiResourceId: ptr(resourceID("db")),
		DBInstanceClass: in.DBInstanceClass, DBClusterIdentifier: cl.DB.DBClusterIdentifier,
		Engine: cl.DB.Engine, EngineVersion: cl.DB.EngineVersion, DBInstanceStatus: ptr(statusCreating),
		MasterUsername: cl.DB.MasterUsername, DBName: cl.DB.DatabaseName, AvailabilityZone: ptr(zone),
		Endpoint: &types.Endpoint{
			Address: ptr(fmt.Sprintf("%s.%s.%s.rds.amazonaws.com", id, r.EndpointID, c.Region)),
			Port:    cl.DB.Port, HostedZoneId: cl.DB.HostedZoneId,
		},
		PubliclyAccessible: ptr(deref(in.PubliclyAccessible)), PromotionTier: ptr(orDefault(in.PromotionTier, defaultPromotionTier)),
		InstanceCreateTime: ptr(c.Now), StorageEncrypted: cl.DB.StorageEncrypted, KmsKeyId: cl.DB.KmsKeyId,
		StorageType: ptr("aurora"), AllocatedStorage: ptr[int32](1), LicenseModel: ptr("postgresql-license"),
		BackupRetentionPeriod: cl.DB.BackupRetentionPeriod, PreferredBackupWindow: cl.DB.PreferredBackupWindow,
		PreferredMaintenanceWindow: ptr(orDefault(in.PreferredMaintenanceWindow, deref(cl.DB.PreferredMaintenanceWindow))),
		AutoMinorVersionUpgrade:    ptr(orDefault(in.AutoMinorVersionUpgrade, true)), MultiAZ: ptr(false),
		CopyTagsToSnapshot: ptr(deref(in.CopyTagsToSnapshot)), DeletionProtection: ptr(false),
		CACertificateIdentifier: ptr(orDefault(in.CACertificateIdentifier, "rds-ca-rsa2048-g1")),
		VpcSecurityGroups:       clone(cl.DB.VpcSecurityGroups), DbInstancePort: ptr[int32](0),
		IAMDatabaseAuthenticationEnabled: cl.DB.IAMDatabaseAuthenticationEnabled, NetworkType: ptr("IPV4"),
		MonitoringInterval: ptr(orDefault(in.MonitoringInterval, 0)), PerformanceInsightsEnabled: ptr(deref(in.EnablePerformanceInsights)),
		DBParameterGroups: []types.DBParameterGroupStatus{{
			DBParameterGroupName: ptr(orDefault(in.DBParameterGroupName, "default."+parameterGroupFamily(deref(cl.DB.EngineVersion)))),
			ParameterApplyStatus: ptr("in-sync"),
		}},
		OptionGroupMemberships: optionGroups(deref(cl.DB.EngineVersion)),
		TagList:                cleanTags(in.Tags),
	}
	if g, ok := r.SubnetGroups[lower(deref(cl.DB.DBSubnetGroup))]; ok {
		db.DBSubnetGroup = ptr(clone(g.Group))
	}
	return &Instance{DB: db, Since: c.Now}
}

// addMember adds the instance to the cluster's members; the first live
// member is the writer.
func addMember(cl *Cluster, inst *Instance) {
	cl.DB.DBClusterMembers = append(cl.DB.DBClusterMembers, types.DBClusterMember{
		DBInstanceIdentifier: inst.DB.DBInstanceIdentifier, IsClusterWriter: ptr(!hasWriter(cl)),
		PromotionTier: inst.DB.PromotionTier, DBClusterParameterGroupStatus: ptr("in-sync"),
	})
}

func hasWriter(cl *Cluster) bool {
	for _, m := range cl.DB.DBClusterMembers {
		if deref(m.IsClusterWriter) {
			return true
		}
	}
	return false
}

// removeMember drops a deleted instance from its cluster.
func removeMember(cl *Cluster, id string) {
	kept := cl.DB.DBClusterMembers[:0]
	for _, m := range cl.DB.DBClusterMembers {
		if deref(m.DBInstanceIdentifier) != id {
			kept = append(kept, m)
		}
	}
	cl.DB.DBClusterMembers = kept
}

// failover moves the writer role off a departing instance to the reader
// with the best promotion tier (bestReader); with none left the cluster has
// no writer.
func (r *Region) failover(cl *Cluster, leaving string) {
	setWriter(cl, r.bestReader(cl, leaving, func(status string) bool { return status != statusDeleting }))
}

// bestReader is the instance that takes over from leaving: of the members
// whose status is usable, the one with the best (lowest) promotion tier,
// then the lowest identifier; "" when there is none.
func (r *Region) bestReader(cl *Cluster, leaving string, usable func(status string) bool) string {
	best := ""
	var bestTier int32
	for _, m := range cl.DB.DBClusterMembers {
		id, tier := deref(m.DBInstanceIdentifier), deref(m.PromotionTier)
		inst, ok := r.Instances[id]
		if !ok || id == leaving || !usable(deref(inst.DB.DBInstanceStatus)) {
			continue
		}
		if best == "" || tier < bestTier || (tier == bestTier && id < best) {
			best, bestTier = id, tier
		}
	}
	return best
}

// setWriter makes id the cluster's only writer ("" leaves none).
func setWriter(cl *Cluster, id string) {
	for i, m := range cl.DB.DBClusterMembers {
		cl.DB.DBClusterMembers[i].IsClusterWriter = ptr(id != "" && deref(m.DBInstanceIdentifier) == id)
	}
}

func (r *Region) instance(ref *string) (*Instance, error) {
	inst, ok := r.Instances[lower(idFromARN(deref(ref), "db"))]
	if !ok {
		return nil, errInstanceNotFound(deref(ref))
	}
	return inst, nil
}

func modifyDBInstance(c *api.Call, in *rds.ModifyDBInstanceInput) (*rds.ModifyDBInstanceOutput, error) {
	r := region(c)
	inst, err := r.instance(in.DBInstanceIdentifier)
	if err != nil {
		return nil, err
	}
	if status := deref(inst.DB.DBInstanceStatus); status != statusAvailable {
		return nil, api.Errorf(codeInstanceState, "Database instance is not in available state (it is %s).", status)
	}
	if in.NewDBInstanceIdentifier != nil && lower(*in.NewDBInstanceIdentifier) != deref(inst.DB.DBInstanceIdentifier) {
		return nil, invalidValue("The sandbox does not rename DB instances (NewDBInstanceIdentifier).")
	}
	if class := deref(in.DBInstanceClass); class != "" && !strings.HasPrefix(class, "db.") {
		return nil, invalidValue("Invalid DB instance class: %s", class)
	}
	setIf(&inst.DB.PromotionTier, in.PromotionTier)
	setIf(&inst.DB.PubliclyAccessible, in.PubliclyAccessible)
	setIf(&inst.DB.AutoMinorVersionUpgrade, in.AutoMinorVersionUpgrade)
	setIf(&inst.DB.PreferredMaintenanceWindow, in.PreferredMaintenanceWindow)
	setIf(&inst.DB.CACertificateIdentifier, in.CACertificateIdentifier)
	setIf(&inst.DB.CopyTagsToSnapshot, in.CopyTagsToSnapshot)
	if in.PromotionTier != nil {
		r.syncPromotionTier(inst)
	}
	changeClass(c, inst, deref(in.DBInstanceClass), deref(in.ApplyImmediately))
	return &rds.ModifyDBInstanceOutput{DBInstance: ptr(clone(inst.DB))}, nil
}

// changeClass applies a new instance class at once (status modifying) or
// leaves it pending for the maintenance window.
func changeClass(c *api.Call, inst *Instance, class string, now bool) {
	if class == "" || class == deref(inst.DB.DBInstanceClass) {
		return
	}
	if !now {
		inst.DB.PendingModifiedValues = &types.PendingModifiedValues{DBInstanceClass: ptr(class)}
		return
	}
	inst.DB.DBInstanceClass, inst.DB.PendingModifiedValues = ptr(class), nil
	inst.DB.DBInstanceStatus, inst.Since = ptr(statusModifying), c.Now
}

func (r *Region) syncPromotionTier(inst *Instance) {
	cl, ok := r.Clusters[deref(inst.DB.DBClusterIdentifier)]
	if !ok {
		return
	}
	for i, m := range cl.DB.DBClusterMembers {
		if deref(m.DBInstanceIdentifier) == deref(inst.DB.DBInstanceIdentifier) {
			cl.DB.DBClusterMembers[i].PromotionTier = inst.DB.PromotionTier
		}
	}
}

func deleteDBInstance(c *api.Call, in *rds.DeleteDBInstanceInput) (*rds.DeleteDBInstanceOutput, error) {
	r := region(c)
	inst, err := r.instance(in.DBInstanceIdentifier)
	if err != nil {
		return nil, err
	}
	if deref(inst.DB.DBInstanceStatus) == statusDeleting {
		return nil, api.Errorf(codeInstanceState, "Instance %s is already being deleted.", deref(inst.DB.DBInstanceIdentifier))
	}
	if in.FinalDBSnapshotIdentifier != nil {
		return nil, invalidCombination("FinalDBSnapshotIdentifier can not be specified when deleting a cluster instance.")
	}
	if cl, ok := r.Clusters[deref(inst.DB.DBClusterIdentifier)]; ok && isWriter(cl, inst) {
		r.failover(cl, deref(inst.DB.DBInstanceIdentifier))
	}
	inst.DB.DBInstanceStatus, inst.Since = ptr(statusDeleting), c.Now
	return &rds.DeleteDBInstanceOutput{DBInstance: ptr(clone(inst.DB))}, nil
}

func isWriter(cl *Cluster, inst *Instance) bool {
	for _, m := range cl.DB.DBClusterMembers {
		if deref(m.DBInstanceIdentifier) == deref(inst.DB.DBInstanceIdentifier) {
			return deref(m.IsClusterWriter)
		}
	}
	return false
}

// updateMultiAZ marks a cluster Multi-AZ when its instances span zones.
func (r *Region) updateMultiAZ(cl *Cluster) {
	zones := map[string]bool{}
	for _, m := range cl.DB.DBClusterMembers {
		if inst, ok := r.Instances[deref(m.DBInstanceIdentifier)]; ok {
			zones[deref(inst.DB.AvailabilityZone)] = true
		}
	}
	cl.DB.MultiAZ = ptr(len(zones) > 1)
}

// optionGroups is the default option group membership of an Aurora
// PostgreSQL instance of the given engine version.
func optionGroups(version string) []types.OptionGroupMembership {
	return []types.OptionGroupMembership{{OptionGroupName: ptr("default:" + engineAuroraPostgreSQL + "-" + major(version)), Status: ptr("in-sync")}}
}
