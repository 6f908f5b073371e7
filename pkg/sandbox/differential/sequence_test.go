package differential_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	rdstypes "github.com/aws/aws-sdk-go-v2/service/rds/types"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"
)

// observation is what one step of the sequence returned on one side.
type observation struct {
	shape map[string]string // nil when the call failed
	code  string            // the AWS error code, "" on success
	err   error
}

// run is the sequence on one side (the sandbox or moto).
type run struct {
	t     *testing.T
	side  string
	ctx   context.Context
	ec2   *ec2.Client
	rds   *rds.Client
	ec    *elasticache.Client
	ssm   *ssm.Client
	sm    *secretsmanager.Client
	sts   *sts.Client
	name  string // unique per test run, shared by both sides
	steps []string
	obs   map[string]observation
}

func newRun(t *testing.T, side string, cfg aws.Config, name string) *run {
	return &run{t: t, side: side, ctx: context.Background(), ec2: ec2.NewFromConfig(cfg), rds: rds.NewFromConfig(cfg),
		ec:  elasticache.NewFromConfig(cfg),
		ssm: ssm.NewFromConfig(cfg), sm: secretsmanager.NewFromConfig(cfg), sts: sts.NewFromConfig(cfg), name: name, obs: map[string]observation{}}
}

// record notes the result of a step and returns its output.
func (x result[T]) record(r *run, step string) T {
	r.t.Helper()
	out, err := x.out, x.err
	if _, dup := r.obs[step]; dup {
		r.t.Fatalf("step %q recorded twice", step)
	}
	o := observation{err: err}
	if err != nil {
		var ae smithy.APIError
		o.code = "<not an API error>"
		if errors.As(err, &ae) {
			o.code = ae.ErrorCode()
		}
	} else {
		o.shape = shape(out)
	}
	r.steps = append(r.steps, step)
	r.obs[step] = o
	return out
}

// must is record for a step later steps build on: it stops the test when
// the step fails.
func (x result[T]) must(r *run, step string) T {
	r.t.Helper()
	out := x.record(r, step)
	if x.err != nil {
		r.t.Fatalf("%s: %s failed, later steps need it: %v", r.side, step, x.err)
	}
	return out
}

// wait runs a waiter (not recorded: moto and the sandbox need a different
// number of polls).
func (r *run) wait(what string, err error) {
	r.t.Helper()
	if err != nil {
		r.t.Fatalf("%s: %s: %v", r.side, what, err)
	}
}

func (r *run) tags(rt ec2types.ResourceType) []ec2types.TagSpecification {
	return []ec2types.TagSpecification{{ResourceType: rt, Tags: []ec2types.Tag{
		{Key: aws.String("kcstack:stack"), Value: aws.String(r.name)}, {Key: aws.String("Name"), Value: aws.String(r.name)},
	}}}
}

func (r *run) rdsTags() []rdstypes.Tag {
	return []rdstypes.Tag{{Key: aws.String("kcstack:stack"), Value: aws.String(r.name)}}
}

func filter(name string, values ...string) ec2types.Filter {
	return ec2types.Filter{Name: aws.String(name), Values: values}
}

const waitMax = 20 * time.Second

// network is the EC2 half: what the Aurora + peering path creates, the
// reads it makes, and the errors it must recognise.
type network struct {
	vpc, peerVPC, subnetA, subnetB, group, igw, mainTable, peering string
}

func (r *run) network() network {
	var n network
	c, ctx := r.ec2, r.ctx
	n.vpc = *res(c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.40.0.0/16"), TagSpecifications: r.tags(ec2types.ResourceTypeVpc)})).must(r, "CreateVpc").Vpc.VpcId
	r.wait("VpcAvailable", ec2.NewVpcAvailableWaiter(c, func(o *ec2.VpcAvailableWaiterOptions) { o.MinDelay = 10 * time.Millisecond }).
		Wait(ctx, &ec2.DescribeVpcsInput{VpcIds: []string{n.vpc}}, waitMax))
	res(c.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{Filters: []ec2types.Filter{filter("tag:kcstack:stack", r.name)}})).record(r, "DescribeVpcs by tag")
	res(c.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{VpcIds: []string{"vpc-0123456789abcdef0"}})).record(r, "DescribeVpcs unknown id")
	n.subnetA = *res(c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: &n.vpc, CidrBlock: aws.String("10.40.1.0/24"),
		AvailabilityZone: aws.String("eu-west-1a"), TagSpecifications: r.tags(ec2types.ResourceTypeSubnet)})).must(r, "CreateSubnet").Subnet.SubnetId
	n.subnetB = *res(c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: &n.vpc, CidrBlock: aws.String("10.40.2.0/24"),
		AvailabilityZone: aws.String("eu-west-1b"), TagSpecifications: r.tags(ec2types.ResourceTypeSubnet)})).must(r, "CreateSubnet second zone").Subnet.SubnetId
	res(c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: &n.vpc, CidrBlock: aws.String("10.40.1.0/25")})).record(r, "CreateSubnet overlapping")
	res(c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: &n.vpc, CidrBlock: aws.String("10.99.0.0/24")})).record(r, "CreateSubnet outside the VPC")
	res(c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: aws.String("vpc-0123456789abcdef0"), CidrBlock: aws.String("10.40.9.0/24")})).record(r, "CreateSubnet unknown VPC")
	res(c.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{Filters: []ec2types.Filter{filter("vpc-id", n.vpc)}})).record(r, "DescribeSubnets by vpc-id")
	res(c.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{SubnetIds: []string{"subnet-0123456789abcdef0"}})).record(r, "DescribeSubnets unknown id")
	n.group = *res(c.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{VpcId: &n.vpc, GroupName: aws.String(r.name + "-db"),
		Description: aws.String("Aurora"), TagSpecifications: r.tags(ec2types.ResourceTypeSecurityGroup)})).must(r, "CreateSecurityGroup").GroupId
	res(c.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{VpcId: &n.vpc, GroupName: aws.String(r.name + "-db"), Description: aws.String("Aurora")})).record(r, "CreateSecurityGroup duplicate")
	rule := []ec2types.IpPermission{{IpProtocol: aws.String("tcp"), FromPort: aws.Int32(5432), ToPort: aws.Int32(5432), IpRanges: []ec2types.IpRange{{CidrIp: aws.String("10.41.0.0/16")}}}}
	res(c.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: &n.group, IpPermissions: rule})).record(r, "AuthorizeSecurityGroupIngress")
	res(c.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: &n.group, IpPermissions: rule})).record(r, "AuthorizeSecurityGroupIngress duplicate")
	res(c.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: []ec2types.Filter{filter("vpc-id", n.vpc), filter("group-name", r.name+"-db")}})).record(r, "DescribeSecurityGroups by group-name")
	res(c.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{"sg-0123456789abcdef0"}})).record(r, "DescribeSecurityGroups unknown id")
	res(c.DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{GroupId: aws.String("sg-0123456789abcdef0")})).record(r, "DeleteSecurityGroup unknown id")
	main := res(c.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{Filters: []ec2types.Filter{filter("vpc-id", n.vpc), filter("association.main", "true")}})).must(r, "DescribeRouteTables main")
	if len(main.RouteTables) != 1 {
		r.t.Fatalf("%s: main route tables of %s: %d, want 1", r.side, n.vpc, len(main.RouteTables))
	}
	n.mainTable = *main.RouteTables[0].RouteTableId
	n.igw = *res(c.CreateInternetGateway(ctx, &ec2.CreateInternetGatewayInput{TagSpecifications: r.tags(ec2types.ResourceTypeInternetGateway)})).must(r, "CreateInternetGateway").InternetGateway.InternetGatewayId
	res(c.AttachInternetGateway(ctx, &ec2.AttachInternetGatewayInput{InternetGatewayId: &n.igw, VpcId: &n.vpc})).must(r, "AttachInternetGateway")
	n.peerVPC = *res(c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.41.0.0/16"), TagSpecifications: r.tags(ec2types.ResourceTypeVpc)})).must(r, "CreateVpc peer").Vpc.VpcId
	n.peering = *res(c.CreateVpcPeeringConnection(ctx, &ec2.CreateVpcPeeringConnectionInput{VpcId: &n.peerVPC, PeerVpcId: &n.vpc,
		TagSpecifications: r.tags(ec2types.ResourceTypeVpcPeeringConnection)})).must(r, "CreateVpcPeeringConnection").VpcPeeringConnection.VpcPeeringConnectionId
	res(c.AcceptVpcPeeringConnection(ctx, &ec2.AcceptVpcPeeringConnectionInput{VpcPeeringConnectionId: &n.peering})).must(r, "AcceptVpcPeeringConnection")
	r.waitPeering(n.peering, ec2types.VpcPeeringConnectionStateReasonCodeActive)
	// By id, not by the requester-vpc-info.vpc-id filter kcstack uses:
	// moto 5.2.1 ignores every DescribeVpcPeeringConnections filter and
	// answers all connections of a possibly shared server. The sandbox's
	// filters have their own tests in package ec2.
	res(c.DescribeVpcPeeringConnections(ctx, &ec2.DescribeVpcPeeringConnectionsInput{VpcPeeringConnectionIds: []string{n.peering}})).record(r, "DescribeVpcPeeringConnections by id")
	res(c.AcceptVpcPeeringConnection(ctx, &ec2.AcceptVpcPeeringConnectionInput{VpcPeeringConnectionId: aws.String("pcx-0123456789abcdef0")})).record(r, "AcceptVpcPeeringConnection unknown id")
	res(c.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: &n.mainTable, DestinationCidrBlock: aws.String("10.41.0.0/16"), VpcPeeringConnectionId: &n.peering})).record(r, "CreateRoute to the peering")
	res(c.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: &n.mainTable, DestinationCidrBlock: aws.String("10.41.0.0/16"), VpcPeeringConnectionId: &n.peering})).record(r, "CreateRoute duplicate")
	res(c.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{RouteTableIds: []string{n.mainTable}})).record(r, "DescribeRouteTables by id")
	res(c.DeleteVpc(ctx, &ec2.DeleteVpcInput{VpcId: &n.vpc})).record(r, "DeleteVpc with dependencies")
	res(c.DeleteVpc(ctx, &ec2.DeleteVpcInput{VpcId: aws.String("vpc-0123456789abcdef0")})).record(r, "DeleteVpc unknown id")
	res(c.DeleteSubnet(ctx, &ec2.DeleteSubnetInput{SubnetId: aws.String("subnet-0123456789abcdef0")})).record(r, "DeleteSubnet unknown id")
	return n
}

// waitPeering polls until the peering has the status (not recorded: the
// sandbox takes its create delay to make an accepted peering active).
func (r *run) waitPeering(id string, want ec2types.VpcPeeringConnectionStateReasonCode) {
	r.t.Helper()
	deadline := time.Now().Add(waitMax)
	for {
		out, err := r.ec2.DescribeVpcPeeringConnections(r.ctx, &ec2.DescribeVpcPeeringConnectionsInput{VpcPeeringConnectionIds: []string{id}})
		if err == nil && len(out.VpcPeeringConnections) == 1 && out.VpcPeeringConnections[0].Status.Code == want {
			return
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("%s: peering %s not %s after %s (last: %+v, %v)", r.side, id, want, waitMax, out, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (r *run) deleteNetwork(n network) {
	c, ctx := r.ec2, r.ctx
	res(c.DeleteRoute(ctx, &ec2.DeleteRouteInput{RouteTableId: &n.mainTable, DestinationCidrBlock: aws.String("10.41.0.0/16")})).record(r, "DeleteRoute")
	res(c.DeleteVpcPeeringConnection(ctx, &ec2.DeleteVpcPeeringConnectionInput{VpcPeeringConnectionId: &n.peering})).record(r, "DeleteVpcPeeringConnection")
	r.waitPeering(n.peering, ec2types.VpcPeeringConnectionStateReasonCodeDeleted)
	res(c.DetachInternetGateway(ctx, &ec2.DetachInternetGatewayInput{InternetGatewayId: &n.igw, VpcId: &n.vpc})).record(r, "DetachInternetGateway")
	res(c.DeleteInternetGateway(ctx, &ec2.DeleteInternetGatewayInput{InternetGatewayId: &n.igw})).record(r, "DeleteInternetGateway")
	res(c.DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{GroupId: &n.group})).record(r, "DeleteSecurityGroup")
	res(c.DeleteSubnet(ctx, &ec2.DeleteSubnetInput{SubnetId: &n.subnetA})).record(r, "DeleteSubnet")
	res(c.DeleteSubnet(ctx, &ec2.DeleteSubnetInput{SubnetId: &n.subnetB})).record(r, "DeleteSubnet second zone")
	res(c.DeleteVpc(ctx, &ec2.DeleteVpcInput{VpcId: &n.vpc})).record(r, "DeleteVpc")
	res(c.DeleteVpc(ctx, &ec2.DeleteVpcInput{VpcId: &n.peerVPC})).record(r, "DeleteVpc peer")
	res(c.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{VpcIds: []string{n.vpc}})).record(r, "DescribeVpcs deleted")
	res(c.DescribeVpcPeeringConnections(ctx, &ec2.DescribeVpcPeeringConnectionsInput{VpcPeeringConnectionIds: []string{n.peering}})).record(r, "DescribeVpcPeeringConnections deleted")
}

// result is an SDK call's results, so a call sits inline in a step:
// res(c.CreateVpc(ctx, in)).must(r, "CreateVpc").
type result[T any] struct {
	out T
	err error
}

func res[T any](out T, err error) result[T] { return result[T]{out, err} }

// database is the RDS half.
func (r *run) database(n network) {
	c, ctx := r.rds, r.ctx
	group, cluster := r.name+"-db", r.name+"-db"
	sgIn := &rds.CreateDBSubnetGroupInput{DBSubnetGroupName: &group, DBSubnetGroupDescription: aws.String("Aurora"), SubnetIds: []string{n.subnetA, n.subnetB}, Tags: r.rdsTags()}
	res(c.CreateDBSubnetGroup(ctx, sgIn)).must(r, "CreateDBSubnetGroup")
	res(c.CreateDBSubnetGroup(ctx, sgIn)).record(r, "CreateDBSubnetGroup duplicate")
	res(c.DescribeDBSubnetGroups(ctx, &rds.DescribeDBSubnetGroupsInput{DBSubnetGroupName: aws.String("no-such-group")})).record(r, "DescribeDBSubnetGroups unknown")
	clIn := &rds.CreateDBClusterInput{DBClusterIdentifier: &cluster, Engine: aws.String("aurora-postgresql"), EngineVersion: aws.String("16.6"),
		MasterUsername: aws.String("keycloak"), ManageMasterUserPassword: aws.Bool(true), DatabaseName: aws.String("keycloak"),
		DBSubnetGroupName: &group, VpcSecurityGroupIds: []string{n.group}, StorageEncrypted: aws.Bool(true), Tags: r.rdsTags()}
	res(c.CreateDBCluster(ctx, clIn)).must(r, "CreateDBCluster")
	res(c.CreateDBCluster(ctx, clIn)).record(r, "CreateDBCluster duplicate")
	res(c.DescribeDBClusters(ctx, &rds.DescribeDBClustersInput{DBClusterIdentifier: aws.String("no-such-cluster")})).record(r, "DescribeDBClusters unknown")
	fast := func(o *rds.DBClusterAvailableWaiterOptions) { o.MinDelay = 10 * time.Millisecond }
	r.wait("DBClusterAvailable", rds.NewDBClusterAvailableWaiter(c, fast).Wait(ctx, &rds.DescribeDBClustersInput{DBClusterIdentifier: &cluster}, waitMax))
	for i, id := range []string{cluster + "-1", cluster + "-2"} {
		step := "CreateDBInstance"
		if i > 0 {
			step += " second"
		}
		res(c.CreateDBInstance(ctx, &rds.CreateDBInstanceInput{DBInstanceIdentifier: aws.String(id), DBClusterIdentifier: &cluster,
			Engine: aws.String("aurora-postgresql"), DBInstanceClass: aws.String("db.r6g.large"), Tags: r.rdsTags()})).must(r, step)
	}
	byCluster := &rds.DescribeDBInstancesInput{Filters: []rdstypes.Filter{{Name: aws.String("db-cluster-id"), Values: []string{cluster}}}}
	r.wait("DBInstanceAvailable", rds.NewDBInstanceAvailableWaiter(c, func(o *rds.DBInstanceAvailableWaiterOptions) { o.MinDelay = 10 * time.Millisecond }).Wait(ctx, byCluster, waitMax))
	res(c.DescribeDBClusters(ctx, &rds.DescribeDBClustersInput{DBClusterIdentifier: &cluster})).record(r, "DescribeDBClusters")
	res(c.DescribeDBInstances(ctx, byCluster)).record(r, "DescribeDBInstances by db-cluster-id")
	res(c.DescribeDBInstances(ctx, &rds.DescribeDBInstancesInput{DBInstanceIdentifier: aws.String("no-such-instance")})).record(r, "DescribeDBInstances unknown")
	res(c.DeleteDBCluster(ctx, &rds.DeleteDBClusterInput{DBClusterIdentifier: &cluster, SkipFinalSnapshot: aws.Bool(true)})).record(r, "DeleteDBCluster with instances")
	res(c.DeleteDBSubnetGroup(ctx, &rds.DeleteDBSubnetGroupInput{DBSubnetGroupName: &group})).record(r, "DeleteDBSubnetGroup in use")
	res(r.ec2.DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{GroupId: &n.group})).record(r, "DeleteSecurityGroup in use by RDS")
	res(c.ModifyDBCluster(ctx, &rds.ModifyDBClusterInput{DBClusterIdentifier: &cluster, DeletionProtection: aws.Bool(true), ApplyImmediately: aws.Bool(true)})).must(r, "ModifyDBCluster deletion protection")
	for _, id := range []string{cluster + "-1", cluster + "-2"} {
		res(c.DeleteDBInstance(ctx, &rds.DeleteDBInstanceInput{DBInstanceIdentifier: aws.String(id)})).must(r, "DeleteDBInstance "+id[len(cluster):])
	}
	r.wait("DBInstanceDeleted", rds.NewDBInstanceDeletedWaiter(c, func(o *rds.DBInstanceDeletedWaiterOptions) { o.MinDelay = 10 * time.Millisecond }).Wait(ctx, byCluster, waitMax))
	res(c.DeleteDBCluster(ctx, &rds.DeleteDBClusterInput{DBClusterIdentifier: &cluster, SkipFinalSnapshot: aws.Bool(true)})).record(r, "DeleteDBCluster with deletion protection")
	res(c.ModifyDBCluster(ctx, &rds.ModifyDBClusterInput{DBClusterIdentifier: &cluster, DeletionProtection: aws.Bool(false), ApplyImmediately: aws.Bool(true)})).must(r, "ModifyDBCluster no deletion protection")
	res(c.DeleteDBCluster(ctx, &rds.DeleteDBClusterInput{DBClusterIdentifier: &cluster})).record(r, "DeleteDBCluster without final snapshot id")
	res(c.DeleteDBCluster(ctx, &rds.DeleteDBClusterInput{DBClusterIdentifier: &cluster, SkipFinalSnapshot: aws.Bool(true)})).record(r, "DeleteDBCluster")
	r.wait("DBClusterDeleted", rds.NewDBClusterDeletedWaiter(c, func(o *rds.DBClusterDeletedWaiterOptions) { o.MinDelay = 10 * time.Millisecond }).Wait(ctx, &rds.DescribeDBClustersInput{DBClusterIdentifier: &cluster}, waitMax))
	res(c.DeleteDBSubnetGroup(ctx, &rds.DeleteDBSubnetGroupInput{DBSubnetGroupName: &group})).record(r, "DeleteDBSubnetGroup")
}

// parameters is the SSM, Secrets Manager and STS part.
func (r *run) parameters() {
	ctx := r.ctx
	name := "/kcstack/" + r.name + "/lock"
	put := &ssm.PutParameterInput{Name: &name, Value: aws.String("holder"), Type: ssmtypes.ParameterTypeString}
	res(r.ssm.PutParameter(ctx, put)).must(r, "PutParameter")
	res(r.ssm.PutParameter(ctx, put)).record(r, "PutParameter existing")
	res(r.ssm.GetParameter(ctx, &ssm.GetParameterInput{Name: &name})).record(r, "GetParameter")
	res(r.ssm.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String(name + "-missing")})).record(r, "GetParameter unknown")
	res(r.ssm.DeleteParameter(ctx, &ssm.DeleteParameterInput{Name: &name})).must(r, "DeleteParameter")
	res(r.ssm.DeleteParameter(ctx, &ssm.DeleteParameterInput{Name: &name})).record(r, "DeleteParameter unknown")

	secret := "kcstack/" + r.name + "/admin"
	res(r.sm.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: &secret, SecretString: aws.String("s3cret")})).must(r, "CreateSecret")
	res(r.sm.CreateSecret(ctx, &secretsmanager.CreateSecretInput{Name: &secret, SecretString: aws.String("s3cret")})).record(r, "CreateSecret existing")
	res(r.sm.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: &secret})).record(r, "DescribeSecret")
	res(r.sm.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: &secret})).record(r, "GetSecretValue")
	res(r.sm.DescribeSecret(ctx, &secretsmanager.DescribeSecretInput{SecretId: aws.String(secret + "-missing")})).record(r, "DescribeSecret unknown")
	res(r.sm.DeleteSecret(ctx, &secretsmanager.DeleteSecretInput{SecretId: &secret, ForceDeleteWithoutRecovery: aws.Bool(true)})).must(r, "DeleteSecret")
	res(r.sts.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})).record(r, "GetCallerIdentity")
}

// sequence runs every step on one side.
func (r *run) sequence() {
	n := r.network()
	r.database(n)
	r.cache(n)
	r.parameters()
	r.deleteNetwork(n)
}
