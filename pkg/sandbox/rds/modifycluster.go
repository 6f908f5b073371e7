package rds

import (
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

// cluster finds a cluster by identifier or ARN.
func (r *Region) cluster(ref *string) (*Cluster, error) {
	cl, ok := r.Clusters[lower(idFromARN(deref(ref), "cluster"))]
	if !ok {
		return nil, errClusterNotFound(deref(ref))
	}
	return cl, nil
}

func modifyDBCluster(c *api.Call, in *rds.ModifyDBClusterInput) (*rds.ModifyDBClusterOutput, error) {
	r := region(c)
	cl, err := r.cluster(in.DBClusterIdentifier)
	if err != nil {
		return nil, err
	}
	if status := deref(cl.DB.Status); status != statusAvailable {
		return nil, api.Errorf(codeClusterState, "DB cluster %s is not available for modification with status %s.", deref(cl.DB.DBClusterIdentifier), status)
	}
	if err := validateModifyCluster(cl, in); err != nil {
		return nil, err
	}
	busy, err := applyClusterChanges(c, r, cl, in)
	if err != nil {
		return nil, err
	}
	if status := upgradeEngine(r, cl, in); status != "" {
		busy = status
	}
	if busy != "" {
		cl.DB.Status, cl.Since = ptr(busy), c.Now
	}
	return &rds.ModifyDBClusterOutput{DBCluster: ptr(cl.view(c.Now))}, nil
}

func validateModifyCluster(cl *Cluster, in *rds.ModifyDBClusterInput) error {
	if in.NewDBClusterIdentifier != nil && lower(*in.NewDBClusterIdentifier) != deref(cl.DB.DBClusterIdentifier) {
		return invalidValue("The sandbox does not rename DB clusters (NewDBClusterIdentifier).")
	}
	if in.BackupRetentionPeriod != nil {
		if err := checkBackupRetention(*in.BackupRetentionPeriod); err != nil {
			return err
		}
	}
	if err := checkPasswordChange(cl, in); err != nil {
		return err
	}
	if v := deref(in.EngineVersion); v != "" && v != deref(cl.DB.EngineVersion) {
		return checkUpgrade(deref(cl.DB.EngineVersion), v, deref(in.AllowMajorVersionUpgrade))
	}
	return nil
}

// checkPasswordChange validates MasterUserPassword and
// ManageMasterUserPassword against whether the secret is managed now.
func checkPasswordChange(cl *Cluster, in *rds.ModifyDBClusterInput) error {
	managed := cl.DB.MasterUserSecret != nil
	switch {
	case in.MasterUserPassword != nil && deref(in.ManageMasterUserPassword):
		return invalidCombination("You can't specify MasterUserPassword and ManageMasterUserPassword at the same time.")
	case in.MasterUserPassword != nil && managed && in.ManageMasterUserPassword == nil:
		return invalidCombination("You can't specify MasterUserPassword for a DB cluster whose master user password is managed in Secrets Manager. Set ManageMasterUserPassword to false to stop managing it.")
	case in.ManageMasterUserPassword != nil && !*in.ManageMasterUserPassword && managed && in.MasterUserPassword == nil:
		return invalidCombination("You must specify MasterUserPassword when you turn off ManageMasterUserPassword.")
	case deref(in.RotateMasterUserPassword) && (!managed || !deref(in.ApplyImmediately)):
		return invalidCombination("RotateMasterUserPassword requires a managed master user password and ApplyImmediately.")
	case in.MasterUserPassword != nil:
		return checkPassword(*in.MasterUserPassword)
	}
	return nil
}

// checkUpgrade allows known, newer versions; a new major version needs
// AllowMajorVersionUpgrade.
func checkUpgrade(from, to string, allowMajor bool) error {
	switch {
	case !knownVersion(to):
		return invalidCombination("Cannot find upgrade target from %s with requested version %s.", from, to)
	case versionLess(to, from):
		return invalidCombination("Cannot upgrade %s from %s to %s", engineAuroraPostgreSQL, from, to)
	case major(to) != major(from) && !allowMajor:
		return invalidCombination("The AllowMajorVersionUpgrade flag must be present when upgrading to a new major version.")
	}
	return nil
}

// applyClusterChanges applies everything but the engine version and
// returns the status the change puts the cluster in ("" when it stays
// available: deletion protection, backups and windows change at once).
func applyClusterChanges(c *api.Call, r *Region, cl *Cluster, in *rds.ModifyDBClusterInput) (string, error) {
	db := &cl.DB
	setIf(&db.DeletionProtection, in.DeletionProtection)
	setIf(&db.BackupRetentionPeriod, in.BackupRetentionPeriod)
	setIf(&db.PreferredBackupWindow, in.PreferredBackupWindow)
	setIf(&db.PreferredMaintenanceWindow, in.PreferredMaintenanceWindow)
	setIf(&db.CopyTagsToSnapshot, in.CopyTagsToSnapshot)
	setIf(&db.AutoMinorVersionUpgrade, in.AutoMinorVersionUpgrade)
	busy := ""
	if in.VpcSecurityGroupIds != nil {
		groups, err := securityGroups(c, in.VpcSecurityGroupIds, r.clusterVPC(cl))
		if err != nil {
			return "", err
		}
		db.VpcSecurityGroups, busy = memberships(groups), statusModifying
		r.syncInstances(cl)
	}
	if in.Port != nil && *in.Port != deref(db.Port) {
		// RDS moves the cluster and its instances to the new port, which
		// takes a while.
		db.Port, busy = in.Port, statusModifying
		r.syncInstances(cl)
	}
	if s := in.ServerlessV2ScalingConfiguration; s != nil {
		db.ServerlessV2ScalingConfiguration = &types.ServerlessV2ScalingConfigurationInfo{MinCapacity: s.MinCapacity, MaxCapacity: s.MaxCapacity, SecondsUntilAutoPause: s.SecondsUntilAutoPause}
		busy = statusModifying
	}
	changed, err := changeMasterPassword(c, r, cl, in)
	if changed {
		busy = statusModifying
	}
	return busy, err
}

// changeMasterPassword starts or stops managing the password in Secrets
// Manager, or takes a new one; it reports whether anything changed.
func changeMasterPassword(c *api.Call, r *Region, cl *Cluster, in *rds.ModifyDBClusterInput) (bool, error) {
	managed := cl.DB.MasterUserSecret != nil
	switch {
	case deref(in.ManageMasterUserPassword) && !managed:
		return true, manageMasterPassword(c, r, &cl.DB, deref(in.MasterUserSecretKmsKeyId))
	case in.ManageMasterUserPassword != nil && !*in.ManageMasterUserPassword && managed:
		dropMasterSecret(c, &cl.DB)
		return true, nil
	case deref(in.RotateMasterUserPassword) && managed:
		return true, rotateMasterPassword(c, &cl.DB)
	}
	return in.MasterUserPassword != nil || deref(in.RotateMasterUserPassword), nil
}

// upgradeEngine changes the engine version: at once with ApplyImmediately
// (status upgrading), otherwise as a pending change for the maintenance
// window, which never comes in the sandbox.
func upgradeEngine(r *Region, cl *Cluster, in *rds.ModifyDBClusterInput) string {
	v := deref(in.EngineVersion)
	if v == "" || v == deref(cl.DB.EngineVersion) {
		return ""
	}
	if !deref(in.ApplyImmediately) {
		cl.DB.PendingModifiedValues = &types.ClusterPendingModifiedValues{EngineVersion: ptr(v)}
		return ""
	}
	if major(v) != major(deref(cl.DB.EngineVersion)) {
		cl.DB.DBClusterParameterGroup = ptr(orDefault(in.DBClusterParameterGroupName, "default."+parameterGroupFamily(v)))
	}
	cl.DB.EngineVersion, cl.DB.PendingModifiedValues = ptr(v), nil
	r.syncInstances(cl)
	return statusUpgrading
}

// syncInstances copies the cluster-wide settings to its instances.
func (r *Region) syncInstances(cl *Cluster) {
	for _, m := range cl.DB.DBClusterMembers {
		if inst, ok := r.Instances[deref(m.DBInstanceIdentifier)]; ok {
			inst.DB.EngineVersion = cl.DB.EngineVersion
			inst.DB.OptionGroupMemberships = optionGroups(deref(cl.DB.EngineVersion))
			inst.DB.VpcSecurityGroups = clone(cl.DB.VpcSecurityGroups)
			if inst.DB.Endpoint != nil {
				inst.DB.Endpoint.Port = cl.DB.Port
			}
		}
	}
}

func (r *Region) clusterVPC(cl *Cluster) string {
	if g, ok := r.SubnetGroups[lower(deref(cl.DB.DBSubnetGroup))]; ok {
		return deref(g.Group.VpcId)
	}
	return ""
}

// setIf sets *dst to a copy of src when src is set.
func setIf[T any](dst **T, src *T) {
	if src != nil {
		*dst = ptr(*src)
	}
}
