package rds

import (
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

// Defaults CreateDBCluster applies.
const (
	defaultPort              = 5432
	defaultBackupRetention   = 1
	defaultBackupWindow      = "03:00-03:30"
	defaultMaintenanceWindow = "sun:04:00-sun:04:30"
)

func createDBCluster(c *api.Call, in *rds.CreateDBClusterInput) (*rds.CreateDBClusterOutput, error) {
	id := lower(deref(in.DBClusterIdentifier))
	if err := validateCreateCluster(in); err != nil {
		return nil, err
	}
	r := region(c)
	if _, exists := r.Clusters[id]; exists {
		return nil, api.Errorf(codeClusterExists, "DB Cluster already exists")
	}
	cl := newCluster(c, r, in)
	if err := placeCluster(c, r, cl, in); err != nil {
		return nil, err
	}
	if deref(in.ManageMasterUserPassword) {
		if err := manageMasterPassword(c, r, &cl.DB, deref(in.MasterUserSecretKmsKeyId)); err != nil {
			return nil, err
		}
	}
	r.Clusters[id] = cl
	return &rds.CreateDBClusterOutput{DBCluster: ptr(cl.view(c.Now))}, nil
}

// validateCreateCluster checks the request on its own, before any lookup.
func validateCreateCluster(in *rds.CreateDBClusterInput) error {
	if err := checkIdentifier("DBClusterIdentifier", deref(in.DBClusterIdentifier), 63); err != nil {
		return err
	}
	if err := checkEngine(deref(in.Engine), deref(in.EngineVersion)); err != nil {
		return err
	}
	if err := checkMasterUsername(deref(in.MasterUsername)); err != nil {
		return err
	}
	if err := checkPasswordChoice(in.MasterUserPassword, deref(in.ManageMasterUserPassword)); err != nil {
		return err
	}
	if err := checkDatabaseName(in.DatabaseName); err != nil {
		return err
	}
	if in.BackupRetentionPeriod != nil {
		return checkBackupRetention(*in.BackupRetentionPeriod)
	}
	return nil
}

func checkEngine(engine, version string) error {
	switch {
	case engine == "":
		return invalidValue("The parameter Engine must be provided and must not be blank.")
	case engine != engineAuroraPostgreSQL:
		return invalidValue("Invalid DB engine: %s. The sandbox emulates %s clusters only.", engine, engineAuroraPostgreSQL)
	case version != "" && !knownVersion(version):
		return invalidCombination("Cannot find version %s for %s", version, engine)
	}
	return nil
}

// checkMasterUsername: 1 to 63 letters, digits and underscores, a letter
// first, not a reserved word.
func checkMasterUsername(name string) error {
	if name == "" {
		return invalidValue("The parameter MasterUsername must be provided and must not be blank.")
	}
	ok := len(name) <= 63 && isLetter(name[0])
	for i := 0; ok && i < len(name); i++ {
		ok = isLetter(name[i]) || isDigit(name[i]) || name[i] == '_'
	}
	if !ok {
		return invalidValue("The parameter MasterUsername is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and underscores; and must be 1 to 63 characters long.")
	}
	if reservedUsername(name) {
		return invalidValue("MasterUsername %s cannot be used as it is a reserved word used by the engine", name)
	}
	return nil
}

func reservedUsername(name string) bool {
	switch lower(name) {
	case "rdsadmin", "rdsrepladmin", "rds_superuser", "postgres", "public", "user", "select", "all":
		return true
	}
	return false
}

// checkPasswordChoice: a cluster gets a password or a managed secret,
// exactly one of them.
func checkPasswordChoice(password *string, managed bool) error {
	switch {
	case password != nil && managed:
		return invalidCombination("You can't specify MasterUserPassword and ManageMasterUserPassword at the same time.")
	case password == nil && !managed:
		return invalidValue("The parameter MasterUserPassword must be provided and must not be blank.")
	case password != nil:
		return checkPassword(*password)
	}
	return nil
}

// checkPassword applies PostgreSQL's rules: 8 to 99 printable ASCII
// characters other than /, ", @ and space. The message never shows it.
func checkPassword(p string) error {
	if len(p) < 8 || len(p) > 99 {
		return invalidValue("The parameter MasterUserPassword is not a valid password because it is shorter than 8 characters or longer than 99.")
	}
	for i := 0; i < len(p); i++ {
		if p[i] <= ' ' || p[i] > '~' || strings.IndexByte(`/"@`, p[i]) >= 0 {
			return invalidValue("The parameter MasterUserPassword is not a valid password. Only printable ASCII characters besides '/', '@', '\"', ' ' may be used.")
		}
	}
	return nil
}

func checkDatabaseName(name *string) error {
	if name == nil {
		return nil
	}
	n := *name
	ok := n != "" && len(n) <= 63 && isLetter(n[0])
	for i := 0; ok && i < len(n); i++ {
		ok = isLetter(n[i]) || isDigit(n[i]) || n[i] == '_'
	}
	if !ok {
		return invalidValue("DatabaseName must begin with a letter and contain only alphanumeric characters and underscores, up to 63 of them.")
	}
	return nil
}

func checkBackupRetention(days int32) error {
	if days < 1 || days > 35 {
		return invalidValue("Invalid backup retention period: %d. The backup retention period must be between 1 and 35 days.", days)
	}
	return nil
}

// newCluster builds the description of a cluster being created. It is one
// declarative table of what AWS reports for a new Aurora cluster and its
// defaults, hence its length.
func newCluster(c *api.Call, r *Region, in *rds.CreateDBClusterInput) *Cluster {
	id := lower(deref(in.DBClusterIdentifier))
	version := deref(in.EngineVersion)
	if version == "" {
		version = defaultEngineVersion
	}
	port := deref(in.Port)
	if port == 0 {
		port = defaultPort
	}
	db := types.DBCluster{
		DBClusterIdentifier: ptr(id), DBClusterArn: ptr(arn(c, "cluster", id)), DbClusterResourceId: ptr(resourceID("cluster")),
		Engine: ptr(engineAuroraPostgreSQL), EngineVersion: ptr(version), EngineMode: ptr("provisioned"),
		Status: ptr(statusCreating), MasterUsername: in.MasterUsername, DatabaseName: in.DatabaseName, Port: ptr(port),
		Endpoint:       ptr(fmt.Sprintf("%s.cluster-%s.%s.rds.amazonaws.com", id, r.EndpointID, c.Region)),
		ReaderEndpoint: ptr(fmt.Sprintf("%s.cluster-ro-%s.%s.rds.amazonaws.com", id, r.EndpointID, c.Region)),
		HostedZoneId:   ptr(hostedZone(c.Region)), ClusterCreateTime: ptr(c.Now),
		DBClusterParameterGroup:    ptr("default." + parameterGroupFamily(version)),
		BackupRetentionPeriod:      ptr(orDefault(in.BackupRetentionPeriod, defaultBackupRetention)),
		PreferredBackupWindow:      ptr(orDefault(in.PreferredBackupWindow, defaultBackupWindow)),
		PreferredMaintenanceWindow: ptr(orDefault(in.PreferredMaintenanceWindow, defaultMaintenanceWindow)),
		DeletionProtection:         ptr(deref(in.DeletionProtection)), CopyTagsToSnapshot: ptr(deref(in.CopyTagsToSnapshot)),
		StorageEncrypted: ptr(deref(in.StorageEncrypted) || in.KmsKeyId != nil), StorageType: ptr("aurora"),
		AllocatedStorage: ptr[int32](1), MultiAZ: ptr(false), NetworkType: ptr("IPV4"),
		IAMDatabaseAuthenticationEnabled: ptr(deref(in.EnableIAMDatabaseAuthentication)),
		HttpEndpointEnabled:              ptr(false), CrossAccountClone: ptr(false),
		AutoMinorVersionUpgrade: ptr(orDefault(in.AutoMinorVersionUpgrade, true)),
		EngineLifecycleSupport:  ptr(orDefault(in.EngineLifecycleSupport, "open-source-rds-extended-support")),
		ActivityStreamStatus:    types.ActivityStreamStatusStopped, TagList: cleanTags(in.Tags),
		DBClusterMembers: []types.DBClusterMember{}, AssociatedRoles: []types.DBClusterRole{},
		ClusterScalabilityType: types.ClusterScalabilityTypeStandard,
	}
	if deref(db.StorageEncrypted) {
		db.KmsKeyId = ptr(orDefault(in.KmsKeyId, r.RDSKeyARN))
	}
	if s := in.ServerlessV2ScalingConfiguration; s != nil {
		db.ServerlessV2ScalingConfiguration = &types.ServerlessV2ScalingConfigurationInfo{MinCapacity: s.MinCapacity, MaxCapacity: s.MaxCapacity, SecondsUntilAutoPause: s.SecondsUntilAutoPause}
	}
	return &Cluster{DB: db, Since: c.Now}
}

// placeCluster sets the cluster's subnet group, zones and security
// groups from the request.
func placeCluster(c *api.Call, r *Region, cl *Cluster, in *rds.CreateDBClusterInput) error {
	vpc := ""
	cl.DB.AvailabilityZones = []string{c.Region + "a", c.Region + "b", c.Region + "c"}
	if name := deref(in.DBSubnetGroupName); name != "" {
		g, ok := r.SubnetGroups[lower(name)]
		if !ok {
			return errSubnetGroupNotFound(name)
		}
		cl.DB.DBSubnetGroup = g.Group.DBSubnetGroupName
		cl.DB.AvailabilityZones = groupZones(g)
		vpc = deref(g.Group.VpcId)
	}
	groups, err := securityGroups(c, in.VpcSecurityGroupIds, vpc)
	if err != nil {
		return err
	}
	cl.DB.VpcSecurityGroups = memberships(groups)
	return nil
}

// groupZones returns up to three zones of a subnet group, as Aurora
// spreads storage over three.
func groupZones(g *SubnetGroup) []string {
	var zones []string
	seen := map[string]bool{}
	for _, s := range g.Group.Subnets {
		z := deref(s.SubnetAvailabilityZone.Name)
		if !seen[z] {
			seen[z] = true
			zones = append(zones, z)
		}
	}
	sortStrings(zones)
	return zones[:min(3, len(zones))]
}

func memberships(ids []string) []types.VpcSecurityGroupMembership {
	out := make([]types.VpcSecurityGroupMembership, 0, len(ids))
	for _, id := range ids {
		out = append(out, types.VpcSecurityGroupMembership{VpcSecurityGroupId: ptr(id), Status: ptr("active")})
	}
	return out
}

// orDefault is *p, or def when p is nil.
func orDefault[T any](p *T, def T) T {
	if p == nil {
		return def
	}
	return *p
}
