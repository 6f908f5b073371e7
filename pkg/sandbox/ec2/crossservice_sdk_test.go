package ec2_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/rds"

	sbrds "github.com/kcstack/kcstack/pkg/sandbox/rds"
	"github.com/kcstack/kcstack/pkg/sandbox/sandboxtest"
)

// TestSubnetsUsedByRDS drives the real RDS emulation: it resolves subnets
// and groups through the EC2 state, and EC2 refuses to delete a subnet or a
// group an Aurora cluster uses (a DB subnet group alone holds no network
// interface, so it does not block).
func TestSubnetsUsedByRDS(t *testing.T) {
	e := newEnv(t, sbrds.Service())
	db := rds.NewFromConfig(sandboxtest.AWSConfig(t, e.srv))
	vpcID := e.vpc("10.0.0.0/16")
	a, b := e.subnet(vpcID, "10.0.1.0/24"), e.subnet(vpcID, "10.0.2.0/24")
	sg := e.group(vpcID, "db")
	out := must(db.CreateDBSubnetGroup(e.ctx, &rds.CreateDBSubnetGroupInput{
		DBSubnetGroupName: aws.String("kc"), DBSubnetGroupDescription: aws.String("keycloak"), SubnetIds: []string{a, b},
	}))(t)
	if got := aws.ToString(out.DBSubnetGroup.VpcId); got != vpcID {
		t.Errorf("DB subnet group VPC: got %s, want %s", got, vpcID)
	}
	_, err := db.CreateDBSubnetGroup(e.ctx, &rds.CreateDBSubnetGroupInput{
		DBSubnetGroupName: aws.String("bad"), DBSubnetGroupDescription: aws.String("x"), SubnetIds: []string{"subnet-0123456789abcdef0"},
	})
	checkCode(t, "a DB subnet group of an unknown subnet", err, "InvalidSubnet")
	must(db.CreateDBCluster(e.ctx, &rds.CreateDBClusterInput{
		DBClusterIdentifier: aws.String("kc"), Engine: aws.String("aurora-postgresql"), MasterUsername: aws.String("keycloak"),
		MasterUserPassword: aws.String("secret-password"), DBSubnetGroupName: aws.String("kc"), VpcSecurityGroupIds: []string{sg},
	}))(t)
	_, err = e.ec2.DeleteSubnet(e.ctx, &ec2.DeleteSubnetInput{SubnetId: aws.String(a)})
	checkCode(t, "delete a subnet an Aurora cluster uses", err, "DependencyViolation")
	_, err = e.ec2.DeleteSecurityGroup(e.ctx, &ec2.DeleteSecurityGroupInput{GroupId: aws.String(sg)})
	checkCode(t, "delete a group an Aurora cluster uses", err, "DependencyViolation")
	must(db.DeleteDBCluster(e.ctx, &rds.DeleteDBClusterInput{DBClusterIdentifier: aws.String("kc"), SkipFinalSnapshot: aws.Bool(true)}))(t)
	must(db.DeleteDBSubnetGroup(e.ctx, &rds.DeleteDBSubnetGroupInput{DBSubnetGroupName: aws.String("kc")}))(t)
	must(e.ec2.DeleteSubnet(e.ctx, &ec2.DeleteSubnetInput{SubnetId: aws.String(a)}))(t)
	must(e.ec2.DeleteSecurityGroup(e.ctx, &ec2.DeleteSecurityGroupInput{GroupId: aws.String(sg)}))(t)
}
