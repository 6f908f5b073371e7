package compute_test

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	iamtypes "github.com/aws/aws-sdk-go-v2/service/iam/types"
	tagging "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi"
	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/aws/awstest"
	"github.com/kcstack/kcstack/pkg/aws/tagged"
	"github.com/kcstack/kcstack/pkg/resource"
)

// noTagging is a tagging API that lists nothing, as moto's does for log
// groups and roles.
type noTagging struct{}

func (noTagging) GetResources(context.Context, *tagging.GetResourcesInput, ...func(*tagging.Options)) (*tagging.GetResourcesOutput, error) {
	return &tagging.GetResourcesOutput{}, nil
}

// taggable are this package's kinds: all of them take part in tag drift.
var taggable = []resource.Kind{
	resource.KindLogGroup, resource.KindIAMRole, resource.KindECSCluster, resource.KindECSTaskDefinition, resource.KindECSService,
}

// retagDiffs are the diffs of the tags retag changes.
var retagDiffs = []resource.FieldDiff{
	{Path: "tags.cost-center", Before: "1", After: "2"},
	{Path: "tags.team", After: "idp"},
	{Path: "tags.env", Before: "test"},
}

// retag changes the tags of the package's resources in ds (ds applied):
// team added, cost-center changed, env removed. The plan updates each of
// them with exactly those tag diffs; once applied, nothing is left to
// change and the live tags are the desired ones. It returns the retagged
// resources.
func (h *harness) retag(ds []resource.Desired) []resource.Desired {
	h.t.Helper()
	out := slices.Clone(ds)
	want := map[string][]resource.FieldDiff{}
	for i, d := range out {
		if !slices.Contains(taggable, d.Kind) {
			continue
		}
		tags := maps.Clone(d.Tags)
		tags["team"], tags["cost-center"] = "idp", "2"
		delete(tags, "env")
		out[i].Tags = tags
		want[d.Address] = retagDiffs
	}
	p := h.Plan(out, false)
	awstest.CheckUpdates(h.t, p, want)
	h.Apply(p)
	h.noChanges(out)
	h.tagsAre(out)
	return out
}

// removesHandAddedTag tags the ECS resource at address by hand: the plan
// removes that tag, and only it.
func (h *harness) removesHandAddedTag(ds []resource.Desired, address string) {
	h.t.Helper()
	i := slices.IndexFunc(ds, func(d resource.Desired) bool { return d.Address == address })
	arn, err := h.ecsARN(h.t.Context(), ds[i])
	if err == nil {
		_, err = ecs.NewFromConfig(h.cfg).TagResource(h.t.Context(), &ecs.TagResourceInput{ResourceArn: aws.String(arn),
			Tags: []ecstypes.Tag{{Key: aws.String("added-by-hand"), Value: aws.String("yes")}}})
	}
	if err != nil {
		h.t.Fatalf("tag %s by hand: %v", address, err)
	}
	p := h.Plan(ds, false)
	awstest.CheckUpdates(h.t, p, map[string][]resource.FieldDiff{address: {{Path: "tags.added-by-hand", Before: "yes"}}})
	h.Apply(p)
	h.noChanges(ds)
	h.tagsAre(ds)
}

// tagsAre checks the live tags of the package's resources in ds, read
// through each service's own API, and those the handlers' FindByAddress
// observe: both are ds's tags (AWS's aws:* tags aside).
func (h *harness) tagsAre(ds []resource.Desired) {
	h.t.Helper()
	ctx := h.t.Context()
	finders := map[resource.Kind]resource.Finder{}
	for _, hd := range h.handlers {
		if f, ok := hd.(resource.Finder); ok {
			finders[hd.Describe().Kind] = f
		}
	}
	for _, d := range ds {
		if !slices.Contains(taggable, d.Kind) {
			continue
		}
		live, err := h.liveTags(ctx, d)
		if err != nil {
			h.t.Fatalf("%s: %v", d.Address, err)
		}
		if diff := cmp.Diff(d.Tags, withoutAWS(live)); diff != "" {
			h.t.Errorf("%s: live tags -want +got:\n%s", d.Address, diff)
		}
		f, ok := finders[d.Kind]
		if !ok {
			continue
		}
		ob, err := f.FindByAddress(ctx, stack, d.Address)
		if err != nil {
			h.t.Fatalf("%s: FindByAddress: %v", d.Address, err)
		}
		if diff := cmp.Diff(d.Tags, withoutAWS(ob.Tags)); diff != "" {
			h.t.Errorf("%s: FindByAddress tags -want +got:\n%s", d.Address, diff)
		}
	}
}

func withoutAWS(tags map[string]string) map[string]string {
	out := maps.Clone(tags)
	maps.DeleteFunc(out, func(k, _ string) bool { return strings.HasPrefix(k, "aws:") })
	return out
}

// liveTags reads the tags of d's resource through its service's API.
func (h *harness) liveTags(ctx context.Context, d resource.Desired) (map[string]string, error) {
	name, _ := d.Props["name"].(string)
	switch d.Kind {
	case resource.KindLogGroup:
		return logGroupTags(ctx, cloudwatchlogs.NewFromConfig(h.cfg), name)
	case resource.KindIAMRole:
		out, err := iam.NewFromConfig(h.cfg).ListRoleTags(ctx, &iam.ListRoleTagsInput{RoleName: aws.String(name)})
		if err != nil {
			return nil, err
		}
		return tagged.Map(out.Tags, func(t iamtypes.Tag) (*string, *string) { return t.Key, t.Value }), nil
	}
	arn, err := h.ecsARN(ctx, d)
	if err != nil {
		return nil, err
	}
	out, err := ecs.NewFromConfig(h.cfg).ListTagsForResource(ctx, &ecs.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
	if err != nil {
		return nil, err
	}
	return tagged.Map(out.Tags, func(t ecstypes.Tag) (*string, *string) { return t.Key, t.Value }), nil
}

func logGroupTags(ctx context.Context, api *cloudwatchlogs.Client, name string) (map[string]string, error) {
	out, err := api.DescribeLogGroups(ctx, &cloudwatchlogs.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String(name)})
	if err != nil {
		return nil, err
	}
	for _, g := range out.LogGroups {
		if aws.ToString(g.LogGroupName) == name {
			tags, err := api.ListTagsForResource(ctx, &cloudwatchlogs.ListTagsForResourceInput{ResourceArn: g.LogGroupArn})
			if err != nil {
				return nil, err
			}
			return tags.Tags, nil
		}
	}
	return nil, fmt.Errorf("log group %s not found", name)
}

// ecsARN finds the ARN of d's ECS resource: the cluster or service by
// name (in the cluster of desiredECS), the family's latest active
// revision.
func (h *harness) ecsARN(ctx context.Context, d resource.Desired) (string, error) {
	api := ecs.NewFromConfig(h.cfg)
	name, _ := d.Props["name"].(string)
	switch d.Kind {
	case resource.KindECSCluster:
		out, err := api.DescribeClusters(ctx, &ecs.DescribeClustersInput{Clusters: []string{name}})
		if err != nil || len(out.Clusters) != 1 {
			return "", fmt.Errorf("describe cluster %s: %+v, %v", name, out, err)
		}
		return aws.ToString(out.Clusters[0].ClusterArn), nil
	case resource.KindECSService:
		out, err := api.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(stack + "-t"), Services: []string{name}})
		if err != nil || len(out.Services) != 1 {
			return "", fmt.Errorf("describe service %s: %+v, %v", name, out, err)
		}
		return aws.ToString(out.Services[0].ServiceArn), nil
	case resource.KindECSTaskDefinition:
		family, _ := d.Props["family"].(string)
		out, err := api.DescribeTaskDefinition(ctx, &ecs.DescribeTaskDefinitionInput{TaskDefinition: aws.String(family)})
		if err != nil {
			return "", fmt.Errorf("describe task definition %s: %w", family, err)
		}
		return aws.ToString(out.TaskDefinition.TaskDefinitionArn), nil
	}
	return "", fmt.Errorf("%s: not an ECS kind", d.Kind)
}
