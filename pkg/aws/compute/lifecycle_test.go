package compute_test

import (
	"maps"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/kcstack/kcstack/pkg/aws/awstest"
	"github.com/kcstack/kcstack/pkg/aws/clients"
	"github.com/kcstack/kcstack/pkg/aws/compute"
	"github.com/kcstack/kcstack/pkg/aws/network"
	"github.com/kcstack/kcstack/pkg/desired"
	"github.com/kcstack/kcstack/pkg/plan"
	"github.com/kcstack/kcstack/pkg/resource"
	"github.com/kcstack/kcstack/pkg/sandbox/sandboxtest"
	kcstack "github.com/kcstack/kcstack/pkg/stack"
)

const stack = "compute-test"

// tags are the tags the stack gives addr: kcstack's, the name and two of
// spec.tags (that retag changes).
func tags(addr string) map[string]string {
	return map[string]string{resource.TagStack: stack, resource.TagAddress: addr, "Name": addr, "env": "test", "cost-center": "1"}
}

// trustConditions limit the roles to ECS tasks of the account.
var trustConditions = map[string]string{
	"StringEquals aws:SourceAccount": compute.AccountPlaceholder,
	"ArnLike aws:SourceArn":          "arn:aws:ecs:eu-west-1:" + compute.AccountPlaceholder + ":*",
}

// desiredIAMAndLogs is a log group and the two roles of a target.
func desiredIAMAndLogs(retention int64, taskActions []any) []resource.Desired {
	ds := []resource.Desired{
		{Address: "t.log-group", Kind: resource.KindLogGroup, Props: resource.Props{"name": compute.LogGroupPrefix(stack) + "t", "retention_in_days": retention}},
		{Address: "t.execution-role", Kind: resource.KindIAMRole, Props: resource.Props{
			"name": stack + "-t-execution", "path": compute.RolePath(stack), "trust_service": "ecs-tasks.amazonaws.com", "trust_conditions": trustConditions,
			"managed_policy_arns": []any{"arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"},
			"allow_actions":       []any{"secretsmanager:GetSecretValue"},
			"allow_resources":     []any{"arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf"},
		}},
		{Address: "t.task-role", Kind: resource.KindIAMRole, Props: resource.Props{
			"name": stack + "-t-task", "path": compute.RolePath(stack), "trust_service": "ecs-tasks.amazonaws.com", "trust_conditions": trustConditions,
			"managed_policy_arns": []any{}, "allow_actions": taskActions, "allow_resources": bucketResources(taskActions),
		}},
	}
	for i := range ds {
		ds[i].Tags = tags(ds[i].Address)
	}
	return ds
}

func bucketResources(actions []any) []any {
	if len(actions) == 0 {
		return []any{}
	}
	return []any{"arn:aws:s3:::b", "arn:aws:s3:::b/*"}
}

type harness struct {
	*awstest.Cycle
	// direct plans with tagging APIs that list nothing (as moto's do):
	// the observer then reads every tag from the services.
	direct   *awstest.Cycle
	handlers []resource.Handler
	t        *testing.T
	cfg      aws.Config
	clients  *clients.Clients
}

func newHarness(t *testing.T) (*harness, *ecs.Client) {
	srv := sandboxtest.New(t)
	cfg := sandboxtest.AWSConfig(t, srv)
	c := clients.New(cfg)
	set := &clients.Set{}
	compute.Register(set, c, clients.Options{Stack: stack})
	direct := &clients.Set{Handlers: set.Handlers, Observers: set.Observers}
	for _, p := range set.Tagged {
		part := *p.Observer.(*compute.Observer)
		part.GlobalTagging = noTagging{}
		direct.ObserveTagged(&part, p.Kinds...)
	}
	return &harness{
		Cycle:    awstest.NewCycle(t, stack, set.Handlers, awstest.Observers(set, c.Tagging)),
		direct:   awstest.NewCycle(t, stack, set.Handlers, awstest.Observers(direct, noTagging{})),
		handlers: set.Handlers, t: t, cfg: cfg, clients: c,
	}, c.ECS
}

// addNetwork registers the network's handlers and observers, for both
// ways of reading tags.
func (h *harness) addNetwork() {
	s := &clients.Set{}
	network.Register(s, h.clients, clients.Options{Stack: stack})
	h.add(s.Handlers, s.Observers)
}

// add registers the handlers and observers of the kinds the tested ones
// depend on, for both ways of reading tags.
func (h *harness) add(handlers []resource.Handler, observers []resource.Observer) {
	h.Add(handlers, observers)
	h.direct.Add(handlers, observers)
}

// noChanges checks that ds plans no change, with tags read from the
// tagging API and from the services alike.
func (h *harness) noChanges(ds []resource.Desired) {
	h.t.Helper()
	for way, c := range map[string]*awstest.Cycle{"tagging API": h.Cycle, "services": h.direct} {
		for _, ch := range c.Plan(ds, false).Changes {
			if ch.Action != plan.ActionNoOp {
				h.t.Errorf("tags from the %s: %s is %s: %+v", way, ch.Address, ch.Action, ch.Diffs)
			}
		}
	}
}

func TestLogGroupAndRolesLifecycle(t *testing.T) {
	h, _ := newHarness(t)
	ds := desiredIAMAndLogs(30, []any{})
	if p := h.Plan(ds, false); p.Summary.Add != len(ds) {
		t.Fatalf("empty account: %d to add, want %d", p.Summary.Add, len(ds))
	}
	h.Apply(h.Plan(ds, false))
	h.noChanges(ds)

	changed := desiredIAMAndLogs(14, []any{"s3:GetObject", "s3:ListBucket"})
	h.Update(changed, map[string]plan.Action{"t.log-group": plan.ActionUpdate, "t.task-role": plan.ActionUpdate}, "retention and task policy changed")
	h.noChanges(changed)

	retagged := h.retag(changed)

	h.DestroyAll(retagged)
}

// taskDefinition is the task definition the example stack (edited by
// edit) wants for its target, with facts as plain values and the roles
// and log group of desiredIAMAndLogs.
func taskDefinition(t *testing.T, edit func(*kcstack.Stack)) resource.Desired {
	t.Helper()
	st, _, err := kcstack.LoadFile("../../../examples/ecs-jdbc-ping.yaml")
	if err != nil {
		t.Fatal(err)
	}
	st.Metadata.Name = stack // the observer reads the families starting with the stack's name
	edit(st)
	ds, err := desired.Resources(st)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		if d.Kind != resource.KindECSTaskDefinition {
			continue
		}
		d.Props = resource.Props{
			"family":             d.Props["family"],
			"execution_role_arn": resource.Ref{Address: "t.execution-role", Attr: "arn"}, "task_role_arn": resource.Ref{Address: "t.task-role", Attr: "arn"},
			"writer_endpoint": "sso-prod-db.cluster-abc.eu-west-1.rds.amazonaws.com",
			"db_secret_arn":   "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!cluster-1-AbCdEf",
			"log_group":       compute.LogGroupPrefix(stack) + "t",
		}
		d.Address, d.Tags = "t.task-definition", tags("t.task-definition")
		d.DependsOn = []string{"t.execution-role", "t.task-role", "t.log-group"}
		return d
	}
	t.Fatal("the example has no task definition")
	return resource.Desired{}
}

// desiredECS is a network for the tasks, the roles and log group, and the
// cluster, task definition and service.
func desiredECS(t *testing.T, tasks int64, owners int) []resource.Desired {
	vpc := resource.Ref{Address: "t.vpc", Attr: "id"}
	ds := []resource.Desired{
		{Address: "t.vpc", Kind: resource.KindVPC, Props: resource.Props{"cidr_block": "10.0.0.0/16"}},
		{Address: "t.subnet", Kind: resource.KindSubnet, Props: resource.Props{"vpc_id": vpc, "cidr_block": "10.0.0.0/24", "availability_zone": "eu-west-1a"}, DependsOn: []string{"t.vpc"}},
		{Address: "t.task-security-group", Kind: resource.KindSecurityGroup, Props: resource.Props{"vpc_id": vpc, "group_name": "tasks", "description": "tasks"}, DependsOn: []string{"t.vpc"}},
		{Address: "t.cluster", Kind: resource.KindECSCluster, Props: resource.Props{"name": stack + "-t"}},
		{Address: "t.service", Kind: resource.KindECSService, Props: resource.Props{
			"name": stack + "-t", "cluster": resource.Ref{Address: "t.cluster", Attr: "arn"},
			"task_definition": resource.Ref{Address: "t.task-definition", Attr: "matching_arn"},
			"desired_count":   tasks, "launch_type": "FARGATE", "subnets": []any{resource.Ref{Address: "t.subnet", Attr: "id"}},
			"security_groups": []any{resource.Ref{Address: "t.task-security-group", Attr: "id"}}, "assign_public_ip": false,
			"circuit_breaker_rollback": true, "propagate_tags": "SERVICE", "health_check_grace_period": int64(300),
		}, DependsOn: []string{"t.cluster", "t.task-definition", "t.subnet", "t.task-security-group"}},
	}
	for i := range ds {
		ds[i].Tags = tags(ds[i].Address)
	}
	ds = append(ds, desiredIAMAndLogs(30, []any{})...)
	return append(ds, taskDefinition(t, func(st *kcstack.Stack) { st.Spec.Caches.Owners = owners }))
}

func TestECSLifecycle(t *testing.T) {
	h, _ := newHarness(t)
	h.addNetwork()
	ds := desiredECS(t, 2, 2)
	h.Apply(h.Plan(ds, false))
	h.noChanges(ds)

	changed := desiredECS(t, 3, 3)
	h.Update(changed, map[string]plan.Action{"t.task-definition": plan.ActionUpdate, "t.service": plan.ActionUpdate}, "tasks and owners changed")
	h.noChanges(changed)

	retagged := h.retag(changed)
	h.removesHandAddedTag(retagged, "t.service")

	h.DestroyAll(retagged)
}

// registerDuplicate registers a second revision of the one active task
// definition revision, as a register the SDK repeated would.
func registerDuplicate(t *testing.T, api *ecs.Client) (first, latest string) {
	t.Helper()
	active := activeRevisions(t, api)
	if len(active) != 1 {
		t.Fatalf("after apply: active revisions %v, want one", active)
	}
	live, err := api.DescribeTaskDefinition(t.Context(), &ecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String(active[0]), Include: []ecstypes.TaskDefinitionField{ecstypes.TaskDefinitionFieldTags}})
	if err != nil {
		t.Fatal(err)
	}
	td := live.TaskDefinition
	dup, err := api.RegisterTaskDefinition(t.Context(), &ecs.RegisterTaskDefinitionInput{
		Family: td.Family, Cpu: td.Cpu, Memory: td.Memory, NetworkMode: td.NetworkMode, RequiresCompatibilities: td.RequiresCompatibilities,
		ExecutionRoleArn: td.ExecutionRoleArn, TaskRoleArn: td.TaskRoleArn, ContainerDefinitions: td.ContainerDefinitions, Tags: live.Tags,
	})
	if err != nil {
		t.Fatal(err)
	}
	return active[0], aws.ToString(dup.TaskDefinition.TaskDefinitionArn)
}

// TestTaskDefinitionDuplicateRevisions: a second active revision of the
// family (a register whose answer was lost and that the SDK repeated) is
// planned as an update that only deregisters the older one (the service
// moving to the latest), FindByAddress adopts the latest, and destroy
// leaves no revision of the family active.
func TestTaskDefinitionDuplicateRevisions(t *testing.T) {
	h, api := newHarness(t)
	h.addNetwork()
	ds := desiredECS(t, 2, 2)
	h.Apply(h.Plan(ds, false))
	ctx := t.Context()

	first, latest := registerDuplicate(t, api)
	live, err := api.DescribeTaskDefinition(ctx, &ecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String(latest), Include: []ecstypes.TaskDefinitionField{ecstypes.TaskDefinitionFieldTags}})
	if err != nil {
		t.Fatal(err)
	}

	found, err := (&compute.TaskDefinitionHandler{Base: clients.Base[compute.ECSAPI]{API: api, Stack: stack}}).FindByAddress(ctx, stack, "t.task-definition")
	if err != nil || !found.Exists || found.ID != latest {
		t.Fatalf("FindByAddress = %s (exists %v), %v; want %s", found.ID, found.Exists, err, latest)
	}

	p := h.Plan(ds, false)
	// The service moves to the latest revision, the one observed.
	if got, want := awstest.Changes(p), map[string]plan.Action{"t.task-definition": plan.ActionUpdate, "t.service": plan.ActionUpdate}; !maps.Equal(got, want) {
		t.Fatalf("duplicate revision: actions %v, want %v", got, want)
	}
	for _, c := range p.Changes {
		if c.Address == "t.task-definition" && (len(c.Diffs) != 1 || c.Diffs[0].Path != "older_revisions" || c.Diffs[0].Before != first) {
			t.Errorf("duplicate revision: diffs %+v, want only older_revisions %s", c.Diffs, first)
		}
	}
	h.Apply(p)
	if got := activeRevisions(t, api); len(got) != 1 || got[0] != latest {
		t.Errorf("after the update: active revisions %v, want only %s", got, latest)
	}
	h.noChanges(ds)

	if _, err := api.RegisterTaskDefinition(ctx, &ecs.RegisterTaskDefinitionInput{
		Family: live.TaskDefinition.Family, ContainerDefinitions: live.TaskDefinition.ContainerDefinitions, Tags: live.Tags,
	}); err != nil {
		t.Fatal(err)
	}
	h.Apply(h.Plan(ds, true))
	if got := activeRevisions(t, api); len(got) != 0 {
		t.Errorf("after destroy: active revisions %v, want none", got)
	}
}

func activeRevisions(t *testing.T, api *ecs.Client) []string {
	t.Helper()
	out, err := api.ListTaskDefinitions(t.Context(), &ecs.ListTaskDefinitionsInput{Status: ecstypes.TaskDefinitionStatusActive})
	if err != nil {
		t.Fatal(err)
	}
	return out.TaskDefinitionArns
}

// TestTaskDefinitionResume: a register whose answer was lost is found by
// its address tag and resumed: the found revision is adopted as the one
// the service refers to, and the older one deregistered.
func TestTaskDefinitionResume(t *testing.T) {
	h, api := newHarness(t)
	h.addNetwork()
	ds := desiredECS(t, 2, 2)
	h.Apply(h.Plan(ds, false))
	_, latest := registerDuplicate(t, api)

	handler := &compute.TaskDefinitionHandler{Base: clients.Base[compute.ECSAPI]{API: api, Stack: stack}}
	found, err := handler.FindByAddress(t.Context(), stack, "t.task-definition")
	if err != nil || found.ID != latest {
		t.Fatalf("FindByAddress = %s, %v; want %s", found.ID, err, latest)
	}
	var resolved resource.Desired
	for _, c := range h.Plan(ds, false).Changes {
		if c.Address == "t.task-definition" {
			resolved = *c.Desired
		}
	}
	ob, err := handler.Resume(t.Context(), resolved, found)
	if err != nil {
		t.Fatal(err)
	}
	if ob.Attrs["matching_arn"] != latest || ob.ID != latest {
		t.Errorf("resumed %s with matching_arn %q, want %s for both", ob.ID, ob.Attrs["matching_arn"], latest)
	}
	if got := activeRevisions(t, api); len(got) != 1 || got[0] != latest {
		t.Errorf("after resume: active revisions %v, want only %s", got, latest)
	}
}

// TestTaskDefinitionUpdateDropsLostRegistration: a revision registered
// between the plan and the update (what a RegisterTaskDefinition retried
// by the SDK after a lost answer leaves behind) is deregistered by the
// update, which reads the family's active revisions from AWS: one apply
// converges.
func TestTaskDefinitionUpdateDropsLostRegistration(t *testing.T) {
	h, api := newHarness(t)
	h.addNetwork()
	h.Apply(h.Plan(desiredECS(t, 2, 2), false))
	edited := desiredECS(t, 2, 3)
	p := h.Plan(edited, false)
	_, lost := registerDuplicate(t, api)
	h.Apply(p)
	active := activeRevisions(t, api)
	if len(active) != 1 || active[0] == lost {
		t.Fatalf("after the update: active revisions %v, want only the one the update registered (not %s)", active, lost)
	}
	h.noChanges(edited)
}
