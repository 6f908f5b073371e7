package cache

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticache/types"
	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/aws/awstest"
	"github.com/kcstack/kcstack/pkg/resource"
)

// observedGroup is a replication group as the observer reports one that
// matches groupProps.
var observedGroup = resource.Props{
	propReplicationGroupID: "kc-redis", propDescription: "Redis", propEngine: "redis", propEngineVersion: "7.1.0",
	propNodeType: "cache.t4g.small", propReplicas: int64(1), propSubnetGroup: "kc-redis", propSecurityGroupIDs: []any{"sg-1"},
	propUserGroupIDs: []any{"kc-redis"}, propParameterGroup: "default.redis7", propMaintenanceWindow: "sun:05:00-sun:06:00",
	propSnapshotWindow: "03:00-04:00", propSnapshotRetention: int64(7), propPort: int64(6379),
	propTransitEncryption: true, propAtRestEncryption: true, propAutomaticFailover: true, propMultiAZ: true,
}

func groupProps() resource.Props {
	p := resource.Props{}
	for k, v := range observedGroup {
		p[k] = v
	}
	p[propEngineVersion], p[propParameterGroup], p[propMaintenanceWindow] = "7.1", "", "Sun:05:00-Sun:06:00"
	return p
}

func TestReplicationGroupDiff(t *testing.T) {
	h := &ReplicationGroupHandler{}
	h.Descriptor = replicationGroupKind
	cases := map[string]struct {
		reason string
		want   resource.Props
		paths  []string
	}{
		"Same": {reason: "a minor version given as major.minor, no parameter group and a window in another case match", want: groupProps()},
		"Version": {reason: "another minor version is an update",
			want: awstest.With(groupProps(), propEngineVersion, "7.2"), paths: []string{propEngineVersion}},
		"VersionPrefix": {reason: "7.1 does not match 7.10.0",
			want: awstest.With(groupProps(), propEngineVersion, "7.10"), paths: []string{propEngineVersion}},
		"Replicas": {reason: "replicas change in place",
			want: awstest.With(groupProps(), propReplicas, int64(2)), paths: []string{propReplicas}},
		"Encryption": {reason: "encryption at rest forces a replacement",
			want: awstest.With(groupProps(), propAtRestEncryption, false), paths: []string{propAtRestEncryption + " (replace: encryption at rest is set at creation only)"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := h.Diff(resource.Desired{Props: tc.want}, resource.Observation{Props: observedGroup})
			if diff := cmp.Diff(tc.paths, awstest.Paths(got)); diff != "" {
				t.Errorf("%s\nDiff paths: -want +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestUserDiff(t *testing.T) {
	h := &UserHandler{}
	h.Descriptor = userKind
	observed := resource.Props{propUserID: "kc-shop", propUserName: "shop", propEngine: "redis", propAccessString: "on ~shop:* +@all",
		propPasswordSecretARN: "arn:s", propPasswordVersion: "v1"}
	cases := map[string]struct {
		reason string
		want   resource.Props
		paths  []string
	}{
		"Same": {reason: "runs of blanks in an access string do not matter",
			want: awstest.With(observed, propAccessString, "on  ~shop:*   +@all")},
		"Rotation": {reason: "a new secret version is an update",
			want: awstest.With(observed, propPasswordVersion, "v2"), paths: []string{propPasswordVersion}},
		"Default": {reason: "a user without a secret compares without one",
			want: awstest.Without(awstest.Without(observed, propPasswordSecretARN), propPasswordVersion)},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := h.Diff(resource.Desired{Props: tc.want}, resource.Observation{Props: observed})
			if diff := cmp.Diff(tc.paths, awstest.Paths(got)); diff != "" {
				t.Errorf("%s\nDiff paths: -want +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestUserObservationKeepsPasswordTagsOut(t *testing.T) {
	tags := map[string]string{resource.TagStack: "kc", tagPasswordSecret: "arn:s", tagPasswordVersion: "v1"}
	o := userObservationOf(tags)
	if _, ok := o.Tags[tagPasswordVersion]; ok || o.Props[propPasswordVersion] != "v1" || o.Props[propPasswordSecretARN] != "arn:s" {
		t.Errorf("observation tags %v props %v: the password tags must be props only", o.Tags, o.Props)
	}
	if diffs := resource.TagDiffs(map[string]string{resource.TagStack: "kc"}, o.Tags); len(diffs) != 0 {
		t.Errorf("tag diffs %v: the password tags must never be planned for removal", diffs)
	}
}

func userObservationOf(tags map[string]string) resource.Observation {
	return userObservation(types.User{UserId: aws.String("kc-shop"), UserName: aws.String("shop")}, tags, "redis.user[shop]", "kc")
}
