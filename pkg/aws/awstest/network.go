package awstest

import (
	"context"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
)

// Network is a VPC with a subnet in each of three zones and security
// groups, for the tests of kinds placed in subnets.
type Network struct {
	VPC            string
	Subnets, Zones []string // eu-west-1a, eu-west-1b, eu-west-1c
	SecurityGroups []string // one per name given to MakeNetwork
}

// MakeNetwork creates, through the EC2 API, the VPC <prefix>.0.0/16 with
// the subnets <prefix>.0.0/24, .1.0/24 and .2.0/24 in eu-west-1a, -1b
// and -1c, and a security group in it per name in groups.
func MakeNetwork(t *testing.T, c *ec2.Client, prefix string, groups ...string) Network {
	t.Helper()
	ctx := context.Background()
	vpc, err := c.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String(prefix + ".0.0/16")})
	if err != nil {
		t.Fatalf("create vpc: %v", err)
	}
	n := Network{VPC: aws.ToString(vpc.Vpc.VpcId), Zones: []string{"eu-west-1a", "eu-west-1b", "eu-west-1c"}}
	for i, zone := range n.Zones {
		sn, err := c.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: aws.String(n.VPC), AvailabilityZone: aws.String(zone),
			CidrBlock: aws.String(fmt.Sprintf("%s.%d.0/24", prefix, i))})
		if err != nil {
			t.Fatalf("create subnet in %s: %v", zone, err)
		}
		n.Subnets = append(n.Subnets, aws.ToString(sn.Subnet.SubnetId))
	}
	for _, name := range groups {
		sg, err := c.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{VpcId: aws.String(n.VPC), GroupName: aws.String(name), Description: aws.String("test")})
		if err != nil {
			t.Fatalf("create security group %s: %v", name, err)
		}
		n.SecurityGroups = append(n.SecurityGroups, aws.ToString(sg.GroupId))
	}
	return n
}
