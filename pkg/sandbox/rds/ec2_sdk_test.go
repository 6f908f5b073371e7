package rds_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsec2 "github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	awsrds "github.com/aws/aws-sdk-go-v2/service/rds"

	"github.com/kcstack/kcstack/pkg/sandbox"
	"github.com/kcstack/kcstack/pkg/sandbox/ec2"
	"github.com/kcstack/kcstack/pkg/sandbox/rds"
	"github.com/kcstack/kcstack/pkg/sandbox/sandboxtest"
	"github.com/kcstack/kcstack/pkg/sandbox/secretsmanager"
)

// TestWithEC2OverHTTP runs RDS against the real EC2 emulation: subnet
// groups from EC2 subnets, and EC2 refusing to delete a subnet or a
// security group an Aurora cluster uses. It skips while the EC2 state
// does not implement rds.SubnetLookup.
func TestWithEC2OverHTTP(t *testing.T) {
	if _, ok := any(ec2.NewState()).(rds.SubnetLookup); !ok {
		t.Skip("the EC2 state does not implement rds.SubnetLookup yet")
	}
	ctx := context.Background()
	srv := sandboxtest.New(t, sandbox.WithServices(ec2.Service(), rds.Service(), secretsmanager.Service()))
	cfg := sandboxtest.AWSConfig(t, srv)
	e, r := awsec2.NewFromConfig(cfg), awsrds.NewFromConfig(cfg)
	vpc, err := e.CreateVpc(ctx, &awsec2.CreateVpcInput{CidrBlock: aws.String("10.20.0.0/16")})
	if err != nil {
		t.Fatalf("CreateVpc: %v", err)
	}
	var subnetIDs []string
	for i, zone := range []string{"eu-west-1a", "eu-west-1b"} {
		sn, err := e.CreateSubnet(ctx, &awsec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String([]string{"10.20.1.0/24", "10.20.2.0/24"}[i]), AvailabilityZone: aws.String(zone)})
		if err != nil {
			t.Fatalf("CreateSubnet: %v", err)
		}
		subnetIDs = append(subnetIDs, aws.ToString(sn.Subnet.SubnetId))
	}
	sg, err := e.CreateSecurityGroup(ctx, &awsec2.CreateSecurityGroupInput{GroupName: aws.String("db"), Description: aws.String("db"), VpcId: vpc.Vpc.VpcId})
	if err != nil {
		t.Fatalf("CreateSecurityGroup: %v", err)
	}
	if _, err := r.CreateDBSubnetGroup(ctx, &awsrds.CreateDBSubnetGroupInput{DBSubnetGroupName: aws.String("db"), DBSubnetGroupDescription: aws.String("db"), SubnetIds: subnetIDs}); err != nil {
		t.Fatalf("CreateDBSubnetGroup: %v", err)
	}
	if _, err := r.CreateDBCluster(ctx, &awsrds.CreateDBClusterInput{
		DBClusterIdentifier: aws.String("db"), Engine: aws.String("aurora-postgresql"), MasterUsername: aws.String("keycloak"),
		ManageMasterUserPassword: aws.Bool(true), DBSubnetGroupName: aws.String("db"), VpcSecurityGroupIds: []string{aws.ToString(sg.GroupId)},
	}); err != nil {
		t.Fatalf("CreateDBCluster: %v", err)
	}
	checkGroups(t, e, r, aws.ToString(vpc.Vpc.VpcId))
	_, err = e.DeleteSubnet(ctx, &awsec2.DeleteSubnetInput{SubnetId: aws.String(subnetIDs[0])})
	if code, _ := apiError(t, err); code != "DependencyViolation" {
		t.Errorf("deleting a subnet the cluster uses: want DependencyViolation, got %v", err)
	}
	_, err = e.DeleteSecurityGroup(ctx, &awsec2.DeleteSecurityGroupInput{GroupId: sg.GroupId})
	if code, _ := apiError(t, err); code != "DependencyViolation" {
		t.Errorf("deleting a security group the cluster uses: want DependencyViolation, got %v", err)
	}
}

// checkGroups: without VpcSecurityGroupIds a cluster gets its VPC's
// default group; a group of another VPC is refused.
func checkGroups(t *testing.T, e *awsec2.Client, r *awsrds.Client, vpcID string) {
	t.Helper()
	ctx := context.Background()
	in := &awsrds.CreateDBClusterInput{
		DBClusterIdentifier: aws.String("plain"), Engine: aws.String("aurora-postgresql"), MasterUsername: aws.String("keycloak"),
		MasterUserPassword: aws.String("longenough"), DBSubnetGroupName: aws.String("db"),
	}
	out, err := r.CreateDBCluster(ctx, in)
	if err != nil {
		t.Fatalf("CreateDBCluster without groups: %v", err)
	}
	def, err := e.DescribeSecurityGroups(ctx, &awsec2.DescribeSecurityGroupsInput{Filters: []ec2types.Filter{
		{Name: aws.String("vpc-id"), Values: []string{vpcID}}, {Name: aws.String("group-name"), Values: []string{"default"}},
	}})
	if err != nil || len(def.SecurityGroups) != 1 {
		t.Fatalf("DescribeSecurityGroups default: %+v, %v", def, err)
	}
	if got := out.DBCluster.VpcSecurityGroups; len(got) != 1 || aws.ToString(got[0].VpcSecurityGroupId) != aws.ToString(def.SecurityGroups[0].GroupId) {
		t.Errorf("groups of a cluster created without any: %+v, want the VPC's default", got)
	}
	other, err := e.CreateVpc(ctx, &awsec2.CreateVpcInput{CidrBlock: aws.String("10.30.0.0/16")})
	if err != nil {
		t.Fatal(err)
	}
	sg, err := e.CreateSecurityGroup(ctx, &awsec2.CreateSecurityGroupInput{GroupName: aws.String("elsewhere"), Description: aws.String("d"), VpcId: other.Vpc.VpcId})
	if err != nil {
		t.Fatal(err)
	}
	in.DBClusterIdentifier, in.VpcSecurityGroupIds = aws.String("elsewhere"), []string{aws.ToString(sg.GroupId)}
	_, err = r.CreateDBCluster(ctx, in)
	if code, _ := apiError(t, err); code != "InvalidParameterValue" {
		t.Errorf("a group of another VPC: want InvalidParameterValue, got %v", err)
	}
}
