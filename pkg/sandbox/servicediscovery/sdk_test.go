package servicediscovery_test

//lint:file-ignore SA1019 the sandbox reports the deprecated fields AWS still returns.
import (
	"context"
	"regexp"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsec2 "github.com/aws/aws-sdk-go-v2/service/ec2"
	awsecs "github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	rgt "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi"
	sd "github.com/aws/aws-sdk-go-v2/service/servicediscovery"
	"github.com/aws/aws-sdk-go-v2/service/servicediscovery/types"

	"github.com/kcstack/kcstack/pkg/sandbox"
	"github.com/kcstack/kcstack/pkg/sandbox/ec2"
	"github.com/kcstack/kcstack/pkg/sandbox/ecs"
	"github.com/kcstack/kcstack/pkg/sandbox/sandboxtest"
	"github.com/kcstack/kcstack/pkg/sandbox/servicediscovery"
	"github.com/kcstack/kcstack/pkg/sandbox/tagging"
)

type env struct {
	sd      *sd.Client
	ecs     *awsecs.Client
	tagging *rgt.Client
	vpc     string
	subnet  string
}

func newEnv(t *testing.T, opts ...sandbox.Option) *env {
	t.Helper()
	srv := sandboxtest.New(t, append([]sandbox.Option{sandbox.WithServices(ec2.Service(), ecs.Service(), servicediscovery.Service(), tagging.Service())}, opts...)...)
	cfg := sandboxtest.AWSConfig(t, srv)
	e := &env{sd: sd.NewFromConfig(cfg), ecs: awsecs.NewFromConfig(cfg), tagging: rgt.NewFromConfig(cfg)}
	ec2c := awsec2.NewFromConfig(cfg)
	vpc, err := ec2c.CreateVpc(context.Background(), &awsec2.CreateVpcInput{CidrBlock: aws.String("10.40.0.0/16")})
	if err != nil {
		t.Fatal(err)
	}
	e.vpc = aws.ToString(vpc.Vpc.VpcId)
	sn, err := ec2c.CreateSubnet(context.Background(), &awsec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String("10.40.1.0/24"), AvailabilityZone: aws.String("eu-west-1a")})
	if err != nil {
		t.Fatal(err)
	}
	e.subnet = aws.ToString(sn.Subnet.SubnetId)
	return e
}

// wait polls GetOperation until it leaves SUBMITTED and returns it.
func (e *env) wait(t *testing.T, id *string) *types.Operation {
	t.Helper()
	for range 500 {
		out, err := e.sd.GetOperation(context.Background(), &sd.GetOperationInput{OperationId: id})
		if err != nil {
			t.Fatalf("GetOperation: %v", err)
		}
		if out.Operation.Status != types.OperationStatusSubmitted && out.Operation.Status != types.OperationStatusPending {
			return out.Operation
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("operation %s never finished", aws.ToString(id))
	return nil
}

func (e *env) namespace(t *testing.T, name string) string {
	t.Helper()
	out, err := e.sd.CreatePrivateDnsNamespace(context.Background(), &sd.CreatePrivateDnsNamespaceInput{
		Name: aws.String(name), Vpc: aws.String(e.vpc), CreatorRequestId: aws.String("req-" + name),
		Tags: []types.Tag{{Key: aws.String("kcstack:stack"), Value: aws.String("prod")}},
	})
	if err != nil {
		t.Fatalf("CreatePrivateDnsNamespace: %v", err)
	}
	op := e.wait(t, out.OperationId)
	if op.Status != types.OperationStatusSuccess || op.Type != types.OperationTypeCreateNamespace {
		t.Fatalf("create operation: %+v", op)
	}
	return op.Targets["NAMESPACE"]
}

func TestNamespaceLifecycle(t *testing.T) {
	ctx := context.Background()
	// Operations stay SUBMITTED for half a second, so the test sees them
	// before they finish even on a loaded machine.
	e := newEnv(t, sandbox.WithDelays(500*time.Millisecond, 10*time.Millisecond))
	out, err := e.sd.CreatePrivateDnsNamespace(ctx, &sd.CreatePrivateDnsNamespaceInput{Name: aws.String("kc.internal"), Vpc: aws.String(e.vpc)})
	if err != nil {
		t.Fatalf("CreatePrivateDnsNamespace: %v", err)
	}
	first, err := e.sd.GetOperation(ctx, &sd.GetOperationInput{OperationId: out.OperationId})
	if err != nil || first.Operation.Status != types.OperationStatusSubmitted {
		t.Errorf("operation at once: %+v, %v", first, err)
	}
	id := first.Operation.Targets["NAMESPACE"]
	if _, err := e.sd.GetNamespace(ctx, &sd.GetNamespaceInput{Id: aws.String(id)}); sandboxtest.Code(err) != "NamespaceNotFound" {
		t.Errorf("namespace before its operation succeeds: want NamespaceNotFound, got %v", err)
	}
	op := e.wait(t, out.OperationId)
	if op.Status != types.OperationStatusSuccess || !regexp.MustCompile(`^ns-[a-z2-7]{16}$`).MatchString(id) {
		t.Fatalf("operation %+v, namespace id %s", op, id)
	}
	ns, err := e.sd.GetNamespace(ctx, &sd.GetNamespaceInput{Id: aws.String(id)})
	if err != nil || ns.Namespace.Type != types.NamespaceTypeDnsPrivate || aws.ToString(ns.Namespace.Properties.DnsProperties.HostedZoneId) == "" {
		t.Fatalf("GetNamespace: %+v, %v", ns, err)
	}
	if _, err := e.sd.CreatePrivateDnsNamespace(ctx, &sd.CreatePrivateDnsNamespaceInput{Name: aws.String("kc.internal"), Vpc: aws.String(e.vpc)}); sandboxtest.Code(err) != "NamespaceAlreadyExists" {
		t.Errorf("same name in the same VPC: want NamespaceAlreadyExists, got %v", err)
	}
	e.namespace(t, "other.internal")
	list, err := e.sd.ListNamespaces(ctx, &sd.ListNamespacesInput{Filters: []types.NamespaceFilter{
		{Name: types.NamespaceFilterNameType, Values: []string{"DNS_PRIVATE"}},
		{Name: types.NamespaceFilterNameName, Values: []string{"kc."}, Condition: types.FilterConditionBeginsWith},
	}})
	if err != nil || len(list.Namespaces) != 1 || aws.ToString(list.Namespaces[0].Id) != id {
		t.Errorf("ListNamespaces with filters: %+v, %v", list, err)
	}
	var all []string
	p := sd.NewListNamespacesPaginator(e.sd, &sd.ListNamespacesInput{MaxResults: aws.Int32(1)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range page.Namespaces {
			all = append(all, aws.ToString(n.Name))
		}
	}
	if len(all) != 2 {
		t.Errorf("paginated namespaces: %v", all)
	}
	del, err := e.sd.DeleteNamespace(ctx, &sd.DeleteNamespaceInput{Id: aws.String(id)})
	if err != nil {
		t.Fatalf("DeleteNamespace: %v", err)
	}
	if op := e.wait(t, del.OperationId); op.Type != types.OperationTypeDeleteNamespace || op.Status != types.OperationStatusSuccess {
		t.Errorf("delete operation: %+v", op)
	}
	if _, err := e.sd.GetNamespace(ctx, &sd.GetNamespaceInput{Id: aws.String(id)}); sandboxtest.Code(err) != "NamespaceNotFound" {
		t.Errorf("deleted namespace: want NamespaceNotFound, got %v", err)
	}
	if _, err := e.sd.GetOperation(ctx, &sd.GetOperationInput{OperationId: aws.String("nope")}); sandboxtest.Code(err) != "OperationNotFound" {
		t.Errorf("GetOperation unknown: want OperationNotFound, got %v", err)
	}
}

func TestServicesAndECSRegistration(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	nsID := e.namespace(t, "kc.internal")
	create := &sd.CreateServiceInput{
		Name: aws.String("jgroups"), NamespaceId: aws.String(nsID),
		DnsConfig:               &types.DnsConfig{RoutingPolicy: types.RoutingPolicyMultivalue, DnsRecords: []types.DnsRecord{{Type: types.RecordTypeA, TTL: aws.Int64(10)}}},
		HealthCheckCustomConfig: &types.HealthCheckCustomConfig{}, Tags: []types.Tag{{Key: aws.String("kcstack:stack"), Value: aws.String("prod")}},
	}
	out, err := e.sd.CreateService(ctx, create)
	if err != nil {
		t.Fatalf("CreateService: %v", err)
	}
	svc := out.Service
	if !regexp.MustCompile(`^srv-[a-z2-7]{16}$`).MatchString(aws.ToString(svc.Id)) || aws.ToString(svc.DnsConfig.NamespaceId) != nsID || aws.ToInt32(svc.HealthCheckCustomConfig.FailureThreshold) != 1 {
		t.Errorf("service: %+v", svc)
	}
	// The SDK filled create.CreatorRequestId: a call without one is a new request.
	second := *create
	second.CreatorRequestId = nil
	if _, err := e.sd.CreateService(ctx, &second); sandboxtest.Code(err) != "ServiceAlreadyExists" {
		t.Errorf("second CreateService: want ServiceAlreadyExists, got %v", err)
	}
	checkCreatorRequestID(ctx, t, e, *create)
	if _, err := e.sd.DeleteNamespace(ctx, &sd.DeleteNamespaceInput{Id: aws.String(nsID)}); sandboxtest.Code(err) != "ResourceInUse" {
		t.Errorf("DeleteNamespace with a service: want ResourceInUse, got %v", err)
	}
	up, err := e.sd.UpdateService(ctx, &sd.UpdateServiceInput{Id: svc.Id, Service: &types.ServiceChange{DnsConfig: &types.DnsConfigChange{DnsRecords: []types.DnsRecord{{Type: types.RecordTypeA, TTL: aws.Int64(5)}}}}})
	if err != nil {
		t.Fatalf("UpdateService: %v", err)
	}
	e.wait(t, up.OperationId)
	got, err := e.sd.GetService(ctx, &sd.GetServiceInput{Id: svc.Id})
	if err != nil || aws.ToInt64(got.Service.DnsConfig.DnsRecords[0].TTL) != 5 {
		t.Fatalf("GetService after update: %+v, %v", got, err)
	}
	list, err := e.sd.ListServices(ctx, &sd.ListServicesInput{Filters: []types.ServiceFilter{{Name: types.ServiceFilterNameNamespaceId, Values: []string{nsID}}}})
	if err != nil || len(list.Services) != 1 {
		t.Errorf("ListServices: %+v, %v", list, err)
	}
	if _, err := e.sd.TagResource(ctx, &sd.TagResourceInput{ResourceARN: svc.Arn, Tags: []types.Tag{{Key: aws.String("a"), Value: aws.String("1")}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.sd.UntagResource(ctx, &sd.UntagResourceInput{ResourceARN: svc.Arn, TagKeys: []string{"a"}}); err != nil {
		t.Fatal(err)
	}
	tags, err := e.sd.ListTagsForResource(ctx, &sd.ListTagsForResourceInput{ResourceARN: svc.Arn})
	if err != nil || len(tags.Tags) != 1 {
		t.Errorf("ListTagsForResource: %+v, %v", tags, err)
	}
	res, err := e.tagging.GetResources(ctx, &rgt.GetResourcesInput{ResourceTypeFilters: []string{"servicediscovery"}})
	if err != nil || len(res.ResourceTagMappingList) != 2 {
		t.Errorf("tagging API servicediscovery: %+v, %v", res, err)
	}

	// An ECS service registered into it keeps it in use until it is gone.
	e.ecsService(t, aws.ToString(svc.Arn))
	if _, err := e.sd.DeleteService(ctx, &sd.DeleteServiceInput{Id: svc.Id}); sandboxtest.Code(err) != "ResourceInUse" {
		t.Errorf("DeleteService with ECS tasks registered: want ResourceInUse, got %v", err)
	}
	if _, err := e.ecs.DeleteService(ctx, &awsecs.DeleteServiceInput{Cluster: aws.String("kc"), Service: aws.String("kc"), Force: aws.Bool(true)}); err != nil {
		t.Fatal(err)
	}
	inactive := awsecs.NewServicesInactiveWaiter(e.ecs, func(o *awsecs.ServicesInactiveWaiterOptions) {
		o.MinDelay, o.MaxDelay = 10*time.Millisecond, 20*time.Millisecond
	})
	if err := inactive.Wait(ctx, &awsecs.DescribeServicesInput{Cluster: aws.String("kc"), Services: []string{"kc"}}, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	if _, err := e.sd.DeleteService(ctx, &sd.DeleteServiceInput{Id: svc.Id}); err != nil {
		t.Fatalf("DeleteService: %v", err)
	}
	if _, err := e.sd.GetService(ctx, &sd.GetServiceInput{Id: svc.Id}); sandboxtest.Code(err) != "ServiceNotFound" {
		t.Errorf("deleted service: want ServiceNotFound, got %v", err)
	}
}

// ecsService runs an ECS service of one task registered into registry and
// waits until it is stable.
func (e *env) ecsService(t *testing.T, registry string) {
	t.Helper()
	ctx := context.Background()
	if _, err := e.ecs.CreateCluster(ctx, &awsecs.CreateClusterInput{ClusterName: aws.String("kc")}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.ecs.RegisterTaskDefinition(ctx, &awsecs.RegisterTaskDefinitionInput{Family: aws.String("kc"), NetworkMode: ecstypes.NetworkModeAwsvpc,
		ContainerDefinitions: []ecstypes.ContainerDefinition{{Name: aws.String("keycloak"), Image: aws.String("keycloak")}}}); err != nil {
		t.Fatal(err)
	}
	bad := &awsecs.CreateServiceInput{Cluster: aws.String("kc"), ServiceName: aws.String("kc"), TaskDefinition: aws.String("kc"), DesiredCount: aws.Int32(1),
		NetworkConfiguration: &ecstypes.NetworkConfiguration{AwsvpcConfiguration: &ecstypes.AwsVpcConfiguration{Subnets: []string{e.subnet}}},
		ServiceRegistries:    []ecstypes.ServiceRegistry{{RegistryArn: aws.String(registry + "x")}}}
	if _, err := e.ecs.CreateService(ctx, bad); sandboxtest.Code(err) != "InvalidParameterException" {
		t.Errorf("ECS service with an unknown registry: want InvalidParameterException, got %v", err)
	}
	bad.ServiceRegistries[0].RegistryArn = aws.String(registry)
	if _, err := e.ecs.CreateService(ctx, bad); err != nil {
		t.Fatalf("ECS CreateService: %v", err)
	}
	stable := awsecs.NewServicesStableWaiter(e.ecs, func(o *awsecs.ServicesStableWaiterOptions) {
		o.MinDelay, o.MaxDelay = 10*time.Millisecond, 20*time.Millisecond
	})
	if err := stable.Wait(ctx, &awsecs.DescribeServicesInput{Cluster: aws.String("kc"), Services: []string{"kc"}}, 5*time.Second); err != nil {
		t.Fatal(err)
	}
}

// checkCreatorRequestID checks Cloud Map's idempotency: a CreateService
// retried with the CreatorRequestId of the call that made the service
// answers that service, where another id is refused as a duplicate.
func checkCreatorRequestID(ctx context.Context, t *testing.T, e *env, in sd.CreateServiceInput) {
	t.Helper()
	in.Name, in.CreatorRequestId = aws.String("retried"), aws.String("request-1")
	first, err := e.sd.CreateService(ctx, &in)
	if err != nil {
		t.Fatalf("CreateService with a CreatorRequestId: %v", err)
	}
	again, err := e.sd.CreateService(ctx, &in)
	if err != nil || aws.ToString(again.Service.Id) != aws.ToString(first.Service.Id) {
		t.Errorf("CreateService retried with its CreatorRequestId: got %+v, %v; want the service made first", again, err)
	}
	in.CreatorRequestId = aws.String("request-2")
	if _, err := e.sd.CreateService(ctx, &in); sandboxtest.Code(err) != "ServiceAlreadyExists" {
		t.Errorf("CreateService of an existing service with another CreatorRequestId: want ServiceAlreadyExists, got %v", err)
	}
	if _, err := e.sd.DeleteService(ctx, &sd.DeleteServiceInput{Id: first.Service.Id}); err != nil {
		t.Fatal(err)
	}
}
