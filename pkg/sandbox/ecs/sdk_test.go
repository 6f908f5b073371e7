package ecs_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsecs "github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	rgt "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi"
	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/sandbox/ecs"
	"github.com/kcstack/kcstack/pkg/sandbox/sandboxtest"
)

func newClient(t *testing.T) (*awsecs.Client, *rgt.Client) {
	return sandboxtest.WithTagging(t, awsecs.NewFromConfig, ecs.Service())
}

func stackTags() []types.Tag {
	return []types.Tag{{Key: aws.String("kcstack:stack"), Value: aws.String("prod")}}
}

func keycloakTaskDef(family string) *awsecs.RegisterTaskDefinitionInput {
	return &awsecs.RegisterTaskDefinitionInput{
		Family: aws.String(family), NetworkMode: types.NetworkModeAwsvpc, Cpu: aws.String("1024"), Memory: aws.String("2048"),
		RequiresCompatibilities: []types.Compatibility{types.CompatibilityFargate},
		ExecutionRoleArn:        aws.String("arn:aws:iam::123456789012:role/kc-exec"),
		ContainerDefinitions: []types.ContainerDefinition{{
			Name: aws.String("keycloak"), Image: aws.String("quay.io/keycloak/keycloak:26.4"), Essential: aws.Bool(true),
			PortMappings: []types.PortMapping{{ContainerPort: aws.Int32(8080)}, {ContainerPort: aws.Int32(9000)}},
			Secrets:      []types.Secret{{Name: aws.String("KC_DB_PASSWORD"), ValueFrom: aws.String("arn:aws:secretsmanager:eu-west-1:123456789012:secret:db:password::")}},
			LogConfiguration: &types.LogConfiguration{LogDriver: types.LogDriverAwslogs, Options: map[string]string{
				"awslogs-group": "/kcstack/prod", "awslogs-region": "eu-west-1", "awslogs-stream-prefix": "kc",
			}},
		}},
		Tags: stackTags(),
	}
}

func TestClusterLifecycle(t *testing.T) {
	ctx := context.Background()
	client, tagAPI := newClient(t)
	out, err := client.CreateCluster(ctx, &awsecs.CreateClusterInput{ClusterName: aws.String("kc"), Tags: stackTags()})
	if err != nil {
		t.Fatalf("CreateCluster: %v", err)
	}
	arn := aws.ToString(out.Cluster.ClusterArn)
	if arn != "arn:aws:ecs:eu-west-1:"+accountOf(arn)+":cluster/kc" || aws.ToString(out.Cluster.Status) != "ACTIVE" {
		t.Errorf("CreateCluster: arn %s status %s", arn, aws.ToString(out.Cluster.Status))
	}
	got, err := client.DescribeClusters(ctx, &awsecs.DescribeClustersInput{Clusters: []string{"kc", "nope"}, Include: []types.ClusterField{types.ClusterFieldTags}})
	if err != nil || len(got.Clusters) != 1 || len(got.Clusters[0].Tags) != 1 || len(got.Failures) != 1 || aws.ToString(got.Failures[0].Reason) != "MISSING" {
		t.Fatalf("DescribeClusters: %+v, %v", got, err)
	}
	res, err := tagAPI.GetResources(ctx, &rgt.GetResourcesInput{ResourceTypeFilters: []string{"ecs:cluster"}})
	if err != nil || len(res.ResourceTagMappingList) != 1 {
		t.Errorf("tagging API ecs:cluster: %+v, %v", res, err)
	}
	if _, err := client.DeleteCluster(ctx, &awsecs.DeleteClusterInput{Cluster: aws.String(arn)}); err != nil {
		t.Fatalf("DeleteCluster: %v", err)
	}
	got, _ = client.DescribeClusters(ctx, &awsecs.DescribeClustersInput{Clusters: []string{"kc"}})
	if len(got.Clusters) != 1 || aws.ToString(got.Clusters[0].Status) != "INACTIVE" {
		t.Errorf("deleted cluster: %+v", got)
	}
	if _, err := client.DeleteCluster(ctx, &awsecs.DeleteClusterInput{Cluster: aws.String("kc")}); sandboxtest.Code(err) != "ClusterNotFoundException" {
		t.Errorf("second DeleteCluster: want ClusterNotFoundException, got %v", err)
	}
}

func accountOf(arn string) string {
	var acct string
	_, _ = fmt.Sscanf(arn, "arn:aws:ecs:eu-west-1:%12s", &acct)
	return acct
}

func TestTaskDefinitions(t *testing.T) {
	ctx := context.Background()
	client, _ := newClient(t)
	in := keycloakTaskDef("kc-prod")
	for rev := 1; rev <= 3; rev++ {
		out, err := client.RegisterTaskDefinition(ctx, in)
		if err != nil {
			t.Fatalf("RegisterTaskDefinition %d: %v", rev, err)
		}
		want := fmt.Sprintf(":task-definition/kc-prod:%d", rev)
		if arn := aws.ToString(out.TaskDefinition.TaskDefinitionArn); arn[len(arn)-len(want):] != want || out.TaskDefinition.Revision != int32(rev) {
			t.Errorf("revision %d: arn %s", rev, arn)
		}
	}
	got, err := client.DescribeTaskDefinition(ctx, &awsecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String("kc-prod"), Include: []types.TaskDefinitionField{types.TaskDefinitionFieldTags}})
	if err != nil || got.TaskDefinition.Revision != 3 || len(got.Tags) != 1 || len(got.TaskDefinition.ContainerDefinitions[0].Secrets) != 1 {
		t.Fatalf("DescribeTaskDefinition: %+v, %v", got, err)
	}
	if diff := cmp.Diff([]types.Compatibility{"EC2", "FARGATE"}, got.TaskDefinition.Compatibilities); diff != "" {
		t.Errorf("compatibilities (-want +got):\n%s", diff)
	}
	if _, err := client.DeregisterTaskDefinition(ctx, &awsecs.DeregisterTaskDefinitionInput{TaskDefinition: aws.String("kc-prod:3")}); err != nil {
		t.Fatalf("DeregisterTaskDefinition: %v", err)
	}
	got, _ = client.DescribeTaskDefinition(ctx, &awsecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String("kc-prod")})
	if got.TaskDefinition.Revision != 2 {
		t.Errorf("family after deregistering 3 resolves to revision %d, want 2", got.TaskDefinition.Revision)
	}
	var arns []string
	p := awsecs.NewListTaskDefinitionsPaginator(client, &awsecs.ListTaskDefinitionsInput{FamilyPrefix: aws.String("kc-prod"), MaxResults: aws.Int32(1)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatalf("ListTaskDefinitions: %v", err)
		}
		arns = append(arns, out.TaskDefinitionArns...)
	}
	if len(arns) != 2 {
		t.Errorf("active revisions listed: %v", arns)
	}
	if _, err := client.DescribeTaskDefinition(ctx, &awsecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String("nope")}); sandboxtest.Code(err) != "ClientException" {
		t.Errorf("DescribeTaskDefinition missing: want ClientException, got %v", err)
	}
	bad := keycloakTaskDef("bad")
	bad.NetworkMode = types.NetworkModeBridge
	if _, err := client.RegisterTaskDefinition(ctx, bad); sandboxtest.Code(err) != "ClientException" {
		t.Errorf("Fargate with bridge: want ClientException, got %v", err)
	}
	bad = keycloakTaskDef("bad")
	bad.Memory = aws.String("700")
	if _, err := client.RegisterTaskDefinition(ctx, bad); sandboxtest.Code(err) != "ClientException" {
		t.Errorf("Fargate 1024 CPU / 700 MiB: want ClientException, got %v", err)
	}
}

func TestServiceLifecycle(t *testing.T) {
	ctx := context.Background()
	client, _ := newClient(t)
	if _, err := client.CreateCluster(ctx, &awsecs.CreateClusterInput{ClusterName: aws.String("kc")}); err != nil {
		t.Fatal(err)
	}
	if _, err := client.RegisterTaskDefinition(ctx, keycloakTaskDef("kc")); err != nil {
		t.Fatal(err)
	}
	create := &awsecs.CreateServiceInput{
		Cluster: aws.String("kc"), ServiceName: aws.String("keycloak"), TaskDefinition: aws.String("kc"), DesiredCount: aws.Int32(3),
		LaunchType: types.LaunchTypeFargate,
		NetworkConfiguration: &types.NetworkConfiguration{AwsvpcConfiguration: &types.AwsVpcConfiguration{
			Subnets: []string{"subnet-0123456789abcdef0"}, SecurityGroups: []string{"sg-0123456789abcdef0"},
		}},
		LoadBalancers:           []types.LoadBalancer{{ContainerName: aws.String("keycloak"), ContainerPort: aws.Int32(8080), TargetGroupArn: aws.String("arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/kc/0123456789abcdef")}},
		ServiceRegistries:       []types.ServiceRegistry{{RegistryArn: aws.String("arn:aws:servicediscovery:eu-west-1:123456789012:service/srv-0123456789abcdef")}},
		DeploymentConfiguration: &types.DeploymentConfiguration{DeploymentCircuitBreaker: &types.DeploymentCircuitBreaker{Enable: true, Rollback: true}},
		PropagateTags:           types.PropagateTagsService, Tags: stackTags(),
	}
	out, err := client.CreateService(ctx, create)
	if err != nil {
		t.Fatalf("CreateService: %v", err)
	}
	s := out.Service
	if s.RunningCount != 0 || s.DesiredCount != 3 || len(s.Deployments) != 1 || s.Deployments[0].RolloutState != types.DeploymentRolloutStateInProgress {
		t.Errorf("new service: running %d desired %d deployments %+v", s.RunningCount, s.DesiredCount, s.Deployments)
	}
	if cb := s.DeploymentConfiguration.DeploymentCircuitBreaker; !cb.Enable || !cb.Rollback || s.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp != types.AssignPublicIpDisabled {
		t.Errorf("circuit breaker %+v, public ip %s", cb, s.NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp)
	}
	if _, err := client.CreateService(ctx, create); sandboxtest.Code(err) != "InvalidParameterException" {
		t.Errorf("second CreateService: want InvalidParameterException, got %v", err)
	}
	checkServiceClientToken(ctx, t, client, *create)
	if _, err := client.DeleteCluster(ctx, &awsecs.DeleteClusterInput{Cluster: aws.String("kc")}); sandboxtest.Code(err) != "ClusterContainsServicesException" {
		t.Errorf("DeleteCluster with a service: want ClusterContainsServicesException, got %v", err)
	}
	waiter := awsecs.NewServicesStableWaiter(client, func(o *awsecs.ServicesStableWaiterOptions) {
		o.MinDelay, o.MaxDelay = 20*time.Millisecond, 50*time.Millisecond
	})
	if err := waiter.Wait(ctx, &awsecs.DescribeServicesInput{Cluster: aws.String("kc"), Services: []string{"keycloak"}}, 5*time.Second); err != nil {
		t.Fatalf("services-stable waiter: %v", err)
	}
	if _, err := client.RegisterTaskDefinition(ctx, keycloakTaskDef("kc")); err != nil {
		t.Fatal(err)
	}
	up, err := client.UpdateService(ctx, &awsecs.UpdateServiceInput{Cluster: aws.String("kc"), Service: aws.String("keycloak"), TaskDefinition: aws.String("kc"), DesiredCount: aws.Int32(2)})
	if err != nil {
		t.Fatalf("UpdateService: %v", err)
	}
	if len(up.Service.Deployments) != 2 || aws.ToString(up.Service.TaskDefinition)[len(aws.ToString(up.Service.TaskDefinition))-5:] != "/kc:2" {
		t.Errorf("update deployments %d, task definition %s", len(up.Service.Deployments), aws.ToString(up.Service.TaskDefinition))
	}
	if err := waiter.Wait(ctx, &awsecs.DescribeServicesInput{Cluster: aws.String("kc"), Services: []string{"keycloak"}}, 5*time.Second); err != nil {
		t.Fatalf("services-stable after update: %v", err)
	}
	got, err := client.DescribeServices(ctx, &awsecs.DescribeServicesInput{Cluster: aws.String("kc"), Services: []string{"keycloak", "ghost"}, Include: []types.ServiceField{types.ServiceFieldTags}})
	if err != nil || len(got.Services) != 1 || got.Services[0].RunningCount != 2 || len(got.Services[0].Tags) != 1 || len(got.Failures) != 1 {
		t.Fatalf("DescribeServices: %+v, %v", got, err)
	}
	if len(got.Services[0].ServiceRegistries) != 1 || len(got.Services[0].LoadBalancers) != 1 {
		t.Errorf("registries/load balancers lost: %+v", got.Services[0])
	}
	list, err := client.ListServices(ctx, &awsecs.ListServicesInput{Cluster: aws.String("kc")})
	if err != nil || len(list.ServiceArns) != 1 || list.ServiceArns[0] != aws.ToString(got.Services[0].ServiceArn) {
		t.Errorf("ListServices: %+v, %v", list, err)
	}
	if _, err := client.DeleteService(ctx, &awsecs.DeleteServiceInput{Cluster: aws.String("kc"), Service: aws.String("keycloak")}); sandboxtest.Code(err) != "InvalidParameterException" {
		t.Errorf("DeleteService scaled above 0 without force: want InvalidParameterException, got %v", err)
	}
	del, err := client.DeleteService(ctx, &awsecs.DeleteServiceInput{Cluster: aws.String("kc"), Service: aws.String("keycloak"), Force: aws.Bool(true)})
	if err != nil || aws.ToString(del.Service.Status) != "DRAINING" {
		t.Fatalf("DeleteService force: %+v, %v", del, err)
	}
	inactive := awsecs.NewServicesInactiveWaiter(client, func(o *awsecs.ServicesInactiveWaiterOptions) {
		o.MinDelay, o.MaxDelay = 20*time.Millisecond, 50*time.Millisecond
	})
	if err := inactive.Wait(ctx, &awsecs.DescribeServicesInput{Cluster: aws.String("kc"), Services: []string{"keycloak"}}, 5*time.Second); err != nil {
		t.Fatalf("services-inactive waiter: %v", err)
	}
	if _, err := client.UpdateService(ctx, &awsecs.UpdateServiceInput{Cluster: aws.String("kc"), Service: aws.String("keycloak"), DesiredCount: aws.Int32(1)}); sandboxtest.Code(err) != "ServiceNotActiveException" {
		t.Errorf("UpdateService inactive: want ServiceNotActiveException, got %v", err)
	}
	if _, err := client.DeleteCluster(ctx, &awsecs.DeleteClusterInput{Cluster: aws.String("kc")}); err != nil {
		t.Errorf("DeleteCluster after the service: %v", err)
	}
}

func TestServiceErrorsAndTags(t *testing.T) {
	ctx := context.Background()
	client, _ := newClient(t)
	if _, err := client.CreateService(ctx, &awsecs.CreateServiceInput{Cluster: aws.String("nope"), ServiceName: aws.String("s"), TaskDefinition: aws.String("kc")}); sandboxtest.Code(err) != "ClusterNotFoundException" {
		t.Errorf("CreateService in a missing cluster: want ClusterNotFoundException, got %v", err)
	}
	if _, err := client.CreateCluster(ctx, &awsecs.CreateClusterInput{ClusterName: aws.String("kc")}); err != nil {
		t.Fatal(err)
	}
	td, err := client.RegisterTaskDefinition(ctx, keycloakTaskDef("kc"))
	if err != nil {
		t.Fatal(err)
	}
	base := awsecs.CreateServiceInput{Cluster: aws.String("kc"), ServiceName: aws.String("s"), TaskDefinition: aws.String("kc:1"), LaunchType: types.LaunchTypeFargate}
	if _, err := client.CreateService(ctx, &base); sandboxtest.Code(err) != "InvalidParameterException" {
		t.Errorf("awsvpc service without network configuration: want InvalidParameterException, got %v", err)
	}
	if _, err := client.UpdateService(ctx, &awsecs.UpdateServiceInput{Cluster: aws.String("kc"), Service: aws.String("ghost")}); sandboxtest.Code(err) != "ServiceNotFoundException" {
		t.Errorf("UpdateService missing: want ServiceNotFoundException, got %v", err)
	}
	arn := td.TaskDefinition.TaskDefinitionArn
	if _, err := client.TagResource(ctx, &awsecs.TagResourceInput{ResourceArn: arn, Tags: []types.Tag{{Key: aws.String("a"), Value: aws.String("1")}}}); err != nil {
		t.Fatalf("TagResource: %v", err)
	}
	if _, err := client.UntagResource(ctx, &awsecs.UntagResourceInput{ResourceArn: arn, TagKeys: []string{"kcstack:stack"}}); err != nil {
		t.Fatalf("UntagResource: %v", err)
	}
	tags, err := client.ListTagsForResource(ctx, &awsecs.ListTagsForResourceInput{ResourceArn: arn})
	if err != nil || len(tags.Tags) != 1 || aws.ToString(tags.Tags[0].Key) != "a" {
		t.Errorf("ListTagsForResource: %+v, %v", tags, err)
	}
	if _, err := client.ListTagsForResource(ctx, &awsecs.ListTagsForResourceInput{ResourceArn: aws.String("arn:aws:ecs:eu-west-1:" + accountOf(*arn) + ":cluster/ghost")}); sandboxtest.Code(err) != "ResourceNotFoundException" {
		t.Errorf("ListTagsForResource missing cluster: want ResourceNotFoundException, got %v", err)
	}
}

// checkServiceClientToken checks ECS's idempotency: a CreateService
// retried with the client token of the call that made the service answers
// that service; another token, or none, is refused.
func checkServiceClientToken(ctx context.Context, t *testing.T, client *awsecs.Client, in awsecs.CreateServiceInput) {
	t.Helper()
	in.ServiceName, in.ClientToken = aws.String("tokened"), aws.String("token-1")
	first, err := client.CreateService(ctx, &in)
	if err != nil {
		t.Fatalf("CreateService with a client token: %v", err)
	}
	again, err := client.CreateService(ctx, &in)
	if err != nil || aws.ToString(again.Service.ServiceArn) != aws.ToString(first.Service.ServiceArn) {
		t.Errorf("CreateService retried with its client token: got %+v, %v; want the service made first", again, err)
	}
	in.ClientToken = aws.String("token-2")
	if _, err := client.CreateService(ctx, &in); sandboxtest.Code(err) != "InvalidParameterException" {
		t.Errorf("CreateService of an existing service with another token: want InvalidParameterException, got %v", err)
	}
	if _, err := client.DeleteService(ctx, &awsecs.DeleteServiceInput{Cluster: in.Cluster, Service: in.ServiceName, Force: aws.Bool(true)}); err != nil {
		t.Fatal(err)
	}
}
