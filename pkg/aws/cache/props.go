package cache

// The property names of the four kinds, as desired resources and
// observations carry them.
const (
	propEngine = "engine"
	// Cache subnet groups.
	propName        = "name"
	propDescription = "description"
	propSubnetIDs   = "subnet_ids"
	// Users.
	propUserID            = "user_id"
	propUserName          = "user_name"
	propAccessString      = "access_string"
	propPasswordSecretARN = "password_secret_arn"
	propPasswordVersion   = "password_version"
	// User groups.
	propUserGroupID = "user_group_id"
	propUserIDs     = "user_ids"
	// Replication groups.
	propReplicationGroupID = "replication_group_id"
	propEngineVersion      = "engine_version"
	propNodeType           = "node_type"
	propReplicas           = "replicas"
	propSubnetGroup        = "subnet_group"
	propSecurityGroupIDs   = "security_group_ids"
	propUserGroupIDs       = "user_group_ids"
	propParameterGroup     = "parameter_group"
	propMaintenanceWindow  = "maintenance_window"
	propSnapshotWindow     = "snapshot_window"
	propSnapshotRetention  = "snapshot_retention_days"
	propPort               = "port"
	propTransitEncryption  = "transit_encryption"
	propAtRestEncryption   = "at_rest_encryption"
	propAutomaticFailover  = "automatic_failover"
	propMultiAZ            = "multi_az"
)

// Attributes of the observations.
const (
	attrARN             = "arn"
	attrStatus          = "status"
	attrPrimaryEndpoint = "primary_endpoint"
	attrReaderEndpoint  = "reader_endpoint"
	attrPort            = "port"
)

// Tags the user handler keeps on a user: which secret and which of its
// versions the user's password came from. Observations carry them as
// props, never as tags.
const (
	tagPasswordSecret  = "kcstack:password-secret"
	tagPasswordVersion = "kcstack:password-version"
)

// engineRedis is the engine of every resource a stack owns.
const engineRedis = "redis"
