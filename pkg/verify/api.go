package verify

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/servicediscovery"
)

// RDSAPI is the part of the RDS client verify calls.
type RDSAPI interface {
	DescribeDBClusters(context.Context, *rds.DescribeDBClustersInput, ...func(*rds.Options)) (*rds.DescribeDBClustersOutput, error)
	DescribeDBInstances(context.Context, *rds.DescribeDBInstancesInput, ...func(*rds.Options)) (*rds.DescribeDBInstancesOutput, error)
}

// EC2API is the part of the EC2 client verify calls.
type EC2API interface {
	DescribeRouteTables(context.Context, *ec2.DescribeRouteTablesInput, ...func(*ec2.Options)) (*ec2.DescribeRouteTablesOutput, error)
	DescribeSubnets(context.Context, *ec2.DescribeSubnetsInput, ...func(*ec2.Options)) (*ec2.DescribeSubnetsOutput, error)
	DescribeSecurityGroupRules(context.Context, *ec2.DescribeSecurityGroupRulesInput, ...func(*ec2.Options)) (*ec2.DescribeSecurityGroupRulesOutput, error)
}

// ECSAPI is the part of the ECS client verify calls.
type ECSAPI interface {
	DescribeServices(context.Context, *ecs.DescribeServicesInput, ...func(*ecs.Options)) (*ecs.DescribeServicesOutput, error)
	ListTasks(context.Context, *ecs.ListTasksInput, ...func(*ecs.Options)) (*ecs.ListTasksOutput, error)
	DescribeTasks(context.Context, *ecs.DescribeTasksInput, ...func(*ecs.Options)) (*ecs.DescribeTasksOutput, error)
}

// ELBAPI is the part of the Elastic Load Balancing v2 client verify calls.
type ELBAPI interface {
	DescribeTargetHealth(context.Context, *elb.DescribeTargetHealthInput, ...func(*elb.Options)) (*elb.DescribeTargetHealthOutput, error)
}

// CloudMapAPI is the part of the Cloud Map client verify calls.
type CloudMapAPI interface {
	ListInstances(context.Context, *servicediscovery.ListInstancesInput, ...func(*servicediscovery.Options)) (*servicediscovery.ListInstancesOutput, error)
}

// Clients are the AWS clients verify reads through.
type Clients struct {
	RDS      RDSAPI
	EC2      EC2API
	ECS      ECSAPI
	ELB      ELBAPI
	CloudMap CloudMapAPI
}

var (
	_ RDSAPI      = (*rds.Client)(nil)
	_ EC2API      = (*ec2.Client)(nil)
	_ ECSAPI      = (*ecs.Client)(nil)
	_ ELBAPI      = (*elb.Client)(nil)
	_ CloudMapAPI = (*servicediscovery.Client)(nil)
)
