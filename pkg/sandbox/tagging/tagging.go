package tagging

import (
	"encoding/base64"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	rgt "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi"
	"github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi/types"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
	"github.com/kcstack/kcstack/pkg/sandbox/internal/tagset"
)

// ServiceName is the model name of the tagging API.
const ServiceName = "resourcegroupstaggingapi"

const (
	codeInvalidParam = "InvalidParameterException"
	// defaultPerPage is GetResources's page size without ResourcesPerPage,
	// and the page size of GetTagKeys and GetTagValues.
	defaultPerPage = 100
)

// State is the tagging API's state: it has none.
type State struct{}

// Service returns the tagging API emulation.
func Service() api.Service {
	return api.Service{
		Name:     ServiceName,
		NewState: func() any { return &State{} },
		Ops: map[string]api.Op{
			"GetResources": {Fn: getResources},
			"GetTagKeys":   {Fn: getTagKeys},
			"GetTagValues": {Fn: getTagValues},
		},
	}
}

// resources lists the tagged resources of every service in the call's
// region, ordered by ARN.
func resources(c *api.Call) []api.TaggedResource {
	var out []api.TaggedResource
	for _, name := range c.World.Services() {
		tagged, ok := c.World.State(name).(api.Tagged)
		if !ok {
			continue
		}
		for _, r := range tagged.TaggedResources() {
			if r.Region == c.Region && len(r.Tags) > 0 {
				out = append(out, r)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ARN < out[j].ARN })
	return out
}

func getResources(c *api.Call, in *rgt.GetResourcesInput) (*rgt.GetResourcesOutput, error) {
	if err := validate(in); err != nil {
		return nil, err
	}
	size := int(aws.ToInt32(in.ResourcesPerPage))
	if size == 0 {
		size = defaultPerPage
	}
	start, err := decodeToken(in.PaginationToken)
	if err != nil {
		return nil, err
	}
	var matched []api.TaggedResource
	for _, r := range resources(c) {
		if selected(r, in) {
			matched = append(matched, r)
		}
	}
	out := &rgt.GetResourcesOutput{ResourceTagMappingList: []types.ResourceTagMapping{}, PaginationToken: aws.String("")}
	for _, r := range window(matched, start, size) {
		out.ResourceTagMappingList = append(out.ResourceTagMappingList, types.ResourceTagMapping{ResourceARN: aws.String(r.ARN), Tags: sdkTags(r.Tags)})
	}
	if start+size < len(matched) {
		out.PaginationToken = aws.String(encodeToken(start + size))
	}
	return out, nil
}

// validate applies the documented parameter rules.
func validate(in *rgt.GetResourcesInput) error {
	if len(in.ResourceARNList) > 0 {
		if len(in.TagFilters) > 0 || len(in.ResourceTypeFilters) > 0 {
			return api.Errorf(codeInvalidParam, "You can't specify ResourceARNList together with TagFilters or ResourceTypeFilters.")
		}
		if in.ResourcesPerPage != nil || in.TagsPerPage != nil || aws.ToString(in.PaginationToken) != "" {
			return api.Errorf(codeInvalidParam, "You can't specify ResourceARNList together with ResourcesPerPage, TagsPerPage or PaginationToken.")
		}
	}
	if n := aws.ToInt32(in.ResourcesPerPage); in.ResourcesPerPage != nil && (n < 1 || n > 100) {
		return api.Errorf(codeInvalidParam, "ResourcesPerPage must be between 1 and 100, got %d.", n)
	}
	if len(in.TagFilters) > 50 {
		return api.Errorf(codeInvalidParam, "A request can include up to 50 tag filters.")
	}
	for _, f := range in.TagFilters {
		if aws.ToString(f.Key) == "" {
			return api.Errorf(codeInvalidParam, "Each TagFilter must contain a key.")
		}
		if len(f.Values) > 20 {
			return api.Errorf(codeInvalidParam, "A tag filter can include up to 20 values; %s has %d.", aws.ToString(f.Key), len(f.Values))
		}
	}
	return nil
}

// selected reports whether r passes the ARN list, type and tag filters.
func selected(r api.TaggedResource, in *rgt.GetResourcesInput) bool {
	if len(in.ResourceARNList) > 0 && !contains(in.ResourceARNList, r.ARN) {
		return false
	}
	if len(in.ResourceTypeFilters) > 0 && !typeMatches(r.Type, in.ResourceTypeFilters) {
		return false
	}
	for _, f := range in.TagFilters {
		if !tagMatches(r.Tags, f) {
			return false
		}
	}
	return true
}

// typeMatches: a filter is a service (ec2) or a service:type (ec2:vpc).
func typeMatches(kind string, filters []string) bool {
	for _, f := range filters {
		if strings.EqualFold(kind, f) || strings.HasPrefix(strings.ToLower(kind), strings.ToLower(f)+":") {
			return true
		}
	}
	return false
}

// tagMatches: the key must be there, with one of the values if any.
func tagMatches(tags map[string]string, f types.TagFilter) bool {
	v, ok := tags[aws.ToString(f.Key)]
	return ok && (len(f.Values) == 0 || contains(f.Values, v))
}

func getTagKeys(c *api.Call, in *rgt.GetTagKeysInput) (*rgt.GetTagKeysOutput, error) {
	keys := map[string]bool{}
	for _, r := range resources(c) {
		for k := range r.Tags {
			keys[k] = true
		}
	}
	page, token, err := pageOf(slices.Sorted(maps.Keys(keys)), in.PaginationToken)
	if err != nil {
		return nil, err
	}
	return &rgt.GetTagKeysOutput{TagKeys: page, PaginationToken: token}, nil
}

func getTagValues(c *api.Call, in *rgt.GetTagValuesInput) (*rgt.GetTagValuesOutput, error) {
	values := map[string]bool{}
	for _, r := range resources(c) {
		if v, ok := r.Tags[aws.ToString(in.Key)]; ok {
			values[v] = true
		}
	}
	page, token, err := pageOf(slices.Sorted(maps.Keys(values)), in.PaginationToken)
	if err != nil {
		return nil, err
	}
	return &rgt.GetTagValuesOutput{TagValues: page, PaginationToken: token}, nil
}

func pageOf(all []string, token *string) ([]string, *string, error) {
	start, err := decodeToken(token)
	if err != nil {
		return nil, nil, err
	}
	page := []string{}
	if start < len(all) {
		page = all[start:min(len(all), start+defaultPerPage)]
	}
	next := aws.String("")
	if start+defaultPerPage < len(all) {
		next = aws.String(encodeToken(start + defaultPerPage))
	}
	return page, next, nil
}

func window(list []api.TaggedResource, start, size int) []api.TaggedResource {
	if start >= len(list) {
		return nil
	}
	return list[start:min(len(list), start+size)]
}

func sdkTags(tags map[string]string) []types.Tag {
	return tagset.Sorted(tags, func(k, v string) types.Tag { return types.Tag{Key: aws.String(k), Value: aws.String(v)} })
}

// encodeToken and decodeToken turn a list offset into an opaque token;
// an empty token is the first page.
func encodeToken(offset int) string {
	return base64.StdEncoding.EncodeToString([]byte("offset:" + strconv.Itoa(offset)))
}

func decodeToken(token *string) (int, error) {
	if aws.ToString(token) == "" {
		return 0, nil
	}
	raw, err := base64.StdEncoding.DecodeString(*token)
	n, ok := strings.CutPrefix(string(raw), "offset:")
	offset, convErr := strconv.Atoi(n)
	if err != nil || !ok || convErr != nil || offset < 0 {
		return 0, api.Errorf(codeInvalidParam, "The PaginationToken is not valid.")
	}
	return offset, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
