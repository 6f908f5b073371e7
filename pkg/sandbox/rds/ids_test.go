package rds

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/rds/types"
	"github.com/google/go-cmp/cmp"
)

func TestCloneDoesNotAlias(t *testing.T) {
	created := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	orig := types.DBCluster{
		DBClusterIdentifier: ptr("a"), ClusterCreateTime: &created,
		DBClusterMembers:  []types.DBClusterMember{{DBInstanceIdentifier: ptr("a-1"), IsClusterWriter: ptr(true)}},
		MasterUserSecret:  &types.MasterUserSecret{SecretStatus: ptr("creating")},
		TagList:           []types.Tag{{Key: ptr("k"), Value: ptr("v")}},
		AvailabilityZones: []string{"eu-west-1a"},
	}
	want := clone(orig)
	if diff := cmp.Diff(orig, want, sdkOpts); diff != "" {
		t.Fatalf("clone differs: -orig +clone:\n%s", diff)
	}
	c := clone(orig)
	*c.DBClusterIdentifier = "b"
	c.DBClusterMembers[0].IsClusterWriter = ptr(false)
	c.MasterUserSecret.SecretStatus = ptr("active")
	*c.TagList[0].Value = "changed"
	c.AvailabilityZones[0] = "eu-west-1b"
	if diff := cmp.Diff(want, orig, sdkOpts); diff != "" {
		t.Errorf("changing a clone changed the original: -before +after:\n%s", diff)
	}
}
