package verify

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/servicediscovery"
)

// fakeRDS, fakeEC2, fakeECS, fakeELB and fakeCloudMap answer with their
// function fields; a call without one answers an empty output.
type fakeRDS struct {
	ClustersFn  func(*rds.DescribeDBClustersInput) *rds.DescribeDBClustersOutput
	InstancesFn func(*rds.DescribeDBInstancesInput) *rds.DescribeDBInstancesOutput
}

func (f fakeRDS) DescribeDBClusters(_ context.Context, in *rds.DescribeDBClustersInput, _ ...func(*rds.Options)) (*rds.DescribeDBClustersOutput, error) {
	return orEmpty(f.ClustersFn, in), nil
}

func (f fakeRDS) DescribeDBInstances(_ context.Context, in *rds.DescribeDBInstancesInput, _ ...func(*rds.Options)) (*rds.DescribeDBInstancesOutput, error) {
	return orEmpty(f.InstancesFn, in), nil
}

type fakeEC2 struct {
	TablesFn  func(*ec2.DescribeRouteTablesInput) *ec2.DescribeRouteTablesOutput
	SubnetsFn func(*ec2.DescribeSubnetsInput) *ec2.DescribeSubnetsOutput
	RulesFn   func(*ec2.DescribeSecurityGroupRulesInput) *ec2.DescribeSecurityGroupRulesOutput
}

func (f fakeEC2) DescribeRouteTables(_ context.Context, in *ec2.DescribeRouteTablesInput, _ ...func(*ec2.Options)) (*ec2.DescribeRouteTablesOutput, error) {
	return orEmpty(f.TablesFn, in), nil
}

func (f fakeEC2) DescribeSubnets(_ context.Context, in *ec2.DescribeSubnetsInput, _ ...func(*ec2.Options)) (*ec2.DescribeSubnetsOutput, error) {
	return orEmpty(f.SubnetsFn, in), nil
}

func (f fakeEC2) DescribeSecurityGroupRules(_ context.Context, in *ec2.DescribeSecurityGroupRulesInput, _ ...func(*ec2.Options)) (*ec2.DescribeSecurityGroupRulesOutput, error) {
	return orEmpty(f.RulesFn, in), nil
}

type fakeECS struct {
	ServicesFn func(*ecs.DescribeServicesInput) *ecs.DescribeServicesOutput
	ListFn     func(*ecs.ListTasksInput) *ecs.ListTasksOutput
	TasksFn    func(*ecs.DescribeTasksInput) *ecs.DescribeTasksOutput
}

func (f fakeECS) DescribeServices(_ context.Context, in *ecs.DescribeServicesInput, _ ...func(*ecs.Options)) (*ecs.DescribeServicesOutput, error) {
	return orEmpty(f.ServicesFn, in), nil
}

func (f fakeECS) ListTasks(_ context.Context, in *ecs.ListTasksInput, _ ...func(*ecs.Options)) (*ecs.ListTasksOutput, error) {
	return orEmpty(f.ListFn, in), nil
}

func (f fakeECS) DescribeTasks(_ context.Context, in *ecs.DescribeTasksInput, _ ...func(*ecs.Options)) (*ecs.DescribeTasksOutput, error) {
	return orEmpty(f.TasksFn, in), nil
}

type fakeELB struct {
	HealthFn func(*elb.DescribeTargetHealthInput) *elb.DescribeTargetHealthOutput
}

func (f fakeELB) DescribeTargetHealth(_ context.Context, in *elb.DescribeTargetHealthInput, _ ...func(*elb.Options)) (*elb.DescribeTargetHealthOutput, error) {
	return orEmpty(f.HealthFn, in), nil
}

type fakeCloudMap struct {
	InstancesFn func(*servicediscovery.ListInstancesInput) *servicediscovery.ListInstancesOutput
}

func (f fakeCloudMap) ListInstances(_ context.Context, in *servicediscovery.ListInstancesInput, _ ...func(*servicediscovery.Options)) (*servicediscovery.ListInstancesOutput, error) {
	return orEmpty(f.InstancesFn, in), nil
}

// orEmpty calls fn, or returns an empty output without one.
func orEmpty[I, O any](fn func(*I) *O, in *I) *O {
	if fn == nil {
		return new(O)
	}
	return fn(in)
}
