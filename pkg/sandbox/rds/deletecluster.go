package rds

import (
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

func deleteDBCluster(c *api.Call, in *rds.DeleteDBClusterInput) (*rds.DeleteDBClusterOutput, error) {
	snapshotID, err := finalSnapshotID(in)
	if err != nil {
		return nil, err
	}
	r := region(c)
	cl, err := r.cluster(in.DBClusterIdentifier)
	if err != nil {
		return nil, err
	}
	if err := r.checkDeletable(cl); err != nil {
		return nil, err
	}
	if snapshotID != "" {
		if _, exists := r.Snapshots[snapshotID]; exists {
			return nil, api.Errorf(codeSnapshotExists, "Cannot create the cluster snapshot because one with the identifier %s already exists.", snapshotID)
		}
		r.Snapshots[snapshotID] = r.snapshotOf(c, cl, snapshotID)
	}
	dropMasterSecret(c, &cl.DB)
	cl.DB.Status, cl.Since = ptr(statusDeleting), c.Now
	return &rds.DeleteDBClusterOutput{DBCluster: ptr(cl.view(c.Now))}, nil
}

// finalSnapshotID validates SkipFinalSnapshot and FinalDBSnapshotIdentifier
// and returns the snapshot to take, "" for none.
func finalSnapshotID(in *rds.DeleteDBClusterInput) (string, error) {
	id := deref(in.FinalDBSnapshotIdentifier)
	switch {
	case deref(in.SkipFinalSnapshot) && id != "":
		return "", invalidCombination("FinalDBSnapshotIdentifier can't be specified when SkipFinalSnapshot is enabled.")
	case deref(in.SkipFinalSnapshot):
		return "", nil
	case id == "":
		return "", invalidCombination("FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot is specified.")
	}
	if err := checkIdentifier("FinalDBSnapshotIdentifier", id, 255); err != nil {
		return "", err
	}
	return lower(id), nil
}

// checkDeletable refuses to delete a cluster that is already going, is
// protected, or still has instances that are not being deleted.
func (r *Region) checkDeletable(cl *Cluster) error {
	switch {
	case deref(cl.DB.Status) == statusDeleting:
		return api.Errorf(codeClusterState, "DB cluster %s is already being deleted.", deref(cl.DB.DBClusterIdentifier))
	case deref(cl.DB.DeletionProtection):
		return invalidCombination("Cannot delete protected Cluster, please disable deletion protection and try again.")
	}
	for _, m := range cl.DB.DBClusterMembers {
		if inst, ok := r.Instances[deref(m.DBInstanceIdentifier)]; ok && deref(inst.DB.DBInstanceStatus) != statusDeleting {
			return api.Errorf(codeClusterState, "Cluster cannot be deleted, it still contains DB instances in non-deleting state.")
		}
	}
	return nil
}

// snapshotOf takes a manual snapshot of the cluster.
func (r *Region) snapshotOf(c *api.Call, cl *Cluster, id string) *Snapshot {
	db := cl.DB
	sn := types.DBClusterSnapshot{
		DBClusterSnapshotIdentifier: ptr(id), DBClusterSnapshotArn: ptr(arn(c, "cluster-snapshot", id)),
		DBClusterIdentifier: db.DBClusterIdentifier, DbClusterResourceId: db.DbClusterResourceId,
		SnapshotType: ptr("manual"), Status: ptr(statusCreating), PercentProgress: ptr[int32](0),
		SnapshotCreateTime: ptr(c.Now), ClusterCreateTime: db.ClusterCreateTime,
		Engine: db.Engine, EngineMode: db.EngineMode, EngineVersion: db.EngineVersion,
		AllocatedStorage: db.AllocatedStorage, AvailabilityZones: clone(db.AvailabilityZones),
		MasterUsername: db.MasterUsername, Port: db.Port, StorageEncrypted: db.StorageEncrypted,
		KmsKeyId: db.KmsKeyId, StorageType: db.StorageType, LicenseModel: ptr("aurora-postgresql"),
		IAMDatabaseAuthenticationEnabled: db.IAMDatabaseAuthenticationEnabled, VpcId: optional(r.clusterVPC(cl)),
		TagList: []types.Tag{},
	}
	if deref(db.CopyTagsToSnapshot) {
		sn.TagList = clone(db.TagList)
	}
	return &Snapshot{DB: clone(sn), Since: c.Now}
}

func deleteDBClusterSnapshot(c *api.Call, in *rds.DeleteDBClusterSnapshotInput) (*rds.DeleteDBClusterSnapshotOutput, error) {
	r := region(c)
	id := lower(idFromARN(deref(in.DBClusterSnapshotIdentifier), "cluster-snapshot"))
	sn, ok := r.Snapshots[id]
	if !ok {
		return nil, errSnapshotNotFound(deref(in.DBClusterSnapshotIdentifier))
	}
	if status := deref(sn.DB.Status); status != statusAvailable {
		return nil, api.Errorf(codeSnapshotState, "DBClusterSnapshot %s is not in the available state (it is %s).", id, status)
	}
	delete(r.Snapshots, id)
	out := clone(sn.DB)
	out.Status = ptr("deleted")
	return &rds.DeleteDBClusterSnapshotOutput{DBClusterSnapshot: &out}, nil
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return ptr(s)
}
