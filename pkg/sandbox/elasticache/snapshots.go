package elasticache

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/aws/aws-sdk-go-v2/service/elasticache/types"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

// finalSnapshot takes the snapshot DeleteReplicationGroup asks for, named
// name; a name already taken fails with SnapshotAlreadyExistsFault.
func (r *Region) finalSnapshot(c *api.Call, g *ReplicationGroup, name string) error {
	if name == "" || len(name) > 255 {
		return invalidValue("FinalSnapshotIdentifier must be 1 to 255 characters.")
	}
	if _, exists := r.Snapshots[lower(name)]; exists {
		return api.Errorf(codeSnapshotExists, "Snapshot %s already exists.", name)
	}
	sg := r.SubnetGroups[g.SubnetGroup]
	snap := types.Snapshot{
		SnapshotName: aws.String(name), ARN: aws.String(arn(c, "snapshot", name)), SnapshotStatus: aws.String(statusCreating),
		SnapshotSource: aws.String("manual"), ReplicationGroupId: aws.String(g.ID), ReplicationGroupDescription: aws.String(g.Description),
		CacheNodeType: aws.String(g.NodeType), Engine: aws.String(g.Engine), EngineVersion: aws.String(g.EngineVersion),
		NumNodeGroups: aws.Int32(1), CacheParameterGroupName: aws.String(g.ParameterGroup), CacheSubnetGroupName: aws.String(g.SubnetGroup),
		Port: aws.Int32(g.Port), AutoMinorVersionUpgrade: aws.Bool(g.AutoMinorUpgrade), SnapshotRetentionLimit: aws.Int32(g.SnapshotRetention),
		SnapshotWindow: aws.String(g.SnapshotWindow), PreferredMaintenanceWindow: aws.String(g.MaintenanceWindow),
		AutomaticFailover: types.AutomaticFailoverStatusDisabled, DataTiering: types.DataTieringStatusDisabled,
		NodeSnapshots: []types.NodeSnapshot{{NodeGroupId: aws.String("0001"), CacheNodeCreateTime: aws.Time(g.Created), SnapshotCreateTime: aws.Time(c.Now)}},
	}
	if g.AutomaticFailover {
		snap.AutomaticFailover = types.AutomaticFailoverStatusEnabled
	}
	if sg != nil {
		snap.VpcId = aws.String(sg.VpcID)
	}
	if g.KmsKeyID != "" {
		snap.KmsKeyId = aws.String(g.KmsKeyID)
	}
	r.Snapshots[lower(name)] = &Snapshot{Snap: snap, Since: c.Now}
	return nil
}

func describeSnapshots(c *api.Call, in *elasticache.DescribeSnapshotsInput) (*elasticache.DescribeSnapshotsOutput, error) {
	r := region(c)
	if in.SnapshotName != nil {
		if _, ok := r.Snapshots[lower(*in.SnapshotName)]; !ok {
			return nil, errNotFound(codeSnapshotNotFound, "Snapshot", *in.SnapshotName)
		}
	}
	var snaps []types.Snapshot
	for _, name := range sortedKeys(r.Snapshots) {
		s := r.Snapshots[name].Snap
		switch {
		case in.SnapshotName != nil && name != lower(*in.SnapshotName),
			in.ReplicationGroupId != nil && aws.ToString(s.ReplicationGroupId) != lower(*in.ReplicationGroupId),
			in.CacheClusterId != nil,
			in.SnapshotSource != nil && aws.ToString(s.SnapshotSource) != *in.SnapshotSource:
			continue
		}
		s.NodeSnapshots = append([]types.NodeSnapshot(nil), s.NodeSnapshots...)
		snaps = append(snaps, s)
	}
	out, marker, err := pageOf(snaps, in.Marker, in.MaxRecords)
	if err != nil {
		return nil, err
	}
	return &elasticache.DescribeSnapshotsOutput{Snapshots: out, Marker: marker}, nil
}

func deleteSnapshot(c *api.Call, in *elasticache.DeleteSnapshotInput) (*elasticache.DeleteSnapshotOutput, error) {
	r := region(c)
	name := lower(aws.ToString(in.SnapshotName))
	sn, ok := r.Snapshots[name]
	if !ok {
		return nil, errNotFound(codeSnapshotNotFound, "Snapshot", aws.ToString(in.SnapshotName))
	}
	if aws.ToString(sn.Snap.SnapshotStatus) != statusAvailable {
		return nil, api.Errorf(codeSnapshotState, "Snapshot %s is %s, not available.", name, aws.ToString(sn.Snap.SnapshotStatus))
	}
	delete(r.Snapshots, name)
	out := sn.Snap
	out.SnapshotStatus = aws.String(statusDeleting)
	return &elasticache.DeleteSnapshotOutput{Snapshot: &out}, nil
}
