package ec2_test

import (
	"strconv"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
)

// TestPaginators pages through every paginated describe call the package
// serves with the SDK's paginators, five items a page.
func TestPaginators(t *testing.T) {
	e := newEnv(t)
	vpcs := []string{e.vpc("10.0.0.0/16")}
	for i := 1; i < 7; i++ {
		v := e.vpc("10." + strconv.Itoa(i) + ".0.0/16")
		vpcs = append(vpcs, v)
		e.subnet(v, "10."+strconv.Itoa(i)+".1.0/24")
		e.group(v, "app")
		e.igw(v)
	}
	for i := 1; i < 7; i++ {
		e.peer(vpcs[0], vpcs[i])
	}
	for i := 0; i < 6; i++ {
		sub := must(e.ec2.DescribeSubnets(e.ctx, &ec2.DescribeSubnetsInput{}))(t).Subnets[i].SubnetId
		e.nat(aws.ToString(sub), e.eip())
	}
	max := aws.Int32(5)
	cases := map[string]struct {
		reason string
		count  func() (items, pages int)
		want   int
	}{
		"DescribeSubnets": {"six subnets", func() (n, p int) {
			pg := ec2.NewDescribeSubnetsPaginator(e.ec2, &ec2.DescribeSubnetsInput{MaxResults: max})
			for ; pg.HasMorePages(); p++ {
				n += len(must(pg.NextPage(e.ctx))(t).Subnets)
			}
			return n, p
		}, 6},
		"DescribeSecurityGroups": {"six app groups and seven default ones", func() (n, p int) {
			pg := ec2.NewDescribeSecurityGroupsPaginator(e.ec2, &ec2.DescribeSecurityGroupsInput{MaxResults: max})
			for ; pg.HasMorePages(); p++ {
				n += len(must(pg.NextPage(e.ctx))(t).SecurityGroups)
			}
			return n, p
		}, 13},
		"DescribeInternetGateways": {"six gateways", func() (n, p int) {
			pg := ec2.NewDescribeInternetGatewaysPaginator(e.ec2, &ec2.DescribeInternetGatewaysInput{MaxResults: max})
			for ; pg.HasMorePages(); p++ {
				n += len(must(pg.NextPage(e.ctx))(t).InternetGateways)
			}
			return n, p
		}, 6},
		"DescribeVpcPeeringConnections": {"six connections", func() (n, p int) {
			pg := ec2.NewDescribeVpcPeeringConnectionsPaginator(e.ec2, &ec2.DescribeVpcPeeringConnectionsInput{MaxResults: max})
			for ; pg.HasMorePages(); p++ {
				n += len(must(pg.NextPage(e.ctx))(t).VpcPeeringConnections)
			}
			return n, p
		}, 6},
		"DescribeNatGateways": {"six NAT gateways", func() (n, p int) {
			pg := ec2.NewDescribeNatGatewaysPaginator(e.ec2, &ec2.DescribeNatGatewaysInput{MaxResults: max})
			for ; pg.HasMorePages(); p++ {
				n += len(must(pg.NextPage(e.ctx))(t).NatGateways)
			}
			return n, p
		}, 6},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			items, pages := tc.count()
			if items != tc.want || pages != (tc.want+4)/5 {
				t.Errorf("%s: got %d items in %d pages, want %d in %d", tc.reason, items, pages, tc.want, (tc.want+4)/5)
			}
		})
	}
}
