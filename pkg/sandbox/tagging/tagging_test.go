package tagging

import (
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	rgt "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi"
	"github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi/types"
	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
	"github.com/kcstack/kcstack/pkg/sandbox/api/apitest"
)

// fakeTagged is a service state with fixed tagged resources.
type fakeTagged []api.TaggedResource

func (f fakeTagged) TaggedResources() []api.TaggedResource { return f }

type fakeWorld map[string]any

func (w fakeWorld) State(name string) any { return w[name] }
func (w fakeWorld) Services() []string {
	return []string{"ec2", "rds", ServiceName, "sts"}
}
func (w fakeWorld) Settings() api.Settings { return api.Settings{} }

func newCall() *api.Call {
	const acct = "123456789012"
	world := fakeWorld{
		"ec2": fakeTagged{
			{ARN: "arn:aws:ec2:eu-west-1:" + acct + ":vpc/vpc-1", Type: "ec2:vpc", Region: "eu-west-1", Tags: map[string]string{"kcstack:stack": "prod", "Name": "db"}},
			{ARN: "arn:aws:ec2:eu-west-1:" + acct + ":subnet/subnet-1", Type: "ec2:subnet", Region: "eu-west-1", Tags: map[string]string{"kcstack:stack": "prod"}},
			{ARN: "arn:aws:ec2:eu-west-1:" + acct + ":subnet/subnet-2", Type: "ec2:subnet", Region: "eu-west-1", Tags: map[string]string{"kcstack:stack": "dev"}},
			{ARN: "arn:aws:ec2:us-east-1:" + acct + ":vpc/vpc-9", Type: "ec2:vpc", Region: "us-east-1", Tags: map[string]string{"kcstack:stack": "prod"}},
			{ARN: "arn:aws:ec2:eu-west-1:" + acct + ":vpc/vpc-untagged", Type: "ec2:vpc", Region: "eu-west-1"},
		},
		"rds": fakeTagged{
			{ARN: "arn:aws:rds:eu-west-1:" + acct + ":cluster:aurora", Type: "rds:cluster", Region: "eu-west-1", Tags: map[string]string{"kcstack:stack": "prod", "team": "id"}},
		},
		ServiceName: &State{},
		"sts":       struct{}{},
	}
	return &api.Call{Service: ServiceName, Operation: "GetResources", Region: "eu-west-1", AccountID: acct, World: world}
}

func arns(out *rgt.GetResourcesOutput) []string {
	var got []string
	for _, m := range out.ResourceTagMappingList {
		got = append(got, aws.ToString(m.ResourceARN))
	}
	return got
}

func TestGetResources(t *testing.T) {
	const (
		vpc     = "arn:aws:ec2:eu-west-1:123456789012:vpc/vpc-1"
		subnet1 = "arn:aws:ec2:eu-west-1:123456789012:subnet/subnet-1"
		subnet2 = "arn:aws:ec2:eu-west-1:123456789012:subnet/subnet-2"
		cluster = "arn:aws:rds:eu-west-1:123456789012:cluster:aurora"
	)
	filter := func(key string, values ...string) types.TagFilter {
		return types.TagFilter{Key: aws.String(key), Values: values}
	}
	cases := map[string]struct {
		reason string
		in     *rgt.GetResourcesInput
		want   []string
		code   string
	}{
		"All":          {reason: "every tagged resource of the region, by ARN", in: &rgt.GetResourcesInput{}, want: []string{subnet1, subnet2, vpc, cluster}},
		"TagValue":     {reason: "key and value", in: &rgt.GetResourcesInput{TagFilters: []types.TagFilter{filter("kcstack:stack", "prod")}}, want: []string{subnet1, vpc, cluster}},
		"ValuesOred":   {reason: "values of one key are ORed", in: &rgt.GetResourcesInput{TagFilters: []types.TagFilter{filter("kcstack:stack", "prod", "dev")}}, want: []string{subnet1, subnet2, vpc, cluster}},
		"KeyOnly":      {reason: "a key alone matches any value", in: &rgt.GetResourcesInput{TagFilters: []types.TagFilter{filter("team")}}, want: []string{cluster}},
		"FiltersAnded": {reason: "filters are ANDed", in: &rgt.GetResourcesInput{TagFilters: []types.TagFilter{filter("kcstack:stack", "prod"), filter("Name")}}, want: []string{vpc}},
		"Service":      {reason: "a service type matches all its types", in: &rgt.GetResourcesInput{ResourceTypeFilters: []string{"ec2"}}, want: []string{subnet1, subnet2, vpc}},
		"Type":         {reason: "service:type is exact", in: &rgt.GetResourcesInput{ResourceTypeFilters: []string{"ec2:vpc", "rds:cluster"}}, want: []string{vpc, cluster}},
		"ARNs":         {reason: "ResourceARNList selects, ignoring unknown ARNs", in: &rgt.GetResourcesInput{ResourceARNList: []string{cluster, "arn:aws:rds:eu-west-1:123456789012:cluster:gone"}}, want: []string{cluster}},
		"ARNsAndTags": {reason: "ResourceARNList excludes tag filters",
			in: &rgt.GetResourcesInput{ResourceARNList: []string{cluster}, TagFilters: []types.TagFilter{filter("team")}}, code: codeInvalidParam},
		"ARNsAndPages": {reason: "ResourceARNList excludes pagination",
			in: &rgt.GetResourcesInput{ResourceARNList: []string{cluster}, ResourcesPerPage: aws.Int32(10)}, code: codeInvalidParam},
		"BigPage":  {reason: "pages hold 1 to 100", in: &rgt.GetResourcesInput{ResourcesPerPage: aws.Int32(101)}, code: codeInvalidParam},
		"BadToken": {reason: "tokens are checked", in: &rgt.GetResourcesInput{PaginationToken: aws.String("x")}, code: codeInvalidParam},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			out, err := getResources(newCall(), tc.in)
			var apiErr *api.Error
			if tc.code != "" {
				if !errors.As(err, &apiErr) || apiErr.Code != tc.code {
					t.Fatalf("%s: want %s, got %v", tc.reason, tc.code, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("%s: %v", tc.reason, err)
			}
			if diff := cmp.Diff(tc.want, arns(out)); diff != "" {
				t.Errorf("%s: -want +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestGetResourcesPages(t *testing.T) {
	in := &rgt.GetResourcesInput{ResourcesPerPage: aws.Int32(3)}
	var got []string
	pages := 0
	for {
		out, err := getResources(newCall(), in)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		got = append(got, arns(out)...)
		if aws.ToString(out.PaginationToken) == "" {
			break
		}
		in.PaginationToken = out.PaginationToken
	}
	if pages != 2 || len(got) != 4 {
		t.Errorf("4 resources by 3: %d pages, %d resources", pages, len(got))
	}
}

func TestTagKeysAndValues(t *testing.T) {
	keys, err := getTagKeys(newCall(), &rgt.GetTagKeysInput{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"Name", "kcstack:stack", "team"}, keys.TagKeys); diff != "" {
		t.Errorf("keys: -want +got:\n%s", diff)
	}
	values, err := getTagValues(newCall(), &rgt.GetTagValuesInput{Key: aws.String("kcstack:stack")})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"dev", "prod"}, values.TagValues); diff != "" {
		t.Errorf("values: -want +got:\n%s", diff)
	}
}

func TestServiceOps(t *testing.T) {
	apitest.CheckOps(t, Service())
}
