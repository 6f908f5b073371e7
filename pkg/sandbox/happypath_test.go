package sandbox_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	rdstypes "github.com/aws/aws-sdk-go-v2/service/rds/types"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/google/go-cmp/cmp"

	sbec2 "github.com/kcstack/kcstack/pkg/sandbox/ec2"
	sbrds "github.com/kcstack/kcstack/pkg/sandbox/rds"
)

// happyPath drives the calls kcstack's Aurora + peering path makes, through
// aws-sdk-go-v2 clients over HTTP: a VPC with two subnets in two zones and
// a security group, a second VPC peered to it, a DB subnet group, an Aurora
// PostgreSQL cluster with a managed master password and two instances,
// waiters for each, reads with tag filters, and the deletes in order. It
// is the sequence TestHappyPath runs plain and TestHappyPathThrottled runs
// under injected throttling.
type happyPath struct {
	t       *testing.T
	ctx     context.Context
	ec2     *ec2.Client
	rds     *rds.Client
	secrets *secretsmanager.Client
	stack   string

	vpc, peerVPC, subnetA, subnetB, group, peering string
}

// RDS builds DB subnet groups from the EC2 emulation's subnets.
var _ sbrds.SubnetLookup = (*sbec2.State)(nil)

func newHappyPath(t *testing.T, cfg aws.Config) *happyPath {
	return &happyPath{t: t, ctx: context.Background(), ec2: ec2.NewFromConfig(cfg), rds: rds.NewFromConfig(cfg),
		secrets: secretsmanager.NewFromConfig(cfg), stack: "happy"}
}

// waitFor is how long any one waiter may take.
const waitFor = 10 * time.Second

// run performs the whole sequence and fails the test at the first step
// that does not do what AWS would.
func (h *happyPath) run() {
	h.network()
	h.database()
	h.readBack()
	h.deleteDatabase()
	h.deleteNetwork()
}

func (h *happyPath) fatal(step string, err error) {
	h.t.Helper()
	if err != nil {
		h.t.Fatalf("%s: %v", step, err)
	}
}

func (h *happyPath) tags(rt ec2types.ResourceType) []ec2types.TagSpecification {
	return []ec2types.TagSpecification{{ResourceType: rt, Tags: []ec2types.Tag{{Key: aws.String("kcstack:stack"), Value: aws.String(h.stack)}}}}
}

func (h *happyPath) rdsTags() []rdstypes.Tag {
	return []rdstypes.Tag{{Key: aws.String("kcstack:stack"), Value: aws.String(h.stack)}}
}

func (h *happyPath) network() {
	h.t.Helper()
	h.vpc = h.createVPC("10.30.0.0/16")
	h.peerVPC = h.createVPC("10.31.0.0/16")
	err := ec2.NewVpcAvailableWaiter(h.ec2, fastEC2Waiter).Wait(h.ctx, &ec2.DescribeVpcsInput{VpcIds: []string{h.vpc, h.peerVPC}}, waitFor)
	h.fatal("VpcAvailable waiter", err)
	h.subnetA = h.createSubnet("10.30.1.0/24", "eu-west-1a")
	h.subnetB = h.createSubnet("10.30.2.0/24", "eu-west-1b")
	sg, err := h.ec2.CreateSecurityGroup(h.ctx, &ec2.CreateSecurityGroupInput{VpcId: aws.String(h.vpc), GroupName: aws.String(h.stack + "-db"),
		Description: aws.String("Aurora from Keycloak"), TagSpecifications: h.tags(ec2types.ResourceTypeSecurityGroup)})
	h.fatal("CreateSecurityGroup", err)
	h.group = aws.ToString(sg.GroupId)
	_, err = h.ec2.AuthorizeSecurityGroupIngress(h.ctx, &ec2.AuthorizeSecurityGroupIngressInput{GroupId: sg.GroupId, IpPermissions: []ec2types.IpPermission{{
		IpProtocol: aws.String("tcp"), FromPort: aws.Int32(5432), ToPort: aws.Int32(5432), IpRanges: []ec2types.IpRange{{CidrIp: aws.String("10.31.0.0/16")}},
	}}})
	h.fatal("AuthorizeSecurityGroupIngress", err)
	pcx, err := h.ec2.CreateVpcPeeringConnection(h.ctx, &ec2.CreateVpcPeeringConnectionInput{VpcId: aws.String(h.peerVPC), PeerVpcId: aws.String(h.vpc),
		TagSpecifications: h.tags(ec2types.ResourceTypeVpcPeeringConnection)})
	h.fatal("CreateVpcPeeringConnection", err)
	h.peering = aws.ToString(pcx.VpcPeeringConnection.VpcPeeringConnectionId)
	_, err = h.ec2.AcceptVpcPeeringConnection(h.ctx, &ec2.AcceptVpcPeeringConnectionInput{VpcPeeringConnectionId: aws.String(h.peering)})
	h.fatal("AcceptVpcPeeringConnection", err)
}

func (h *happyPath) createVPC(cidr string) string {
	h.t.Helper()
	out, err := h.ec2.CreateVpc(h.ctx, &ec2.CreateVpcInput{CidrBlock: aws.String(cidr), TagSpecifications: h.tags(ec2types.ResourceTypeVpc)})
	h.fatal("CreateVpc "+cidr, err)
	return aws.ToString(out.Vpc.VpcId)
}

func (h *happyPath) createSubnet(cidr, zone string) string {
	h.t.Helper()
	out, err := h.ec2.CreateSubnet(h.ctx, &ec2.CreateSubnetInput{VpcId: aws.String(h.vpc), CidrBlock: aws.String(cidr), AvailabilityZone: aws.String(zone),
		TagSpecifications: h.tags(ec2types.ResourceTypeSubnet)})
	h.fatal("CreateSubnet "+cidr, err)
	return aws.ToString(out.Subnet.SubnetId)
}

func (h *happyPath) database() {
	h.t.Helper()
	_, err := h.rds.CreateDBSubnetGroup(h.ctx, &rds.CreateDBSubnetGroupInput{DBSubnetGroupName: aws.String(h.stack + "-db"),
		DBSubnetGroupDescription: aws.String("Aurora subnets"), SubnetIds: []string{h.subnetA, h.subnetB}, Tags: h.rdsTags()})
	h.fatal("CreateDBSubnetGroup", err)
	_, err = h.rds.CreateDBCluster(h.ctx, &rds.CreateDBClusterInput{DBClusterIdentifier: aws.String(h.stack + "-db"),
		Engine: aws.String("aurora-postgresql"), EngineVersion: aws.String("16.6"), MasterUsername: aws.String("keycloak"),
		ManageMasterUserPassword: aws.Bool(true), DatabaseName: aws.String("keycloak"), DBSubnetGroupName: aws.String(h.stack + "-db"),
		VpcSecurityGroupIds: []string{h.group}, StorageEncrypted: aws.Bool(true), Tags: h.rdsTags()})
	h.fatal("CreateDBCluster", err)
	err = rds.NewDBClusterAvailableWaiter(h.rds, fastRDSWaiter).Wait(h.ctx, &rds.DescribeDBClustersInput{DBClusterIdentifier: aws.String(h.stack + "-db")}, waitFor)
	h.fatal("DBClusterAvailable waiter", err)
	for _, id := range h.instances() {
		_, err = h.rds.CreateDBInstance(h.ctx, &rds.CreateDBInstanceInput{DBInstanceIdentifier: aws.String(id), DBClusterIdentifier: aws.String(h.stack + "-db"),
			Engine: aws.String("aurora-postgresql"), DBInstanceClass: aws.String("db.r6g.large"), Tags: h.rdsTags()})
		h.fatal("CreateDBInstance "+id, err)
	}
	err = rds.NewDBInstanceAvailableWaiter(h.rds, fastRDSWaiter).Wait(h.ctx, h.byCluster(), waitFor)
	h.fatal("DBInstanceAvailable waiter", err)
}

func (h *happyPath) instances() []string { return []string{h.stack + "-db-1", h.stack + "-db-2"} }

func (h *happyPath) byCluster() *rds.DescribeDBInstancesInput {
	return &rds.DescribeDBInstancesInput{Filters: []rdstypes.Filter{{Name: aws.String("db-cluster-id"), Values: []string{h.stack + "-db"}}}}
}

// readBack reads everything with the filters kcstack uses and checks what
// matters to it.
func (h *happyPath) readBack() {
	h.t.Helper()
	byStack := []ec2types.Filter{{Name: aws.String("tag:kcstack:stack"), Values: []string{h.stack}}}
	vpcs, err := h.ec2.DescribeVpcs(h.ctx, &ec2.DescribeVpcsInput{Filters: byStack})
	h.fatal("DescribeVpcs by tag", err)
	subnets, err := h.ec2.DescribeSubnets(h.ctx, &ec2.DescribeSubnetsInput{Filters: byStack})
	h.fatal("DescribeSubnets by tag", err)
	groups, err := h.ec2.DescribeSecurityGroups(h.ctx, &ec2.DescribeSecurityGroupsInput{Filters: byStack})
	h.fatal("DescribeSecurityGroups by tag", err)
	peerings, err := h.ec2.DescribeVpcPeeringConnections(h.ctx, &ec2.DescribeVpcPeeringConnectionsInput{Filters: byStack})
	h.fatal("DescribeVpcPeeringConnections by tag", err)
	clusters, err := h.rds.DescribeDBClusters(h.ctx, &rds.DescribeDBClustersInput{DBClusterIdentifier: aws.String(h.stack + "-db")})
	h.fatal("DescribeDBClusters", err)
	cl := clusters.DBClusters[0]
	_, err = h.secrets.DescribeSecret(h.ctx, &secretsmanager.DescribeSecretInput{SecretId: cl.MasterUserSecret.SecretArn})
	h.fatal("DescribeSecret of the cluster's MasterUserSecret", err)
	got := map[string]any{
		"vpcs": len(vpcs.Vpcs), "subnets": len(subnets.Subnets), "groups": len(groups.SecurityGroups), "peerings": len(peerings.VpcPeeringConnections),
		"cluster status": aws.ToString(cl.Status), "members": len(cl.DBClusterMembers), "endpoint set": cl.Endpoint != nil && cl.ReaderEndpoint != nil,
	}
	want := map[string]any{
		"vpcs": 2, "subnets": 2, "groups": 1, "peerings": 1,
		"cluster status": "available", "members": 2, "endpoint set": true,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		h.t.Errorf("read back: -want +got:\n%s", diff)
	}
}

func (h *happyPath) deleteDatabase() {
	h.t.Helper()
	for _, id := range h.instances() {
		_, err := h.rds.DeleteDBInstance(h.ctx, &rds.DeleteDBInstanceInput{DBInstanceIdentifier: aws.String(id)})
		h.fatal("DeleteDBInstance "+id, err)
	}
	err := rds.NewDBInstanceDeletedWaiter(h.rds, fastRDSWaiter).Wait(h.ctx, h.byCluster(), waitFor)
	h.fatal("DBInstanceDeleted waiter", err)
	_, err = h.rds.DeleteDBCluster(h.ctx, &rds.DeleteDBClusterInput{DBClusterIdentifier: aws.String(h.stack + "-db"), SkipFinalSnapshot: aws.Bool(true)})
	h.fatal("DeleteDBCluster", err)
	err = rds.NewDBClusterDeletedWaiter(h.rds, fastRDSWaiter).Wait(h.ctx, &rds.DescribeDBClustersInput{DBClusterIdentifier: aws.String(h.stack + "-db")}, waitFor)
	h.fatal("DBClusterDeleted waiter", err)
	_, err = h.rds.DeleteDBSubnetGroup(h.ctx, &rds.DeleteDBSubnetGroupInput{DBSubnetGroupName: aws.String(h.stack + "-db")})
	h.fatal("DeleteDBSubnetGroup", err)
}

func (h *happyPath) deleteNetwork() {
	h.t.Helper()
	_, err := h.ec2.DeleteVpcPeeringConnection(h.ctx, &ec2.DeleteVpcPeeringConnectionInput{VpcPeeringConnectionId: aws.String(h.peering)})
	h.fatal("DeleteVpcPeeringConnection", err)
	_, err = h.ec2.DeleteSecurityGroup(h.ctx, &ec2.DeleteSecurityGroupInput{GroupId: aws.String(h.group)})
	h.fatal("DeleteSecurityGroup", err)
	for _, id := range []string{h.subnetA, h.subnetB} {
		_, err = h.ec2.DeleteSubnet(h.ctx, &ec2.DeleteSubnetInput{SubnetId: aws.String(id)})
		h.fatal("DeleteSubnet "+id, err)
	}
	for _, id := range []string{h.vpc, h.peerVPC} {
		_, err = h.ec2.DeleteVpc(h.ctx, &ec2.DeleteVpcInput{VpcId: aws.String(id)})
		h.fatal("DeleteVpc "+id, err)
	}
	vpcs, err := h.ec2.DescribeVpcs(h.ctx, &ec2.DescribeVpcsInput{Filters: []ec2types.Filter{{Name: aws.String("tag:kcstack:stack"), Values: []string{h.stack}}}})
	h.fatal("DescribeVpcs after delete", err)
	if len(vpcs.Vpcs) != 0 {
		h.t.Errorf("VPCs left after delete: %d, want 0", len(vpcs.Vpcs))
	}
}

func fastEC2Waiter(o *ec2.VpcAvailableWaiterOptions) {
	o.MinDelay, o.MaxDelay = 10*time.Millisecond, 100*time.Millisecond
}

// fastRDSWaiter shortens the delays of any RDS waiter (AWS's defaults
// start at 30 s).
func fastRDSWaiter[T any](o *T) {
	min, max := 10*time.Millisecond, 100*time.Millisecond
	switch w := any(o).(type) {
	case *rds.DBClusterAvailableWaiterOptions:
		w.MinDelay, w.MaxDelay = min, max
	case *rds.DBClusterDeletedWaiterOptions:
		w.MinDelay, w.MaxDelay = min, max
	case *rds.DBInstanceAvailableWaiterOptions:
		w.MinDelay, w.MaxDelay = min, max
	case *rds.DBInstanceDeletedWaiterOptions:
		w.MinDelay, w.MaxDelay = min, max
	}
}
