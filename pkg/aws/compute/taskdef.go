package compute

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/kcstack/kcstack/pkg/aws/awserr"
	"github.com/kcstack/kcstack/pkg/aws/clients"
	"github.com/kcstack/kcstack/pkg/aws/ownership"
	"github.com/kcstack/kcstack/pkg/aws/tagged"
	"github.com/kcstack/kcstack/pkg/resource"
)

// Options of a task definition's Desired: the generated task definition
// apart from its family and roles.
const (
	// OptionContainerDefinitions is the container definitions as JSON (an
	// array in the SDK's form), a template whose resource.Placeholder
	// strings Generate fills in with the props.
	OptionContainerDefinitions = "container_definitions"
	// OptionCPU and OptionMemory are the task size (CPU units, MiB).
	OptionCPU    = "cpu"
	OptionMemory = "memory"
	// OptionNetworkMode is the network mode (awsvpc).
	OptionNetworkMode = "network_mode"
	// OptionRequiresCompatibilities lists the launch types, comma-separated.
	OptionRequiresCompatibilities = "requires_compatibilities"
	// OptionOperatingSystemFamily is the runtime platform's OS family.
	OptionOperatingSystemFamily = "operating_system_family"
)

// TaskDefinitionHandler manages a target's Keycloak task definition.
// Desired props are the family, the roles (execution_role_arn,
// task_role_arn) and the values the container definitions need from other
// resources (writer_endpoint, db_secret_arn, log_group); the options hold
// the rest of the generated task definition, its container definitions as
// a template naming those props (see Generate). The handler knows nothing
// of Keycloak or the stack file.
//
// A revision never changes, so an update registers a new revision and
// deregisters the old one. The observation's attrs["matching_arn"] is the
// live revision's ARN only when it is what the stack generates now (the
// observer checks): the service refers to it, so a task definition due for
// a new revision leaves the service's task_definition known after apply,
// and the service is updated to the new revision in the same apply.
// Tags are not part of the revision: SetTags changes them on the live
// revision, and no new one is registered for them.
type TaskDefinitionHandler struct{ clients.Base[ECSAPI] }

var (
	_ resource.Handler = (*TaskDefinitionHandler)(nil)
	_ resource.Finder  = (*TaskDefinitionHandler)(nil)
	_ resource.Resumer = (*TaskDefinitionHandler)(nil)
	_ resource.Tagger  = (*TaskDefinitionHandler)(nil)
)

// Props of a task definition's Desired: the facts its generation needs
// from other resources, and the family.
const (
	propTaskDefFamily           = "family"
	propTaskDefExecutionRoleARN = "execution_role_arn"
	propTaskDefTaskRoleARN      = "task_role_arn"
	propTaskDefWriterEndpoint   = "writer_endpoint"
	propTaskDefDBSecretARN      = "db_secret_arn"
	propTaskDefLogGroup         = "log_group"
)

// attrMatchingARN is the attr of a task definition's observation that the
// service refers to: the live revision's ARN when it is what the stack
// generates now, absent otherwise.
const attrMatchingARN = "matching_arn"

// taskDefinitionDescriptor declares ecs:task-definition. Its facts refer
// to the roles and the database cluster. It is deleted after the ECS
// services: they refer to it through matching_arn, which the observation
// of a revision no longer desired lacks, so the reference alone would not
// order the deletes.
var taskDefinitionDescriptor = resource.Descriptor{
	Kind:         resource.KindECSTaskDefinition,
	TaggingTypes: []string{"ecs:task-definition"},
	References: []resource.Reference{
		{Prop: propTaskDefExecutionRoleARN, Kind: resource.KindIAMRole, Attr: attrARN, InPlace: true},
		{Prop: propTaskDefTaskRoleARN, Kind: resource.KindIAMRole, Attr: attrARN, InPlace: true},
		{Prop: propTaskDefWriterEndpoint, Kind: resource.KindDBCluster, Attr: "endpoint", InPlace: true},
		{Prop: propTaskDefDBSecretARN, Kind: resource.KindDBCluster, Attr: "master_user_secret_arn", InPlace: true},
		// The Redis applications whose from names the target: the
		// replication group's endpoint and one secret per application.
		{Prop: "redis_primary_endpoint", Kind: resource.KindReplicationGroup, Attr: "primary_endpoint", InPlace: true},
		{Prop: "redis_secret_arn_*", Kind: resource.KindSecret, Attr: "arn", InPlace: true},
	},
	// An update registers a new revision: its ARN is new.
	UpdatedAttrs: []string{attrARN, attrMatchingARN, "revision"},
	Deletion:     resource.Deletion{After: []resource.Kind{resource.KindECSService}},
	DataLoss:     resource.NoDataLoss,
	// Every RegisterTaskDefinition makes a new revision: a blind retry
	// makes a second one. FindByAddress and Resume adopt the first.
	Create: resource.Creation{Operations: []string{"RegisterTaskDefinition"}, Idempotent: false},
}

// Diff compares the generated task definition with the live revision,
// field by field; while a fact is known only after apply, that fact is the
// difference. Every difference is an update: a new revision.
func (h *TaskDefinitionHandler) Diff(d resource.Desired, o resource.Observation) []resource.FieldDiff {
	var diffs []resource.FieldDiff
	if hasRefs(d.Props) {
		diffs = resource.DiffProps(refsOnly(d.Props), o.Props, nil, d.Sensitive)
	} else if in, err := Generate(d); err != nil {
		diffs = []resource.FieldDiff{{Path: "container", After: err.Error()}}
	} else {
		diffs = resource.DiffProps(generatedView(in), o.Props, nil, d.Sensitive)
	}
	if older := olderRevisions(o); len(older) > 0 {
		diffs = append(diffs, resource.FieldDiff{Path: attrOlderRevisions, Before: strings.Join(older, ", "), After: "(deregistered)"})
	}
	return diffs
}

// attrOlderRevisions lists, comma-separated, the family's active revisions
// older than the observed one.
const attrOlderRevisions = "older_revisions"

func olderRevisions(o resource.Observation) []string {
	if o.Attrs[attrOlderRevisions] == "" {
		return nil
	}
	return strings.Split(o.Attrs[attrOlderRevisions], ",")
}

func generatedView(in *ecs.RegisterTaskDefinitionInput) resource.Props {
	return taskDefinitionView(in.Family, in.Cpu, in.Memory, in.ExecutionRoleArn, in.TaskRoleArn, in.ContainerDefinitions)
}

// Matches reports whether the live revision o is what d generates now
// (d resolved: no Ref left).
func Matches(d resource.Desired, o resource.Observation) bool {
	if !o.Exists || hasRefs(d.Props) {
		return false
	}
	in, err := Generate(d)
	return err == nil && len(resource.DiffProps(generatedView(in), o.Props, nil, nil)) == 0
}

// Generate returns the task definition of d (resolved: no Ref left): the
// family and roles from its props, the settings from its options, and the
// container definitions of OptionContainerDefinitions with each
// placeholder filled in with its prop. It returns an error when a prop the
// task definition needs is missing or empty.
func Generate(d resource.Desired) (*ecs.RegisterTaskDefinitionInput, error) {
	p := resource.Read(d.Props)
	family, execRole, taskRole := p.String(propTaskDefFamily), p.String(propTaskDefExecutionRoleARN), p.String(propTaskDefTaskRoleARN)
	if err := p.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", d.Address, err)
	}
	containers, err := containerDefinitions(d)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", d.Address, err)
	}
	in := &ecs.RegisterTaskDefinitionInput{
		Family:               aws.String(family),
		NetworkMode:          types.NetworkMode(d.Options[OptionNetworkMode]),
		Cpu:                  optional(d.Options[OptionCPU]),
		Memory:               optional(d.Options[OptionMemory]),
		ExecutionRoleArn:     aws.String(execRole),
		TaskRoleArn:          aws.String(taskRole),
		ContainerDefinitions: containers,
	}
	if c := d.Options[OptionRequiresCompatibilities]; c != "" {
		for _, v := range strings.Split(c, ",") {
			in.RequiresCompatibilities = append(in.RequiresCompatibilities, types.Compatibility(v))
		}
	}
	if osFamily := d.Options[OptionOperatingSystemFamily]; osFamily != "" {
		in.RuntimePlatform = &types.RuntimePlatform{OperatingSystemFamily: types.OSFamily(osFamily)}
	}
	return in, nil
}

// containerDefinitions reads the template of d's options with d's props
// filled in.
func containerDefinitions(d resource.Desired) ([]types.ContainerDefinition, error) {
	tmpl := d.Options[OptionContainerDefinitions]
	if tmpl == "" {
		return nil, fmt.Errorf("no %s option: plan again with this version of kcstack", OptionContainerDefinitions)
	}
	text, err := resource.FillJSON(tmpl, d.Props)
	if err != nil {
		return nil, fmt.Errorf("container definitions: %w", err)
	}
	var cs []types.ContainerDefinition
	if err := json.Unmarshal([]byte(text), &cs); err != nil {
		return nil, fmt.Errorf("read the container definitions: %w", err)
	}
	return cs, nil
}

// optional is nil for an empty string.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return aws.String(s)
}

// Create registers a revision, tagged at creation.
func (h *TaskDefinitionHandler) Create(ctx context.Context, d resource.Desired) (resource.Observation, error) {
	in, err := Generate(d)
	if err != nil {
		return resource.Observation{}, err
	}
	in.Tags = ecsTags(d.Tags)
	out, err := h.API.RegisterTaskDefinition(ctx, in)
	if err != nil {
		return resource.Observation{}, fmt.Errorf("register task definition %s: %w", aws.ToString(in.Family), err)
	}
	ob := taskDefinitionObservation(*out.TaskDefinition, d.Address, h.Stack, d.Tags)
	ob.Attrs[attrMatchingARN] = ob.ID
	if err := h.supersede(ctx, ob.ID); err != nil {
		return resource.Observation{}, err
	}
	return ob, nil
}

// supersede deregisters the active revisions of arn's family older than
// arn. RegisterTaskDefinition is not idempotent: when its answer is lost on
// the way the SDK retries it and AWS registers the same content twice, so
// the revisions to drop are read from AWS, not taken from the plan.
func (h *TaskDefinitionHandler) supersede(ctx context.Context, arn string) error {
	family, revision := familyRevision(arn)
	var older []string
	p := ecs.NewListTaskDefinitionsPaginator(h.API, &ecs.ListTaskDefinitionsInput{FamilyPrefix: aws.String(family), Status: types.TaskDefinitionStatusActive})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("list task definitions %s: %w", family, err)
		}
		for _, a := range page.TaskDefinitionArns {
			if f, r := familyRevision(a); f == family && r < revision {
				older = append(older, a)
			}
		}
	}
	return h.deregister(ctx, older)
}

// Update registers the new revision unless the live one is already what
// the stack generates, then deregisters the family's other active
// revisions (tasks running them keep running until the service replaces
// them).
func (h *TaskDefinitionHandler) Update(ctx context.Context, d resource.Desired, o resource.Observation, _ []resource.FieldDiff) (resource.Observation, error) {
	stale := olderRevisions(o)
	ob := o
	ob.Attrs = maps.Clone(o.Attrs)
	delete(ob.Attrs, attrOlderRevisions)
	if Matches(d, o) {
		ob.Attrs[attrMatchingARN] = o.ID
	} else {
		var err error
		if ob, err = h.Create(ctx, d); err != nil {
			return resource.Observation{}, err
		}
		stale = append(stale, o.ID)
	}
	if err := h.deregister(ctx, stale); err != nil {
		return resource.Observation{}, err
	}
	return ob, nil
}

// SetTags tags the observed revision, the family's latest active one (the
// observation's ID is its ARN); older ones are deregistered by an update.
func (h *TaskDefinitionHandler) SetTags(ctx context.Context, o resource.Observation, set map[string]string, remove []string) error {
	return setECSTags(ctx, h.API, o.ID, set, remove)
}

// Delete deregisters the revision and the family's older active ones;
// tasks running them keep running until the service replaces them.
func (h *TaskDefinitionHandler) Delete(ctx context.Context, o resource.Observation, _ map[string]string) error {
	return h.deregister(ctx, append([]string{o.ID}, olderRevisions(o)...))
}

func (h *TaskDefinitionHandler) deregister(ctx context.Context, arns []string) error {
	for _, arn := range arns {
		_, err := h.API.DeregisterTaskDefinition(ctx, &ecs.DeregisterTaskDefinitionInput{TaskDefinition: aws.String(arn)})
		if err != nil && !awserr.Is(err, "ClientException") {
			return fmt.Errorf("deregister task definition %s: %w", arn, err)
		}
	}
	return nil
}

// Resume finishes a register whose answer was lost and that FindByAddress
// found: the found revision is adopted as Update would leave it (the
// service refers to it when it is what the stack generates), older ones
// deregistered.
func (h *TaskDefinitionHandler) Resume(ctx context.Context, d resource.Desired, o resource.Observation) (resource.Observation, error) {
	return h.Update(ctx, d, o, nil)
}

// FindByAddress finds the latest active revision tagged with address, so
// that a register whose answer was lost is adopted, not repeated.
func (h *TaskDefinitionHandler) FindByAddress(ctx context.Context, stack, address string) (resource.Observation, error) {
	revs, err := latestRevisions(ctx, h.API, stack)
	if err != nil {
		return resource.Observation{Address: address, Kind: resource.KindECSTaskDefinition}, err
	}
	for _, r := range revs {
		if r.tags[resource.TagStack] == stack && r.tags[resource.TagAddress] == address {
			return r.observation(address, stack), nil
		}
	}
	return resource.Observation{Address: address, Kind: resource.KindECSTaskDefinition}, nil
}

func hasRefs(p resource.Props) bool {
	for _, v := range p {
		if resource.HasRef(v) {
			return true
		}
	}
	return false
}

func refsOnly(p resource.Props) resource.Props {
	out := resource.Props{}
	for k, v := range p {
		if resource.HasRef(v) {
			out[k] = v
		}
	}
	return out
}

func taskDefinitionObservation(td types.TaskDefinition, address, stack string, tags map[string]string) resource.Observation {
	arn := aws.ToString(td.TaskDefinitionArn)
	props := taskDefinitionView(td.Family, td.Cpu, td.Memory, td.ExecutionRoleArn, td.TaskRoleArn, td.ContainerDefinitions)
	return ownership.Observed(resource.KindECSTaskDefinition, address, arn, stack, tags, props, map[string]string{
		"arn": arn, "family": aws.ToString(td.Family), "revision": strconv.Itoa(int(td.Revision)),
	})
}

// viewedContainer names the container whose settings a task definition's
// view shows (the generated task definition has only this one; a
// container added to a live revision by hand is not compared).
const viewedContainer = "keycloak"

// taskDefinitionView is a task definition as props: the task's settings
// and the Keycloak container's, in forms a plan shows readably.
func taskDefinitionView(family, cpu, memory, exec, task *string, cs []types.ContainerDefinition) resource.Props {
	p := resource.Props{
		"family": aws.ToString(family), "cpu": aws.ToString(cpu), "memory": aws.ToString(memory),
		"execution_role_arn": aws.ToString(exec), "task_role_arn": aws.ToString(task),
	}
	for _, c := range cs {
		if aws.ToString(c.Name) != viewedContainer {
			continue
		}
		env, secrets := map[string]string{}, map[string]string{}
		for _, kv := range c.Environment {
			env[aws.ToString(kv.Name)] = aws.ToString(kv.Value)
		}
		for _, s := range c.Secrets {
			secrets[aws.ToString(s.Name)] = aws.ToString(s.ValueFrom)
		}
		var ports []string
		for _, pm := range c.PortMappings {
			ports = append(ports, fmt.Sprintf("%s:%d/%s", aws.ToString(pm.Name), aws.ToInt32(pm.ContainerPort), pm.Protocol))
		}
		p["image"] = aws.ToString(c.Image)
		p["environment"] = env
		p["secrets"] = secrets
		p["entry_point"] = jsonString(c.EntryPoint)
		p["command"] = jsonString(c.Command)
		p["port_mappings"] = resource.List(ports)
		if c.HealthCheck != nil {
			p["health_check"] = jsonString(c.HealthCheck.Command)
		}
		if c.LogConfiguration != nil {
			p["log_options"] = c.LogConfiguration.Options
		}
	}
	return p
}

func jsonString(v []string) string {
	if len(v) == 0 {
		return ""
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func ecsTags(m map[string]string) []types.Tag {
	var out []types.Tag
	for _, k := range resource.SortedKeys(m) {
		out = append(out, types.Tag{Key: aws.String(k), Value: aws.String(m[k])})
	}
	return out
}

func ecsTagMap(tags []types.Tag) map[string]string {
	return tagged.Map(tags, func(t types.Tag) (*string, *string) { return t.Key, t.Value })
}
