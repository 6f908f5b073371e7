package cache

// AWS error codes this package tells apart.
const (
	codeSubnetGroupExists        = "CacheSubnetGroupAlreadyExists"
	codeSubnetGroupNotFound      = "CacheSubnetGroupNotFoundFault"
	codeSubnetGroupInUse         = "CacheSubnetGroupInUse"
	codeUserExists               = "UserAlreadyExists"
	codeUserNotFound             = "UserNotFound"
	codeUserState                = "InvalidUserState"
	codeDefaultUserInGroup       = "DefaultUserAssociatedToUserGroup"
	codeUserGroupExists          = "UserGroupAlreadyExists"
	codeUserGroupNotFound        = "UserGroupNotFound"
	codeUserGroupState           = "InvalidUserGroupState"
	codeReplicationGroupExists   = "ReplicationGroupAlreadyExists"
	codeReplicationGroupNotFound = "ReplicationGroupNotFoundFault"
	codeReplicationGroupState    = "InvalidReplicationGroupState"
	codeSnapshotExists           = "SnapshotAlreadyExistsFault"
	codeSnapshotNotFound         = "SnapshotNotFoundFault"
	codeClusterNotFound          = "CacheClusterNotFound"
)
