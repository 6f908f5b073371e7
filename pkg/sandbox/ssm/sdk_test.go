package ssm_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsssm "github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"
	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/sandbox/sandboxtest"
	"github.com/kcstack/kcstack/pkg/sandbox/ssm"
)

func newClient(t *testing.T) *awsssm.Client {
	return sandboxtest.Client(t, awsssm.NewFromConfig, ssm.Service())
}

// TestLockOverHTTP is the apply lock's protocol: create if absent, fail
// for the second holder, release by deleting.
func TestLockOverHTTP(t *testing.T) {
	ctx := context.Background()
	client := newClient(t)
	lock := &awsssm.PutParameterInput{
		Name: aws.String("/kcstack/prod/lock"), Value: aws.String(`{"who":"a"}`), Type: types.ParameterTypeString,
		Tags: []types.Tag{{Key: aws.String("kcstack:stack"), Value: aws.String("prod")}},
	}
	out, err := client.PutParameter(ctx, lock)
	if err != nil || out.Version != 1 || out.Tier != types.ParameterTierStandard {
		t.Fatalf("first PutParameter: %+v, %v", out, err)
	}
	lock.Value = aws.String(`{"who":"b"}`)
	if _, err := client.PutParameter(ctx, lock); sandboxtest.Code(err) != "ParameterAlreadyExists" {
		t.Fatalf("second PutParameter: want ParameterAlreadyExists, got %v", err)
	}
	got, err := client.GetParameter(ctx, &awsssm.GetParameterInput{Name: aws.String("/kcstack/prod/lock")})
	if err != nil || aws.ToString(got.Parameter.Value) != `{"who":"a"}` {
		t.Fatalf("GetParameter: %+v, %v", got, err)
	}
	if _, err := client.DeleteParameter(ctx, &awsssm.DeleteParameterInput{Name: aws.String("/kcstack/prod/lock")}); err != nil {
		t.Fatalf("DeleteParameter: %v", err)
	}
	if _, err := client.DeleteParameter(ctx, &awsssm.DeleteParameterInput{Name: aws.String("/kcstack/prod/lock")}); sandboxtest.Code(err) != "ParameterNotFound" {
		t.Errorf("second DeleteParameter: want ParameterNotFound, got %v", err)
	}
	if _, err := client.PutParameter(ctx, lock); err != nil {
		t.Errorf("PutParameter after release: %v", err)
	}
}

func TestParametersOverHTTP(t *testing.T) {
	ctx := context.Background()
	client := newClient(t)
	put := func(name, value string, typ types.ParameterType) {
		t.Helper()
		if _, err := client.PutParameter(ctx, &awsssm.PutParameterInput{Name: aws.String(name), Value: aws.String(value), Type: typ}); err != nil {
			t.Fatalf("PutParameter %s: %v", name, err)
		}
	}
	put("/app/url", "jdbc:postgresql://db", types.ParameterTypeString)
	put("/app/hosts", "a,b", types.ParameterTypeStringList)
	put("/app/secret", "hidden", types.ParameterTypeSecureString)
	over, err := client.PutParameter(ctx, &awsssm.PutParameterInput{Name: aws.String("/app/url"), Value: aws.String("jdbc:postgresql://db2"), Overwrite: aws.Bool(true)})
	if err != nil || over.Version != 2 {
		t.Fatalf("overwrite: %+v, %v", over, err)
	}
	dec, err := client.GetParameter(ctx, &awsssm.GetParameterInput{Name: aws.String("/app/secret"), WithDecryption: aws.Bool(true)})
	if err != nil || aws.ToString(dec.Parameter.Value) != "hidden" || dec.Parameter.Type != types.ParameterTypeSecureString {
		t.Errorf("GetParameter WithDecryption: type %v, err %v", dec, err)
	}
	many, err := client.GetParameters(ctx, &awsssm.GetParametersInput{Names: []string{"/app/url", "/app/missing"}})
	if err != nil || len(many.Parameters) != 1 || !cmp.Equal(many.InvalidParameters, []string{"/app/missing"}) {
		t.Errorf("GetParameters: %+v, %v", many, err)
	}
	kind := types.ResourceTypeForTaggingParameter
	if _, err := client.AddTagsToResource(ctx, &awsssm.AddTagsToResourceInput{ResourceType: kind, ResourceId: aws.String("/app/url"),
		Tags: []types.Tag{{Key: aws.String("a"), Value: aws.String("1")}, {Key: aws.String("b"), Value: aws.String("2")}}}); err != nil {
		t.Fatalf("AddTagsToResource: %v", err)
	}
	if _, err := client.RemoveTagsFromResource(ctx, &awsssm.RemoveTagsFromResourceInput{ResourceType: kind, ResourceId: aws.String("/app/url"), TagKeys: []string{"a"}}); err != nil {
		t.Fatalf("RemoveTagsFromResource: %v", err)
	}
	tags, err := client.ListTagsForResource(ctx, &awsssm.ListTagsForResourceInput{ResourceType: kind, ResourceId: aws.String("/app/url")})
	if err != nil || len(tags.TagList) != 1 || aws.ToString(tags.TagList[0].Key) != "b" {
		t.Errorf("ListTagsForResource: %+v, %v", tags, err)
	}
	if _, err := client.ListTagsForResource(ctx, &awsssm.ListTagsForResourceInput{ResourceType: kind, ResourceId: aws.String("/nope")}); sandboxtest.Code(err) != "InvalidResourceId" {
		t.Errorf("tags of a missing parameter: want InvalidResourceId, got %v", err)
	}
	del, err := client.DeleteParameters(ctx, &awsssm.DeleteParametersInput{Names: []string{"/app/hosts", "/app/nope"}})
	if err != nil || !cmp.Equal(del.DeletedParameters, []string{"/app/hosts"}) || !cmp.Equal(del.InvalidParameters, []string{"/app/nope"}) {
		t.Errorf("DeleteParameters: %+v, %v", del, err)
	}
	if _, err := client.GetParameter(ctx, &awsssm.GetParameterInput{Name: aws.String("/app/hosts")}); sandboxtest.Code(err) != "ParameterNotFound" {
		t.Errorf("deleted parameter: want ParameterNotFound, got %v", err)
	}
}

func TestParameterPaginatorsOverHTTP(t *testing.T) {
	ctx := context.Background()
	client := newClient(t)
	var want []string
	for i := range 23 {
		name := fmt.Sprintf("/kcstack/prod/p%02d", i)
		want = append(want, name)
		if _, err := client.PutParameter(ctx, &awsssm.PutParameterInput{Name: aws.String(name), Value: aws.String("v"), Type: types.ParameterTypeString}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := client.PutParameter(ctx, &awsssm.PutParameterInput{Name: aws.String("/kcstack/dev/x"), Value: aws.String("v"), Type: types.ParameterTypeString}); err != nil {
		t.Fatal(err)
	}
	pp := awsssm.NewGetParametersByPathPaginator(client, &awsssm.GetParametersByPathInput{Path: aws.String("/kcstack/prod")})
	sandboxtest.CheckPages(t, "GetParametersByPath", want, 0, pp.HasMorePages, pp.NextPage,
		func(o *awsssm.GetParametersByPathOutput) []types.Parameter { return o.Parameters }, func(p types.Parameter) *string { return p.Name })
	dp := awsssm.NewDescribeParametersPaginator(client, &awsssm.DescribeParametersInput{
		MaxResults:       aws.Int32(10),
		ParameterFilters: []types.ParameterStringFilter{{Key: aws.String("Path"), Option: aws.String("Recursive"), Values: []string{"/kcstack/prod"}}},
	})
	sandboxtest.CheckPages(t, "DescribeParameters", want, 0, dp.HasMorePages, dp.NextPage,
		func(o *awsssm.DescribeParametersOutput) []types.ParameterMetadata { return o.Parameters }, func(p types.ParameterMetadata) *string { return p.Name })
}
