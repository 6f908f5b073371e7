package compute

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	logtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"golang.org/x/sync/errgroup"

	"github.com/kcstack/kcstack/pkg/aws/clients"
	"github.com/kcstack/kcstack/pkg/aws/ownership"
	"github.com/kcstack/kcstack/pkg/aws/tagged"
	"github.com/kcstack/kcstack/pkg/resource"
)

// Observer reads log groups, roles, clusters and task definitions (round
// 2, after the network): log groups and roles by name or path prefix, their tags from the
// tagging API (regional for logs, us-east-1 for IAM) and confirmed by the
// service's own list; clusters with one list and one describe with tags;
// the latest active revision of each of the stack's task definition
// families. Every observation carries the resource's complete tags (the
// tagging API lists all of a resource's tags; a resource it does not list
// is asked for its own), which the plan compares with the stack's.
//
// It is a part of the shared tagging observer (tagged.Observer), which
// asks the regional tagging API; it asks the one in us-east-1
// (GlobalTagging) for roles itself.
type Observer struct {
	Logs          LogsAPI
	IAM           IAMAPI
	ECS           ECSAPI
	GlobalTagging tagged.TaggingAPI
}

// ServiceObserver reads the services of the clusters round 2 found (round
// 3): one list and one describe with tags per cluster.
type ServiceObserver struct{ ECS ECSAPI }

var (
	_ clients.TaggedObserver = (*Observer)(nil)
	_ resource.Observer      = (*ServiceObserver)(nil)
)

// taggedKinds are the kinds read through the shared tagging observer:
// Observer's, and the services, which ServiceObserver reads (the tagging
// API listing one tells Observer ECS is in use).
var taggedKinds = []resource.Kind{
	resource.KindLogGroup, resource.KindIAMRole, resource.KindECSCluster, resource.KindECSTaskDefinition, resource.KindECSService,
}

// Round is 3: after the clusters.
func (o *ServiceObserver) Round() int { return 3 }

// ObserveTagged reads them given the stack's tagged resources of the
// region; roles' tags come from the tagging API in us-east-1.
func (o *Observer) ObserveTagged(ctx context.Context, q resource.Query, listed map[string]map[string]string) ([]resource.Observation, error) {
	roles, err := tagged.Tagged(ctx, o.GlobalTagging, q.Stack, roleDescriptor.TaggingTypes...)
	if err != nil {
		return nil, err
	}
	c := &ownership.Collector{}
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error { return o.logGroups(ctx, q, listed, c) })
	g.Go(func() error { return o.roles(ctx, q, roles, c) })
	if ownership.Wanted(q, listed, ":ecs:", resource.KindECSCluster, resource.KindECSTaskDefinition, resource.KindECSService) {
		g.Go(func() error { return o.clusters(ctx, q, c) })
		g.Go(func() error { return o.taskDefinitions(ctx, q, c) })
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	obs := c.Observations()
	return ownership.Complete(q, obs, resource.KindLogGroup, resource.KindIAMRole, resource.KindECSCluster, resource.KindECSTaskDefinition), nil
}

// LogGroupPrefix is the prefix of the log groups of stack.
func LogGroupPrefix(stack string) string { return "/kcstack/" + stack + "/" }

// RolePath is the IAM path of the roles of stack.
func RolePath(stack string) string { return "/kcstack/" + stack + "/" }

func (o *Observer) logGroups(ctx context.Context, q resource.Query, listed map[string]map[string]string, c *ownership.Collector) error {
	byName := map[string]map[string]string{}
	for arn, tags := range listed {
		if name := logGroupName(arn); name != "" {
			byName[name] = tags
		}
	}
	groups, err := describeLogGroups(ctx, o.Logs, LogGroupPrefix(q.Stack))
	if err != nil {
		return err
	}
	for _, g := range groups {
		name := aws.ToString(g.LogGroupName)
		tags, ok := byName[name]
		if !ok {
			// Not listed by the tagging API (untagged, or a tagging API
			// that misses log groups, as moto's does): ask Logs.
			if tags, err = o.logGroupTags(ctx, g); err != nil {
				return err
			}
		}
		if addr, ok := ownership.Address(q, resource.KindLogGroup, propLogGroupName, name, tags); ok {
			c.Add(logGroupObservation(g, addr, q.Stack, tags))
		}
	}
	return nil
}

func (o *Observer) logGroupTags(ctx context.Context, g logtypes.LogGroup) (map[string]string, error) {
	arn := strings.TrimSuffix(aws.ToString(g.Arn), ":*")
	out, err := o.Logs.ListTagsForResource(ctx, &cloudwatchlogs.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
	if err != nil {
		return nil, fmt.Errorf("list tags of log group %s: %w", aws.ToString(g.LogGroupName), err)
	}
	return out.Tags, nil
}

func (o *Observer) roles(ctx context.Context, q resource.Query, listed map[string]map[string]string, c *ownership.Collector) error {
	byName := map[string]map[string]string{}
	for arn, tags := range listed {
		if strings.Contains(arn, ":role/") {
			byName[arn[strings.LastIndex(arn, "/")+1:]] = tags
		}
	}
	roles, err := listRoles(ctx, o.IAM, RolePath(q.Stack))
	if err != nil {
		return err
	}
	g, ctx := errgroup.WithContext(ctx)
	for _, r := range roles {
		name := aws.ToString(r.RoleName)
		tags, listed := byName[name]
		if !listed {
			// Not listed by the tagging API (untagged, or a tagging API
			// that misses IAM, as moto's does): ask IAM.
			out, err := o.IAM.ListRoleTags(ctx, &iam.ListRoleTagsInput{RoleName: r.RoleName})
			if err != nil {
				return fmt.Errorf("list tags of role %s: %w", name, err)
			}
			tags = iamTagMap(out.Tags)
		}
		addr, ok := ownership.Address(q, resource.KindIAMRole, propRoleName, name, tags)
		if !ok {
			continue
		}
		g.Go(func() error {
			ob, err := readRole(ctx, o.IAM, r, addr, q.Stack, tags)
			if err == nil {
				c.Add(ob)
			}
			return err
		})
	}
	return g.Wait()
}

func (o *Observer) clusters(ctx context.Context, q resource.Query, c *ownership.Collector) error {
	cs, err := describeAllClusters(ctx, o.ECS)
	if err != nil {
		return err
	}
	for _, cl := range cs {
		if addr, ok := ownership.Address(q, resource.KindECSCluster, propClusterName, aws.ToString(cl.ClusterName), ecsTagMap(cl.Tags)); ok {
			c.Add(clusterObservation(cl, addr, q.Stack))
		}
	}
	return nil
}

// taskDefinitions observes the latest active revision of each of the
// stack's task definition families.
func (o *Observer) taskDefinitions(ctx context.Context, q resource.Query, c *ownership.Collector) error {
	revs, err := latestRevisions(ctx, o.ECS, q.Stack)
	if err != nil {
		return err
	}
	for _, r := range revs {
		if addr, ok := ownership.Address(q, resource.KindECSTaskDefinition, propTaskDefFamily, aws.ToString(r.def.Family), r.tags); ok {
			c.Add(r.observation(addr, q.Stack))
		}
	}
	return nil
}

// revision is the latest active revision of a family, with its tags and
// the family's older revisions still active (a register retried after a
// dropped connection, an update cut short): they are the same resource,
// and updates and deletes deregister them too.
type revision struct {
	def   types.TaskDefinition
	tags  map[string]string
	older []string
}

func (r revision) observation(address, stack string) resource.Observation {
	ob := taskDefinitionObservation(r.def, address, stack, r.tags)
	if len(r.older) > 0 {
		ob.Attrs[attrOlderRevisions] = strings.Join(r.older, ",")
	}
	return ob
}

// latestRevisions lists the active revisions and describes, with its tags,
// the latest of each family starting with the stack's name.
func latestRevisions(ctx context.Context, api ECSAPI, stack string) ([]revision, error) {
	byFamily := map[string][]string{}
	// ListTaskDefinitions' familyPrefix matches a whole family name, and
	// ListTaskDefinitionFamilies does not give revisions: list all active
	// revisions and keep the stack's families.
	p := ecs.NewListTaskDefinitionsPaginator(api, &ecs.ListTaskDefinitionsInput{Status: types.TaskDefinitionStatusActive})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("list task definitions %s-*: %w", stack, err)
		}
		for _, arn := range page.TaskDefinitionArns {
			if fam, _ := familyRevision(arn); strings.HasPrefix(fam, stack+"-") {
				byFamily[fam] = append(byFamily[fam], arn)
			}
		}
	}
	families := make([]string, 0, len(byFamily))
	for fam, arns := range byFamily {
		sort.Slice(arns, func(i, j int) bool { return revisionOf(arns[i]) > revisionOf(arns[j]) })
		families = append(families, fam)
	}
	sort.Strings(families)
	out := make([]revision, len(families))
	g, ctx := errgroup.WithContext(ctx)
	for i, fam := range families {
		arns := byFamily[fam]
		g.Go(func() error {
			d, err := api.DescribeTaskDefinition(ctx, &ecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String(arns[0]), Include: []types.TaskDefinitionField{types.TaskDefinitionFieldTags}})
			if err != nil {
				return fmt.Errorf("describe task definition %s: %w", arns[0], err)
			}
			out[i] = revision{def: *d.TaskDefinition, tags: ecsTagMap(d.Tags), older: arns[1:]}
			return nil
		})
	}
	return out, g.Wait()
}

// familyRevision splits arn:...:task-definition/<family>:<revision>.
func familyRevision(arn string) (string, int) {
	_, fr, _ := strings.Cut(arn, ":task-definition/")
	fam, rev, _ := strings.Cut(fr, ":")
	n := 0
	fmt.Sscanf(rev, "%d", &n)
	return fam, n
}

func revisionOf(arn string) int {
	_, n := familyRevision(arn)
	return n
}

// Observe reads the services of every cluster observed before.
func (o *ServiceObserver) Observe(ctx context.Context, q resource.Query) ([]resource.Observation, error) {
	c := &ownership.Collector{}
	g, ctx := errgroup.WithContext(ctx)
	for _, ob := range q.Known {
		if ob.Kind != resource.KindECSCluster || !ob.Exists {
			continue
		}
		g.Go(func() error { return o.services(ctx, q, ob.Attrs[attrARN], c) })
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return ownership.Complete(q, c.Observations(), resource.KindECSService), nil
}

func (o *ServiceObserver) services(ctx context.Context, q resource.Query, cluster string, c *ownership.Collector) error {
	var arns []string
	p := ecs.NewListServicesPaginator(o.ECS, &ecs.ListServicesInput{Cluster: aws.String(cluster)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("list services of %s: %w", cluster, err)
		}
		arns = append(arns, page.ServiceArns...)
	}
	for i := 0; i < len(arns); i += 10 {
		out, err := o.ECS.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(cluster), Services: arns[i:min(i+10, len(arns))], Include: []types.ServiceField{types.ServiceFieldTags}})
		if err != nil {
			return fmt.Errorf("describe services of %s: %w", cluster, err)
		}
		for _, s := range out.Services {
			if aws.ToString(s.Status) == "INACTIVE" {
				continue
			}
			if addr, ok := ownership.Address(q, resource.KindECSService, propServiceName, aws.ToString(s.ServiceName), ecsTagMap(s.Tags)); ok {
				c.Add(serviceObservation(s, addr, q.Stack))
			}
		}
	}
	return nil
}

// Finish marks the task definitions that match (markMatching) once every
// part of the round has read: the roles here, the Redis replication group
// and secrets in the cache and secrets parts.
func (o *Observer) Finish(q resource.Query, all []resource.Observation) { markMatching(q, all) }

var _ tagged.Finisher = (*Observer)(nil)

// markMatching sets attrs["matching_arn"] of each desired task
// definition's observation whose live revision is what the stack generates
// now, with the facts resolved from earlier rounds (the database) and this
// one (the roles, the Redis endpoint and secrets). Without it the
// service's task_definition is known only after apply: a new revision is
// due.
func markMatching(q resource.Query, obs []resource.Observation) {
	byAddress := make(map[string]resource.Observation, len(q.Known)+len(obs))
	for a, ob := range q.Known {
		byAddress[a] = ob
	}
	for _, ob := range obs {
		byAddress[ob.Address] = ob
	}
	attr := func(r resource.Ref) (string, bool) {
		ob, ok := byAddress[r.Address]
		v := ob.Attrs[r.Attr]
		return v, ok && ob.Exists && v != ""
	}
	for _, d := range ownership.DesiredOfKind(q, resource.KindECSTaskDefinition) {
		for _, ob := range obs {
			if ob.Address != d.Address || ob.Kind != resource.KindECSTaskDefinition {
				continue
			}
			resolved := d
			resolved.Props = resource.Resolve(d.Props, attr)
			if Matches(resolved, ob) {
				ob.Attrs[attrMatchingARN] = ob.ID
			}
		}
	}
}
