package aurora

// The property names of the three RDS kinds, as desired resources and
// observations carry them. A name several kinds share is declared once.
const (
	// DB clusters and instances: the identifier, and the engine.
	propIdentifier = "identifier"
	propEngine     = "engine"
	// DB clusters.
	propEngineVersion      = "engine_version"
	propDatabaseName       = "database_name"
	propMasterUsername     = "master_username"
	propManagePassword     = "manage_master_user_password"
	propPort               = "port"
	propSubnetGroupName    = "db_subnet_group_name"
	propSecurityGroupIDs   = "vpc_security_group_ids"
	propStorageEncrypted   = "storage_encrypted"
	propDeletionProtection = "deletion_protection"
	propBackupRetention    = "backup_retention_period"
	// DB instances.
	propClusterIdentifier = "cluster_identifier"
	propInstanceClass     = "instance_class"
	propAvailabilityZone  = "availability_zone"
	propPromotionTier     = "promotion_tier"
	// DB subnet groups.
	propName        = "name"
	propDescription = "description"
	propSubnetIDs   = "subnet_ids"
)
