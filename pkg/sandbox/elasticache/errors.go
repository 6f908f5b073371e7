package elasticache

import "github.com/kcstack/kcstack/pkg/sandbox/api"

// Error codes and HTTP statuses as the ElastiCache model's error shapes
// give them.
const (
	codeInvalidValue           = "InvalidParameterValue"
	codeInvalidCombination     = "InvalidParameterCombination"
	codeInvalidARN             = "InvalidARN"
	codeSubnetGroupExists      = "CacheSubnetGroupAlreadyExists"
	codeSubnetGroupNotFound    = "CacheSubnetGroupNotFoundFault"
	codeSubnetGroupInUse       = "CacheSubnetGroupInUse"
	codeInvalidSubnet          = "InvalidSubnet"
	codeUserExists             = "UserAlreadyExists"
	codeUserNotFound           = "UserNotFound"
	codeDuplicateUserName      = "DuplicateUserName"
	codeUserState              = "InvalidUserState"
	codeDefaultUserInGroup     = "DefaultUserAssociatedToUserGroup"
	codeUserGroupExists        = "UserGroupAlreadyExists"
	codeUserGroupNotFound      = "UserGroupNotFound"
	codeUserGroupState         = "InvalidUserGroupState"
	codeDefaultUserRequired    = "DefaultUserRequired"
	codeGroupExists            = "ReplicationGroupAlreadyExists"
	codeGroupNotFound          = "ReplicationGroupNotFoundFault"
	codeGroupState             = "InvalidReplicationGroupState"
	codeClusterNotFound        = "CacheClusterNotFound"
	codeParameterGroupNotFound = "CacheParameterGroupNotFound"
	codeSnapshotExists         = "SnapshotAlreadyExistsFault"
	codeSnapshotNotFound       = "SnapshotNotFoundFault"
	codeSnapshotState          = "InvalidSnapshotState"
	codeNoOperation            = "NoOperationFault"
	codeTagQuota               = "TagQuotaPerResourceExceeded"
	codeInvalidVPCNetwork      = "InvalidVPCNetworkStateFault"
)

func invalidValue(format string, args ...any) *api.Error {
	return api.Errorf(codeInvalidValue, format, args...)
}

func invalidCombination(format string, args ...any) *api.Error {
	return api.Errorf(codeInvalidCombination, format, args...)
}

func errUserNotFound(id string) *api.Error {
	return api.NotFound(codeUserNotFound, "User %s not found.", id)
}

func errUserGroupNotFound(id string) *api.Error {
	return api.NotFound(codeUserGroupNotFound, "User group %s not found.", id)
}

func errGroupNotFound(id string) *api.Error {
	return api.NotFound(codeGroupNotFound, "ReplicationGroup %s not found.", id)
}

func errSubnetGroupNotFound(name string) *api.Error {
	return api.Errorf(codeSubnetGroupNotFound, "CacheSubnetGroup %s not found.", name)
}

func errSnapshotNotFound(name string) *api.Error {
	return api.NotFound(codeSnapshotNotFound, "Snapshot %s not found.", name)
}

func errClusterNotFound(id string) *api.Error {
	return api.NotFound(codeClusterNotFound, "CacheCluster %s not found.", id)
}

func notFoundParameterGroup(name string) *api.Error {
	return api.NotFound(codeParameterGroupNotFound, "CacheParameterGroup %s not found.", name)
}
