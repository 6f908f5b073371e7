package ec2_test

import (
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/google/go-cmp/cmp"

	sbelb "github.com/kcstack/kcstack/pkg/sandbox/elbv2"
	sbrds "github.com/kcstack/kcstack/pkg/sandbox/rds"
	"github.com/kcstack/kcstack/pkg/sandbox/sandboxtest"
)

// eniSummary is what TestNetworkInterfaces compares of an interface.
type eniSummary struct {
	Subnet, Type, Requester, Description string
	Groups                               []string
}

func summarize(ns []types.NetworkInterface) []eniSummary {
	out := []eniSummary{}
	for _, n := range ns {
		s := eniSummary{Subnet: aws.ToString(n.SubnetId), Type: string(n.InterfaceType), Requester: aws.ToString(n.RequesterId), Description: aws.ToString(n.Description)}
		for _, g := range n.Groups {
			s.Groups = append(s.Groups, aws.ToString(g.GroupId))
		}
		out = append(out, s)
	}
	return out
}

// TestNetworkInterfaces checks the interfaces EC2 shows for a NAT gateway,
// a load balancer and a DB instance, filtered as kcstack asks for what
// keeps a subnet, a group or a VPC from being deleted.
func TestNetworkInterfaces(t *testing.T) {
	e := newEnv(t, sbelb.Service(), sbrds.Service())
	cfg := sandboxtest.AWSConfig(t, e.srv)
	lbs, db := elb.NewFromConfig(cfg), rds.NewFromConfig(cfg)
	vpcID := e.vpc("10.0.0.0/16")
	e.igw(vpcID)
	a, b := e.subnet(vpcID, "10.0.1.0/24"), e.subnet(vpcID, "10.0.2.0/24")
	web, dbg := e.group(vpcID, "web"), e.group(vpcID, "db")
	nat := e.nat(a, e.eip())
	lb := must(lbs.CreateLoadBalancer(e.ctx, &elb.CreateLoadBalancerInput{Name: aws.String("kc"), Subnets: []string{a, b}, SecurityGroups: []string{web}}))(t).LoadBalancers[0]
	lbDesc := "ELB app/kc/" + aws.ToString(lb.LoadBalancerArn)[strings.LastIndex(aws.ToString(lb.LoadBalancerArn), "/")+1:]
	must(db.CreateDBSubnetGroup(e.ctx, &rds.CreateDBSubnetGroupInput{DBSubnetGroupName: aws.String("kc"), DBSubnetGroupDescription: aws.String("kc"), SubnetIds: []string{a, b}}))(t)
	must(db.CreateDBCluster(e.ctx, &rds.CreateDBClusterInput{
		DBClusterIdentifier: aws.String("kc"), Engine: aws.String("aurora-postgresql"), MasterUsername: aws.String("keycloak"),
		MasterUserPassword: aws.String("secret-password"), DBSubnetGroupName: aws.String("kc"), VpcSecurityGroupIds: []string{dbg},
	}))(t)
	inst := must(db.CreateDBInstance(e.ctx, &rds.CreateDBInstanceInput{
		DBInstanceIdentifier: aws.String("kc-1"), DBClusterIdentifier: aws.String("kc"), DBInstanceClass: aws.String("db.r6g.large"), Engine: aws.String("aurora-postgresql"),
	}))(t).DBInstance
	dbSubnet := a
	if aws.ToString(inst.AvailabilityZone) != aws.ToString(must(e.ec2.DescribeSubnets(e.ctx, &ec2.DescribeSubnetsInput{SubnetIds: []string{a}}))(t).Subnets[0].AvailabilityZone) {
		dbSubnet = b
	}
	natENI := eniSummary{Subnet: a, Type: "nat_gateway", Requester: "amazon-aws", Description: "Interface for NAT Gateway " + nat}
	rdsENI := eniSummary{Subnet: dbSubnet, Type: "interface", Requester: "amazon-rds", Description: "RDSNetworkInterface", Groups: []string{dbg}}
	lbA := eniSummary{Subnet: a, Type: "interface", Requester: "amazon-elb", Description: lbDesc, Groups: []string{web}}
	lbB := lbA
	lbB.Subnet = b
	cases := map[string]struct {
		reason string
		filter types.Filter
		want   []eniSummary
	}{
		"Subnet": {reason: "subnet a holds the NAT gateway and a load balancer node, perhaps the DB instance", filter: filter("subnet-id", a), want: keep([]eniSummary{natENI, lbA, rdsENI}, a)},
		"Group":  {reason: "the web group is on both load balancer nodes", filter: filter("group-id", web), want: []eniSummary{lbA, lbB}},
		"VPC":    {reason: "the VPC holds them all", filter: filter("vpc-id", vpcID), want: []eniSummary{natENI, lbA, lbB, rdsENI}},
		"None":   {reason: "an unknown subnet holds nothing", filter: filter("subnet-id", "subnet-0123456789abcdef0"), want: []eniSummary{}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := must(e.ec2.DescribeNetworkInterfaces(e.ctx, &ec2.DescribeNetworkInterfacesInput{Filters: []types.Filter{tc.filter}}))(t).NetworkInterfaces
			sortBy := cmp.Transformer("sort", sortSummaries)
			if diff := cmp.Diff(tc.want, summarize(got), sortBy); diff != "" {
				t.Errorf("%s: -want +got:\n%s", tc.reason, diff)
			}
		})
	}
}

// keep returns the summaries in subnet.
func keep(all []eniSummary, subnet string) []eniSummary {
	var out []eniSummary
	for _, s := range all {
		if s.Subnet == subnet {
			out = append(out, s)
		}
	}
	return out
}

func sortSummaries(in []eniSummary) []string {
	var out []string
	for _, s := range in {
		out = append(out, s.Subnet+" "+s.Description+" "+s.Type+" "+s.Requester+" "+strings.Join(s.Groups, ","))
	}
	sort.Strings(out)
	return out
}

// TestNetworkInterfaceIDs checks that an interface keeps its id, that ids
// select and pages split the list, and what AWS answers for unknown ids.
func TestNetworkInterfaceIDs(t *testing.T) {
	e := newEnv(t, sbelb.Service())
	lbs := elb.NewFromConfig(sandboxtest.AWSConfig(t, e.srv))
	vpcID := e.vpc("10.0.0.0/16")
	e.igw(vpcID)
	subnets := []string{e.subnet(vpcID, "10.0.1.0/24"), e.subnet(vpcID, "10.0.2.0/24"), e.subnet(vpcID, "10.0.3.0/24")}
	alloc := e.eip()
	nat := must(e.ec2.CreateNatGateway(e.ctx, &ec2.CreateNatGatewayInput{SubnetId: aws.String(subnets[0]), AllocationId: aws.String(alloc)}))(t).NatGateway
	must(lbs.CreateLoadBalancer(e.ctx, &elb.CreateLoadBalancerInput{Name: aws.String("kc"), Subnets: subnets}))(t)
	all := must(e.ec2.DescribeNetworkInterfaces(e.ctx, &ec2.DescribeNetworkInterfacesInput{}))(t).NetworkInterfaces
	again := must(e.ec2.DescribeNetworkInterfaces(e.ctx, &ec2.DescribeNetworkInterfacesInput{}))(t).NetworkInterfaces
	if diff := cmp.Diff(all, again, sdkTypes); diff != "" {
		t.Errorf("a second describe differs: -first +second:\n%s", diff)
	}
	if len(all) != 4 {
		t.Fatalf("interfaces: got %d, want 4 (a NAT gateway, three load balancer nodes)", len(all))
	}
	natENI := aws.ToString(nat.NatGatewayAddresses[0].NetworkInterfaceId)
	got := must(e.ec2.DescribeNetworkInterfaces(e.ctx, &ec2.DescribeNetworkInterfacesInput{NetworkInterfaceIds: []string{natENI}}))(t).NetworkInterfaces
	if len(got) != 1 || aws.ToString(got[0].PrivateIpAddress) != aws.ToString(nat.NatGatewayAddresses[0].PrivateIp) ||
		got[0].Association == nil || aws.ToString(got[0].Association.AllocationId) != alloc || got[0].Status != types.NetworkInterfaceStatusInUse {
		t.Errorf("the NAT gateway's interface %s: got %+v", natENI, got)
	}
	var paged []string
	p := ec2.NewDescribeNetworkInterfacesPaginator(e.ec2, &ec2.DescribeNetworkInterfacesInput{MaxResults: aws.Int32(5)})
	for p.HasMorePages() {
		for _, n := range must(p.NextPage(e.ctx))(t).NetworkInterfaces {
			paged = append(paged, aws.ToString(n.NetworkInterfaceId))
		}
	}
	if len(paged) != 4 {
		t.Errorf("paged interfaces: got %v, want 4", paged)
	}
	sub := must(e.ec2.DescribeSubnets(e.ctx, &ec2.DescribeSubnetsInput{SubnetIds: []string{subnets[0]}}))(t).Subnets[0]
	if n := aws.ToInt32(sub.AvailableIpAddressCount); n != 249 {
		t.Errorf("free addresses of a /24 with a NAT gateway and a load balancer node: got %d, want 249", n)
	}
	_, err := e.ec2.DescribeNetworkInterfaces(e.ctx, &ec2.DescribeNetworkInterfacesInput{NetworkInterfaceIds: []string{"eni-0123456789abcdef0"}})
	checkCode(t, "an unknown interface id", err, "InvalidNetworkInterfaceID.NotFound")
	_, err = e.ec2.DescribeNetworkInterfaces(e.ctx, &ec2.DescribeNetworkInterfacesInput{NetworkInterfaceIds: []string{"nat-0123"}})
	checkCode(t, "a malformed interface id", err, "InvalidNetworkInterfaceID.Malformed")
}
