package cache

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticache/types"

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

var observedUser = resource.Props{propUserID: "kc-shop", propUserName: "shop", propEngine: "redis", propAccessString: "on ~shop:* +@all",
	propPasswordSecretARN: "arn:s", propPasswordVersion: "v1"}

func TestDiff(t *testing.T) {
	group, user := resource.KindReplicationGroup, resource.KindCacheUser
	awstest.CheckDiffs(t, Register, map[string]awstest.DiffCase{
		"Same": {Reason: "a minor version given as major.minor, no parameter group and a window in another case match",
			Kind: group, Desired: groupProps(), Live: observedGroup},
		"Version": {Reason: "another minor version is an update",
			Kind: group, Desired: awstest.With(groupProps(), propEngineVersion, "7.2"), Live: observedGroup, Want: []string{propEngineVersion}},
		"VersionPrefix": {Reason: "7.1 does not match 7.10.0",
			Kind: group, Desired: awstest.With(groupProps(), propEngineVersion, "7.10"), Live: observedGroup, Want: []string{propEngineVersion}},
		"Replicas": {Reason: "replicas change in place",
			Kind: group, Desired: awstest.With(groupProps(), propReplicas, int64(2)), Live: observedGroup, Want: []string{propReplicas}},
		"Encryption": {Reason: "encryption at rest forces a replacement",
			Kind: group, Desired: awstest.With(groupProps(), propAtRestEncryption, false), Live: observedGroup,
			Want: []string{propAtRestEncryption + " (replace: encryption at rest is set at creation only)"}},
		"AccessString": {Reason: "runs of blanks in an access string do not matter",
			Kind: user, Desired: awstest.With(observedUser, propAccessString, "on  ~shop:*   +@all"), Live: observedUser},
		"Rotation": {Reason: "a new secret version is an update",
			Kind: user, Desired: awstest.With(observedUser, propPasswordVersion, "v2"), Live: observedUser, Want: []string{propPasswordVersion}},
		"DefaultUser": {Reason: "a user without a secret compares without one",
			Kind: user, Desired: awstest.Without(awstest.Without(observedUser, propPasswordSecretARN), propPasswordVersion), Live: observedUser},
	})
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
