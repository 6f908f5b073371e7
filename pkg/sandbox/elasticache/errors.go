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

// errNotFound is the fault code answers for the missing resource what
// (User, ReplicationGroup, ...) id: 404 as the model gives it, but 400 for
// cache subnet groups.
func errNotFound(code, what, id string) *api.Error {
	e := api.NotFound(code, "%s %s not found.", what, id)
	if code == codeSubnetGroupNotFound {
		e.Status = 0
	}
	return e
}
