package ecs

import (
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
	"github.com/kcstack/kcstack/pkg/sandbox/internal/page"
)

var validName = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,255}$`)

// clusterName returns the name a cluster reference (name, ARN or empty
// for "default") stands for.
func clusterName(ref *string) string {
	s := aws.ToString(ref)
	if s == "" {
		return "default"
	}
	if _, name, ok := strings.Cut(s, ":cluster/"); ok && strings.HasPrefix(s, "arn:") {
		return name
	}
	return s
}

// activeCluster returns the referenced cluster when it is ACTIVE.
func activeCluster(c *api.Call, ref *string) (*Cluster, error) {
	cl, ok := region(c).Clusters[clusterName(ref)]
	if !ok || aws.ToString(cl.C.Status) != statusActive {
		return nil, api.Errorf(codeClusterNotFound, "Cluster not found.")
	}
	return cl, nil
}

func createCluster(c *api.Call, in *ecs.CreateClusterInput) (*ecs.CreateClusterOutput, error) {
	name := aws.ToString(in.ClusterName)
	if name == "" {
		name = "default"
	}
	if !validName.MatchString(name) {
		return nil, api.Errorf(codeInvalidParam, "Cluster name can only contain letters, numbers, underscores and hyphens and be up to 255 characters long.")
	}
	if err := checkTags(in.Tags); err != nil {
		return nil, err
	}
	r := region(c)
	if cl, ok := r.Clusters[name]; ok && aws.ToString(cl.C.Status) == statusActive {
		return &ecs.CreateClusterOutput{Cluster: r.clusterView(cl, true)}, nil // CreateCluster is idempotent
	}
	settings := in.Settings
	if settings == nil {
		settings = []types.ClusterSetting{{Name: types.ClusterSettingNameContainerInsights, Value: aws.String("disabled")}}
	}
	cl := &Cluster{C: types.Cluster{
		ClusterArn: aws.String(c.ARN("ecs", "cluster/"+name)), ClusterName: aws.String(name), Status: aws.String(statusActive),
		Settings: settings, CapacityProviders: in.CapacityProviders, DefaultCapacityProviderStrategy: in.DefaultCapacityProviderStrategy,
		Configuration: in.Configuration, Tags: in.Tags, Statistics: []types.KeyValuePair{}, Attachments: nil,
	}}
	r.Clusters[name] = cl
	return &ecs.CreateClusterOutput{Cluster: r.clusterView(cl, true)}, nil
}

// clusterView is a cluster with its service and task counts; tags only
// when asked for.
func (r *Region) clusterView(cl *Cluster, withTags bool) *types.Cluster {
	v := cl.C
	if v.CapacityProviders == nil {
		v.CapacityProviders = []string{}
	}
	if v.DefaultCapacityProviderStrategy == nil {
		v.DefaultCapacityProviderStrategy = []types.CapacityProviderStrategyItem{}
	}
	v.Tags = nil
	if withTags {
		v.Tags = slices.Clone(cl.C.Tags)
		if v.Tags == nil {
			v.Tags = []types.Tag{}
		}
	}
	for _, sv := range r.Services[aws.ToString(cl.C.ClusterName)] {
		if aws.ToString(sv.S.Status) == statusActive {
			v.ActiveServicesCount++
		}
		v.RunningTasksCount += sv.S.RunningCount
		v.PendingTasksCount += sv.S.PendingCount
	}
	return &v
}

func describeClusters(c *api.Call, in *ecs.DescribeClustersInput) (*ecs.DescribeClustersOutput, error) {
	refs := in.Clusters
	if len(refs) == 0 {
		refs = []string{"default"}
	}
	if len(refs) > 100 {
		return nil, api.Errorf(codeInvalidParam, "Clusters cannot have more than 100 elements")
	}
	withTags := slices.Contains(in.Include, types.ClusterFieldTags)
	r := region(c)
	out := &ecs.DescribeClustersOutput{Clusters: []types.Cluster{}, Failures: []types.Failure{}}
	for _, ref := range refs {
		name := clusterName(&ref)
		cl, ok := r.Clusters[name]
		if !ok {
			out.Failures = append(out.Failures, types.Failure{Arn: aws.String(c.ARN("ecs", "cluster/"+name)), Reason: aws.String("MISSING")})
			continue
		}
		out.Clusters = append(out.Clusters, *r.clusterView(cl, withTags))
	}
	return out, nil
}

func deleteCluster(c *api.Call, in *ecs.DeleteClusterInput) (*ecs.DeleteClusterOutput, error) {
	cl, err := activeCluster(c, in.Cluster)
	if err != nil {
		return nil, err
	}
	r := region(c)
	for _, sv := range r.Services[aws.ToString(cl.C.ClusterName)] {
		if aws.ToString(sv.S.Status) != statusInactive {
			return nil, api.Errorf(codeHasServices, "The Cluster cannot be deleted while Services are active.")
		}
	}
	cl.C.Status = aws.String(statusInactive)
	delete(r.Services, aws.ToString(cl.C.ClusterName))
	return &ecs.DeleteClusterOutput{Cluster: r.clusterView(cl, false)}, nil
}

func listClusters(c *api.Call, in *ecs.ListClustersInput) (*ecs.ListClustersOutput, error) {
	var arns []string
	for _, cl := range region(c).Clusters {
		if aws.ToString(cl.C.Status) == statusActive {
			arns = append(arns, aws.ToString(cl.C.ClusterArn))
		}
	}
	sort.Strings(arns)
	list, next, err := window(arns, in.MaxResults, in.NextToken, 100)
	if err != nil {
		return nil, err
	}
	return &ecs.ListClustersOutput{ClusterArns: list, NextToken: next}, nil
}

// window pages an ARN list: MaxResults 1 to 100 (def by default) and an
// opaque NextToken. The page is never nil.
func window(arns []string, maxResults *int32, token *string, def int) ([]string, *string, error) {
	list, next, err := page.Of(arns, token, maxResults, page.Rules{Default: def, Max: 100,
		BadSize:  func(int32) error { return api.Errorf(codeInvalidParam, "maxResults must be between 1 and 100.") },
		BadToken: func() error { return api.Errorf(codeInvalidParam, "Invalid NextToken.") },
	})
	if err != nil {
		return nil, nil, err
	}
	if list == nil {
		list = []string{}
	}
	return list, next, nil
}
