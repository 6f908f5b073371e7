package ec2

import (
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

// tagsOf returns a pointer to the tag map of the resource with the given
// id in e's region, or the resource kind's not-found error.
func (e *env) tagsOf(id string) (*map[string]string, kind, error) {
	m := idPattern.FindStringSubmatch(id)
	if m == nil {
		return nil, kind{}, api.Errorf("InvalidID", "The ID '%s' is not valid", id)
	}
	k, ok := taggableKinds[m[1]]
	if !ok {
		return nil, kind{}, api.Errorf("InvalidID", "The ID '%s' is not valid", id)
	}
	tags := e.findTags(k, id)
	if tags == nil {
		return nil, k, k.missing(id)
	}
	return tags, k, nil
}

// findTags returns the tag map of the resource of kind k, nil if absent.
func (e *env) findTags(k kind, id string) *map[string]string {
	switch k.prefix {
	case "vpc":
		if v := e.r.VPCs[id]; v != nil {
			return &v.Tags
		}
	case "subnet":
		if v := e.r.Subnets[id]; v != nil {
			return &v.Tags
		}
	case "rtb":
		if v := e.r.RouteTables[id]; v != nil {
			return &v.Tags
		}
	case "igw":
		if v := e.r.InternetGateways[id]; v != nil {
			return &v.Tags
		}
	case "sg":
		if v := e.r.SecurityGroups[id]; v != nil {
			return &v.Tags
		}
	case "sgr":
		if _, rule := e.r.findRule(id); rule != nil {
			return &rule.Tags
		}
	case "pcx":
		if p := e.st.Peerings[id]; p != nil && p.visibleIn(e.call.Region) {
			return &p.Tags
		}
	case "nat":
		if n := e.r.NATGateways[id]; n != nil {
			return &n.Tags
		}
	case "eipalloc":
		if a := e.r.Addresses[id]; a != nil {
			return &a.Tags
		}
	}
	return nil
}

// createTags adds or overwrites tags on every named resource. It checks
// every resource before changing any.
func createTags(e *env, in *ec2.CreateTagsInput) (*ec2.CreateTagsOutput, error) {
	if len(in.Resources) == 0 {
		return nil, missingParameter("ResourceId")
	}
	if in.Tags == nil {
		return nil, missingParameter("Tag")
	}
	targets, err := e.tagTargets(in.Resources)
	if err != nil {
		return nil, err
	}
	for _, t := range targets {
		next := copyTags(*t)
		if err := mergeTags(next, in.Tags); err != nil {
			return nil, err
		}
		*t = next
	}
	return &ec2.CreateTagsOutput{}, nil
}

// deleteTags removes tags from every named resource. A tag given with a
// value is removed only when the value matches; with no tags at all,
// every user tag goes.
func deleteTags(e *env, in *ec2.DeleteTagsInput) (*ec2.DeleteTagsOutput, error) {
	if len(in.Resources) == 0 {
		return nil, missingParameter("ResourceId")
	}
	targets, err := e.tagTargets(in.Resources)
	if err != nil {
		return nil, err
	}
	for _, t := range targets {
		removeTags(*t, in.Tags)
	}
	return &ec2.DeleteTagsOutput{}, nil
}

func removeTags(m map[string]string, tags []types.Tag) {
	if tags == nil {
		for k := range m {
			delete(m, k)
		}
		return
	}
	for _, t := range tags {
		k := aws.ToString(t.Key)
		if t.Value != nil && m[k] != *t.Value {
			continue
		}
		delete(m, k)
	}
}

func (e *env) tagTargets(ids []string) ([]*map[string]string, error) {
	out := make([]*map[string]string, 0, len(ids))
	for _, id := range ids {
		t, _, err := e.tagsOf(id)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

func copyTags(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// tagRow is one row of DescribeTags.
type tagRow struct {
	id, resourceType, key, value string
	tags                         map[string]string
}

var tagFilters = filterSet[tagRow]{
	fields: fields[tagRow]{
		"key":           func(r tagRow) []string { return []string{r.key} },
		"value":         func(r tagRow) []string { return []string{r.value} },
		"resource-id":   func(r tagRow) []string { return []string{r.id} },
		"resource-type": func(r tagRow) []string { return []string{r.resourceType} },
	},
	tags: func(r tagRow) map[string]string { return r.tags },
}

// describeTags lists the tags of every resource in the region, one row per
// tag, ordered by resource id and key.
func describeTags(e *env, in *ec2.DescribeTagsInput) (*ec2.DescribeTagsOutput, error) {
	rows, err := tagFilters.apply(e.tagRows(), in.Filters)
	if err != nil {
		return nil, err
	}
	page, next, err := paginate(rows, func(r tagRow) string { return r.id + "\x00" + r.key }, in.MaxResults, in.NextToken, bounds5to1000)
	if err != nil {
		return nil, err
	}
	out := &ec2.DescribeTagsOutput{NextToken: next, Tags: []types.TagDescription{}}
	for _, r := range page {
		out.Tags = append(out.Tags, types.TagDescription{
			ResourceId: aws.String(r.id), ResourceType: types.ResourceType(r.resourceType),
			Key: aws.String(r.key), Value: aws.String(r.value),
		})
	}
	return out, nil
}

// tagRows lists every tag of every taggable resource visible in the region.
func (e *env) tagRows() []tagRow {
	var rows []tagRow
	for _, res := range e.st.resources(e.call.Region) {
		for _, k := range sortedKeys(res.tags) {
			rows = append(rows, tagRow{id: res.id, resourceType: res.kind.resourceType, key: k, value: res.tags[k], tags: res.tags})
		}
	}
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].id != rows[j].id {
			return rows[i].id < rows[j].id
		}
		return rows[i].key < rows[j].key
	})
	return rows
}
