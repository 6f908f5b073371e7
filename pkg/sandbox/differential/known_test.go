package differential_test

// known is a difference between the sandbox and moto that has been judged.
type known struct {
	verdict verdict
	why     string
	doc     string // the AWS documentation that settles it
}

// verdict says which side follows AWS.
type verdict string

const (
	// sandboxRight: the sandbox does what AWS documents; moto does not.
	sandboxRight verdict = "sandbox follows AWS:"
	// sandboxGap: AWS returns what moto returns and the sandbox does not
	// (yet); harmless to kcstack, which does not read the field, and
	// reported to the emulation's owner.
	sandboxGap verdict = "SANDBOX GAP (to fix in the emulation):"
	// unsettled: both answers are valid AWS behaviour, or the
	// documentation does not settle it.
	unsettled verdict = "both valid or undocumented:"
	// consequence: moto differs only because an earlier step differed.
	consequence verdict = "consequence of an earlier difference:"
)

const (
	ec2Errors      = "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html"
	ec2Subnet      = "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_Subnet.html"
	ec2Peering     = "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_VpcPeeringConnection.html"
	ec2PeeringInfo = "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_VpcPeeringConnectionVpcInfo.html"
	rdsCluster     = "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DBCluster.html"
	rdsInstance    = "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DBInstance.html"
	rdsSubnetGroup = "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DBSubnetGroup.html"
	ecGroup        = "https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_ReplicationGroup.html"
	ecCreateGroup  = "https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateReplicationGroup.html"
	ecNodeGroup    = "https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_NodeGroup.html"
	ecEndpoints    = "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Endpoints.html"
	ecUserGroups   = "https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateUserGroup.html"
)

// knownDifferences are the judged differences, keyed by "<Resource>.<path>"
// for response fields (the same in every response holding the resource),
// "<Operation> <path>" for fields of a response itself, and
// "<step> error" for error codes.
var knownDifferences = map[string]known{
	// EC2: VPCs and subnets.
	"Vpc.State": {sandboxRight, "CreateVpc answers pending; the VPC becomes available after.",
		"https://docs.aws.amazon.com/ec2/latest/devguide/example_ec2_CreateVpc_section.html"},
	"Subnet.AvailabilityZoneId": {unsettled, "Zone names map to zone ids differently in each account; any euw1-azN is valid.",
		"https://docs.aws.amazon.com/ram/latest/userguide/working-with-az-ids.html"},
	"Subnet.EnableDns64":                {sandboxRight, "Subnet reports enableDns64.", ec2Subnet},
	"Subnet.MapCustomerOwnedIpOnLaunch": {sandboxRight, "Subnet reports mapCustomerOwnedIpOnLaunch.", ec2Subnet},
	"Vpc.BlockPublicAccessStates.InternetGatewayBlockMode": {sandboxRight, "VPCs report blockPublicAccessStates (internetGatewayBlockMode off by default).",
		"https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_BlockPublicAccessStates.html"},
	"Subnet.BlockPublicAccessStates.InternetGatewayBlockMode": {sandboxRight, "Subnets report blockPublicAccessStates (internetGatewayBlockMode off by default).",
		"https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_BlockPublicAccessStates.html"},

	// EC2: security groups.
	"CreateSecurityGroup Tags#len":   {sandboxRight, "CreateSecurityGroup answers the tags it applied (tagSet).", "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html"},
	"CreateSecurityGroup Tags[].Key": {sandboxRight, "as Tags#len.", "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html"},
	"CreateSecurityGroup Tags[].Value": {sandboxRight, "as Tags#len.",
		"https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html"},
	"AuthorizeSecurityGroupIngress SecurityGroupRules[].GroupOwnerId": {sandboxRight, "A SecurityGroupRule carries groupOwnerId.",
		"https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_SecurityGroupRule.html"},
	"AuthorizeSecurityGroupIngress SecurityGroupRules[].SecurityGroupRuleArn": {sandboxRight, "A SecurityGroupRule carries securityGroupRuleArn.",
		"https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_SecurityGroupRule.html"},

	// EC2: peering.
	"VpcPeeringConnection.AccepterVpcInfo.CidrBlock":                 {sandboxRight, "CIDR block information is only returned for an active connection, not by CreateVpcPeeringConnection.", ec2Peering},
	"VpcPeeringConnection.ExpirationTime":                            {sandboxRight, "An unaccepted connection reports when it expires (expirationTime).", ec2Peering},
	"VpcPeeringConnection.RequesterVpcInfo.CidrBlockSet#len":         {sandboxRight, "VpcPeeringConnectionVpcInfo reports cidrBlockSet.", ec2PeeringInfo},
	"VpcPeeringConnection.RequesterVpcInfo.CidrBlockSet[].CidrBlock": {sandboxRight, "as CidrBlockSet#len.", ec2PeeringInfo},
	"VpcPeeringConnection.AccepterVpcInfo.CidrBlockSet#len":          {sandboxRight, "as RequesterVpcInfo.CidrBlockSet#len.", ec2PeeringInfo},
	"VpcPeeringConnection.AccepterVpcInfo.CidrBlockSet[].CidrBlock":  {sandboxRight, "as RequesterVpcInfo.CidrBlockSet#len.", ec2PeeringInfo},
	"VpcPeeringConnection.RequesterVpcInfo.PeeringOptions.AllowDnsResolutionFromRemoteVpc": {unsettled,
		"moto reports peering options (all false) from creation on; the sandbox never does. The reference documents the field but not when it is present.", ec2PeeringInfo},
	"VpcPeeringConnection.RequesterVpcInfo.PeeringOptions.AllowEgressFromLocalClassicLinkToRemoteVpc": {unsettled, "as AllowDnsResolutionFromRemoteVpc (deprecated field).", ec2PeeringInfo},
	"VpcPeeringConnection.RequesterVpcInfo.PeeringOptions.AllowEgressFromLocalVpcToRemoteClassicLink": {unsettled, "as AllowDnsResolutionFromRemoteVpc (deprecated field).", ec2PeeringInfo},
	"VpcPeeringConnection.AccepterVpcInfo.PeeringOptions.AllowDnsResolutionFromRemoteVpc":             {unsettled, "as the requester's.", ec2PeeringInfo},
	"VpcPeeringConnection.AccepterVpcInfo.PeeringOptions.AllowEgressFromLocalClassicLinkToRemoteVpc":  {unsettled, "as the requester's.", ec2PeeringInfo},
	"VpcPeeringConnection.AccepterVpcInfo.PeeringOptions.AllowEgressFromLocalVpcToRemoteClassicLink":  {unsettled, "as the requester's.", ec2PeeringInfo},
	"VpcPeeringConnection.Status.Code": {sandboxRight, "AcceptVpcPeeringConnection answers provisioning; the connection becomes active after.",
		"https://docs.aws.amazon.com/code-library/latest/ug/ec2_example_ec2_AcceptVpcPeeringConnection_section.html"},
	"VpcPeeringConnection.Status.Message": {sandboxRight, "as Status.Code (Provisioning).",
		"https://docs.aws.amazon.com/code-library/latest/ug/ec2_example_ec2_AcceptVpcPeeringConnection_section.html"},
	"AcceptVpcPeeringConnection unknown id error": {sandboxRight,
		"The code is InvalidVpcPeeringConnectionID.NotFound (capital ID), the one the SDKs' own VpcPeeringConnectionDeleted waiter matches.", ec2Errors},

	// RDS: subnet groups.
	"DBSubnetGroup.SupportedNetworkTypes#len": {sandboxRight, "DBSubnetGroup reports SupportedNetworkTypes (IPV4).", rdsSubnetGroup},
	"DBSubnetGroup.SupportedNetworkTypes[]":   {sandboxRight, "as SupportedNetworkTypes#len.", rdsSubnetGroup},
	"CreateDBSubnetGroup duplicate error": {sandboxRight, "A second group with the same name fails with DBSubnetGroupAlreadyExists; moto accepts it.",
		"https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBSubnetGroup.html"},
	"DeleteDBSubnetGroup in use error": {sandboxRight, "A group a cluster uses cannot be deleted (InvalidDBSubnetGroupStateFault); moto deletes it.",
		"https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DeleteDBSubnetGroup.html"},

	// RDS: clusters.
	"CreateDBCluster duplicate error": {sandboxRight, "A second cluster with the same identifier fails with DBClusterAlreadyExistsFault; moto answers a snapshot fault.",
		"https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html"},
	"DBCluster.ActivityStreamStatus":           {sandboxRight, "Valid values are stopped, starting, started, stopping; moto answers an empty string.", rdsCluster},
	"DBCluster.AvailabilityZones#len":          {sandboxRight, "The zones where the cluster's instances can be created: its subnet group's two, not every zone of the region.", rdsCluster},
	"DBCluster.AvailabilityZones[]":            {sandboxRight, "as AvailabilityZones#len.", rdsCluster},
	"DBCluster.BacktrackWindow":                {sandboxRight, "Backtracking exists for Aurora MySQL only.", rdsCluster},
	"DBCluster.ClusterScalabilityType":         {sandboxRight, "Valid values are standard and limitless; moto answers an empty string.", rdsCluster},
	"DBCluster.DBClusterParameterGroup":        {sandboxRight, "An aurora-postgresql16 cluster gets default.aurora-postgresql16; moto names Aurora MySQL's group.", "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/USER_WorkingWithParamGroups.html"},
	"DBCluster.EarliestRestorableTime":         {sandboxGap, "An available cluster with backups reports EarliestRestorableTime; the sandbox never does.", rdsCluster},
	"DBCluster.LatestRestorableTime":           {sandboxGap, "An available cluster with backups reports LatestRestorableTime; the sandbox never does.", rdsCluster},
	"DBCluster.EngineLifecycleSupport":         {sandboxRight, "Reported, open-source-rds-extended-support by default.", rdsCluster},
	"DBCluster.GlobalWriteForwardingRequested": {sandboxRight, "Concerns secondary clusters of a global database only.", rdsCluster},
	"DBCluster.HostedZoneId":                   {sandboxRight, "A fixed Route 53 zone per region (Z29XKXDKYMONMX for RDS in eu-west-1); moto answers a random one per call.", rdsCluster},
	"DBCluster.KmsKeyId":                       {sandboxRight, "An encrypted cluster reports its KMS key ARN; moto answers the placeholder default_kms_key_id.", rdsCluster},
	"DBCluster.MultiAZ":                        {sandboxRight, "True when the cluster has instances in several zones, as here.", rdsCluster},
	"DBCluster.PubliclyAccessible":             {sandboxRight, "Reported for Multi-AZ DB clusters (not Aurora) only.", rdsCluster},
	"DBCluster.StorageType":                    {sandboxRight, "Aurora's standard storage type is aurora (or aurora-iopt1); gp2 is not an Aurora type.", rdsCluster},
	"DeleteDBCluster without final snapshot id error": {sandboxRight, "Without SkipFinalSnapshot a FinalDBSnapshotIdentifier is required; moto deletes the cluster.",
		"https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DeleteDBCluster.html"},
	"DeleteDBCluster error":     {consequence, "moto deleted the cluster in 'DeleteDBCluster without final snapshot id'.", ""},
	"DeleteDBSubnetGroup error": {consequence, "moto deleted the group in 'DeleteDBSubnetGroup in use'.", ""},

	// RDS: instances.
	"DBInstance.CACertificateIdentifier": {sandboxRight, "The default CA is rds-ca-rsa2048-g1; rds-ca-default is no CA name.", "https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/UsingWithRDS.SSL.html"},
	"DBInstance.DBInstanceStatus": {sandboxRight, "CreateDBInstance answers creating; moto answers available at once.",
		"https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/accessing-monitoring.html"},
	"DBInstance.DBSubnetGroup.DBSubnetGroupArn":                      {sandboxRight, "DBInstance carries its DBSubnetGroup; moto leaves it out.", rdsInstance},
	"DBInstance.DBSubnetGroup.DBSubnetGroupDescription":              {sandboxRight, "as DBSubnetGroupArn.", rdsInstance},
	"DBInstance.DBSubnetGroup.DBSubnetGroupName":                     {sandboxRight, "as DBSubnetGroupArn.", rdsInstance},
	"DBInstance.DBSubnetGroup.SubnetGroupStatus":                     {sandboxRight, "as DBSubnetGroupArn.", rdsInstance},
	"DBInstance.DBSubnetGroup.Subnets#len":                           {sandboxRight, "as DBSubnetGroupArn.", rdsInstance},
	"DBInstance.DBSubnetGroup.Subnets[].SubnetAvailabilityZone.Name": {sandboxRight, "as DBSubnetGroupArn.", rdsInstance},
	"DBInstance.DBSubnetGroup.Subnets[].SubnetIdentifier":            {sandboxRight, "as DBSubnetGroupArn.", rdsInstance},
	"DBInstance.DBSubnetGroup.Subnets[].SubnetStatus":                {sandboxRight, "as DBSubnetGroupArn.", rdsInstance},
	"DBInstance.DBSubnetGroup.SupportedNetworkTypes#len":             {sandboxRight, "as DBSubnetGroupArn.", rdsInstance},
	"DBInstance.DBSubnetGroup.SupportedNetworkTypes[]":               {sandboxRight, "as DBSubnetGroupArn.", rdsInstance},
	"DBInstance.DBSubnetGroup.VpcId":                                 {sandboxRight, "as DBSubnetGroupArn.", rdsInstance},
	"DBInstance.DbInstancePort":                                      {unsettled, "AWS answers 0 for an Aurora instance (the port is the cluster's); the reference only says it may differ from the cluster's.", rdsInstance},
	"DBInstance.Endpoint.Address": {sandboxRight, "Instance endpoints are <id>.<12 characters>.<region>.rds.amazonaws.com; moto's has 10 a's.",
		"https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.Overview.Endpoints.html"},
	"DBInstance.Endpoint.HostedZoneId":      {sandboxRight, "An Endpoint carries its HostedZoneId.", "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_Endpoint.html"},
	"DBInstance.KmsKeyId":                   {sandboxRight, "The KMS key ARN; moto answers the placeholder default_kms_key_id.", rdsInstance},
	"DBInstance.LatestRestorableTime":       {unsettled, "Aurora restores clusters, not instances; whether an Aurora instance reports it is not documented.", rdsInstance},
	"DBInstance.LicenseModel":               {sandboxRight, "PostgreSQL engines use postgresql-license; general-public-license is MySQL's.", "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html"},
	"DBInstance.MonitoringInterval":         {sandboxRight, "Reported (0 when Enhanced Monitoring is off).", rdsInstance},
	"DBInstance.NetworkType":                {sandboxRight, "Reported (IPV4).", rdsInstance},
	"DBInstance.PerformanceInsightsEnabled": {sandboxRight, "Reported (false when off).", rdsInstance},
	"DBInstance.PubliclyAccessible":         {sandboxRight, "Reported (false for a private instance).", rdsInstance},
	"DBInstance.OptionGroupMemberships[].OptionGroupName": {sandboxRight, "A default option group is named default:<engine>-<major version>: default:aurora-postgresql-16, not moto's -16-6.",
		"https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithOptionGroups.html"},
	"DBInstance.AvailabilityZone": {unsettled, "AWS picks a zone of the subnet group for each instance; the sandbox spreads them, moto puts both in the first.",
		"https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html"},

	// EC2 and RDS together.
	"DeleteSecurityGroup in use by RDS error": {sandboxRight, "A group in use by a DB instance's network interfaces fails with DependencyViolation; moto deletes it.",
		"https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteSecurityGroup.html"},
	"DeleteSecurityGroup error": {consequence, "moto deleted the group in 'DeleteSecurityGroup in use by RDS'.", ""},

	// ElastiCache: subnet groups.
	"CacheSubnetGroup.Subnets[].SubnetAvailabilityZone.Name": {sandboxRight, "A cache subnet group's Subnet carries its SubnetAvailabilityZone.",
		"https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_Subnet.html"},
	"DeleteCacheSubnetGroup error": {sandboxRight, "moto 5.2.1 has no DeleteCacheSubnetGroup (it answers 500).",
		"https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_DeleteCacheSubnetGroup.html"},

	// ElastiCache: user groups, which moto 5.2.1 lacks (it answers 500 to
	// every user group operation): the sandbox follows the reference.
	"CreateUserGroup error":    {sandboxRight, "moto 5.2.1 has no user groups (it answers 500).", ecUserGroups},
	"DescribeUserGroups error": {sandboxRight, "as CreateUserGroup.", "https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_DescribeUserGroups.html"},
	"DeleteUserGroup error":    {sandboxRight, "as CreateUserGroup.", "https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_DeleteUserGroup.html"},

	// ElastiCache: replication groups.
	"ReplicationGroup.Status":                                                    {sandboxRight, "CreateReplicationGroup answers creating; the group becomes available after (the ReplicationGroupAvailable waiter polls for it).", ecGroup},
	"ReplicationGroup.NodeGroups[].Status":                                       {sandboxRight, "A node group is creating with its group, and deleting with it.", ecNodeGroup},
	"ReplicationGroup.NodeGroups[].PrimaryEndpoint.Address":                      {sandboxRight, "The endpoint is master.<id>.<label>.<region short>.cache.amazonaws.com: euw1 in eu-west-1, not moto's use1.", ecEndpoints},
	"ReplicationGroup.NodeGroups[].PrimaryEndpoint.Port":                         {unsettled, "The sandbox shows endpoints once the nodes exist (not while creating); the reference does not say when they appear.", ecNodeGroup},
	"ReplicationGroup.NodeGroups[].NodeGroupMembers[].ReadEndpoint.Address":      {sandboxRight, "as PrimaryEndpoint.Address (<member id>.<id>.<label>.euw1...), one per member.", ecEndpoints},
	"ReplicationGroup.NodeGroups[].NodeGroupMembers[].ReadEndpoint.Port":         {unsettled, "as PrimaryEndpoint.Port.", ecNodeGroup},
	"ReplicationGroup.NodeGroups[].NodeGroupMembers[].CurrentRole":               {unsettled, "Roles show once the members exist (not while creating); with two clusters one is a replica.", "https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_NodeGroupMember.html"},
	"ReplicationGroup.NodeGroups[].ReaderEndpoint.Address":                       {sandboxRight, "A replication group in cluster mode disabled has a reader endpoint (replica.<id>...); moto has none.", ecEndpoints},
	"ReplicationGroup.NodeGroups[].ReaderEndpoint.Port":                          {sandboxRight, "as ReaderEndpoint.Address.", ecNodeGroup},
	"ReplicationGroup.MemberClusters#len":                                        {sandboxRight, "NumCacheClusters 2 makes two clusters (a primary and a replica); moto makes one.", ecCreateGroup},
	"ReplicationGroup.MemberClusters[]":                                          {sandboxRight, "as MemberClusters#len.", ecCreateGroup},
	"ReplicationGroup.NodeGroups[].NodeGroupMembers#len":                         {sandboxRight, "as MemberClusters#len.", ecCreateGroup},
	"ReplicationGroup.NodeGroups[].NodeGroupMembers[].CacheClusterId":            {sandboxRight, "as MemberClusters#len.", ecCreateGroup},
	"ReplicationGroup.NodeGroups[].NodeGroupMembers[].PreferredAvailabilityZone": {sandboxRight, "Members are in zones of the subnet group (eu-west-1a and b), not moto's us-east-1a.", ecCreateGroup},
	"ReplicationGroup.AutoMinorVersionUpgrade":                                   {sandboxRight, "A replication group reports AutoMinorVersionUpgrade (true by default).", ecGroup},
	"ReplicationGroup.SnapshotWindow":                                            {sandboxRight, "The window has the form hh24:mi-hh24:mi; moto's 05:00-6:00 is not one.", ecGroup},
	"ReplicationGroup.TransitEncryptionMode":                                     {sandboxRight, "A group created with TransitEncryptionEnabled reports the mode required; moto answers an empty string.", ecGroup},
	"DescribeReplicationGroups deleted error": {sandboxRight, "A deleted group disappears (the ReplicationGroupDeleted waiter waits for ReplicationGroupNotFoundFault); moto keeps it deleting for ever.",
		"https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_DeleteReplicationGroup.html"},

	// STS.
	"GetCallerIdentity Arn": {sandboxRight, "An IAM user's ARN is arn:aws:iam::<account>:user/<name>; moto answers an sts ARN.",
		"https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html"},
	"GetCallerIdentity UserId": {sandboxRight, "An IAM user's id is AIDA...; moto answers the access key id.",
		"https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html"},
}
