package logs_test

//lint:file-ignore SA1019 the aws CLI v1 still calls the log-group-name tagging operations, so the sandbox serves and tests them.
import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cwl "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	rgt "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi"
	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/sandbox/logs"
	"github.com/kcstack/kcstack/pkg/sandbox/sandboxtest"
)

func newClients(t *testing.T) (*cwl.Client, *rgt.Client) {
	return sandboxtest.WithTagging(t, cwl.NewFromConfig, logs.Service())
}

func TestLogGroupLifecycle(t *testing.T) {
	ctx := context.Background()
	client, tags := newClients(t)
	name := "/kcstack/prod/keycloak"
	create := &cwl.CreateLogGroupInput{LogGroupName: aws.String(name), Tags: map[string]string{"kcstack:stack": "prod"}}
	if _, err := client.CreateLogGroup(ctx, create); err != nil {
		t.Fatalf("CreateLogGroup: %v", err)
	}
	if _, err := client.CreateLogGroup(ctx, create); sandboxtest.Code(err) != "ResourceAlreadyExistsException" {
		t.Errorf("second CreateLogGroup: want ResourceAlreadyExistsException, got %v", err)
	}
	if _, err := client.PutRetentionPolicy(ctx, &cwl.PutRetentionPolicyInput{LogGroupName: aws.String(name), RetentionInDays: aws.Int32(2)}); sandboxtest.Code(err) != "InvalidParameterException" {
		t.Errorf("PutRetentionPolicy 2 days: want InvalidParameterException, got %v", err)
	}
	if _, err := client.PutRetentionPolicy(ctx, &cwl.PutRetentionPolicyInput{LogGroupName: aws.String(name), RetentionInDays: aws.Int32(30)}); err != nil {
		t.Fatalf("PutRetentionPolicy: %v", err)
	}
	got, err := client.DescribeLogGroups(ctx, &cwl.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String("/kcstack/")})
	if err != nil || len(got.LogGroups) != 1 {
		t.Fatalf("DescribeLogGroups: %+v, %v", got, err)
	}
	g := got.LogGroups[0]
	arn := "arn:aws:logs:eu-west-1:" + accountOf(aws.ToString(g.LogGroupArn)) + ":log-group:" + name
	if diff := cmp.Diff([]string{arn + ":*", arn, "30", "STANDARD"}, []string{aws.ToString(g.Arn), aws.ToString(g.LogGroupArn), fmt.Sprint(aws.ToInt32(g.RetentionInDays)), string(g.LogGroupClass)}); diff != "" {
		t.Errorf("log group (-want +got):\n%s", diff)
	}
	if _, err := client.DeleteRetentionPolicy(ctx, &cwl.DeleteRetentionPolicyInput{LogGroupName: aws.String(name)}); err != nil {
		t.Fatalf("DeleteRetentionPolicy: %v", err)
	}
	got, _ = client.DescribeLogGroups(ctx, &cwl.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String(name)})
	if got.LogGroups[0].RetentionInDays != nil {
		t.Errorf("retention after DeleteRetentionPolicy: %d", *got.LogGroups[0].RetentionInDays)
	}
	res, err := tags.GetResources(ctx, &rgt.GetResourcesInput{ResourceTypeFilters: []string{"logs:log-group"}})
	if err != nil || len(res.ResourceTagMappingList) != 1 || aws.ToString(res.ResourceTagMappingList[0].ResourceARN) != arn {
		t.Errorf("tagging GetResources logs:log-group: %+v, %v", res, err)
	}
	if _, err := client.DeleteLogGroup(ctx, &cwl.DeleteLogGroupInput{LogGroupName: aws.String(name)}); err != nil {
		t.Fatalf("DeleteLogGroup: %v", err)
	}
	if _, err := client.DeleteLogGroup(ctx, &cwl.DeleteLogGroupInput{LogGroupName: aws.String(name)}); sandboxtest.Code(err) != "ResourceNotFoundException" {
		t.Errorf("second DeleteLogGroup: want ResourceNotFoundException, got %v", err)
	}
	if _, err := client.PutRetentionPolicy(ctx, &cwl.PutRetentionPolicyInput{LogGroupName: aws.String(name), RetentionInDays: aws.Int32(7)}); sandboxtest.Code(err) != "ResourceNotFoundException" {
		t.Errorf("PutRetentionPolicy on a deleted group: want ResourceNotFoundException, got %v", err)
	}
}

func accountOf(arn string) string {
	parts := strings.Split(arn, ":")
	if len(parts) < 5 {
		return ""
	}
	return parts[4]
}

func TestDescribeLogGroupsPaginates(t *testing.T) {
	ctx := context.Background()
	client, _ := newClients(t)
	var want []string
	for i := range 7 {
		name := fmt.Sprintf("/app/%02d", i)
		want = append(want, name)
		if _, err := client.CreateLogGroup(ctx, &cwl.CreateLogGroupInput{LogGroupName: aws.String(name)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := client.CreateLogGroup(ctx, &cwl.CreateLogGroupInput{LogGroupName: aws.String("/other")}); err != nil {
		t.Fatal(err)
	}
	p := cwl.NewDescribeLogGroupsPaginator(client, &cwl.DescribeLogGroupsInput{LogGroupNamePrefix: aws.String("/app/"), Limit: aws.Int32(3)})
	sandboxtest.CheckPages(t, "DescribeLogGroups", want, 3, p.HasMorePages, p.NextPage,
		func(o *cwl.DescribeLogGroupsOutput) []types.LogGroup { return o.LogGroups }, func(g types.LogGroup) *string { return g.LogGroupName })
	if _, err := client.DescribeLogGroups(ctx, &cwl.DescribeLogGroupsInput{NextToken: aws.String("bogus")}); sandboxtest.Code(err) != "InvalidParameterException" {
		t.Errorf("bogus token: want InvalidParameterException, got %v", err)
	}
}

func TestLogGroupTags(t *testing.T) {
	ctx := context.Background()
	client, _ := newClients(t)
	name := aws.String("tagged")
	if _, err := client.CreateLogGroup(ctx, &cwl.CreateLogGroupInput{LogGroupName: name, Tags: map[string]string{"a": "1"}}); err != nil {
		t.Fatal(err)
	}
	out, _ := client.DescribeLogGroups(ctx, &cwl.DescribeLogGroupsInput{LogGroupNamePrefix: name})
	arn := out.LogGroups[0].LogGroupArn
	steps := []struct {
		name string
		run  func() error
	}{
		{"TagResource", func() error {
			_, err := client.TagResource(ctx, &cwl.TagResourceInput{ResourceArn: arn, Tags: map[string]string{"b": "2", "c": "3"}})
			return err
		}},
		{"UntagResource", func() error {
			_, err := client.UntagResource(ctx, &cwl.UntagResourceInput{ResourceArn: arn, TagKeys: []string{"c"}})
			return err
		}},
		{"TagLogGroup", func() error {
			_, err := client.TagLogGroup(ctx, &cwl.TagLogGroupInput{LogGroupName: name, Tags: map[string]string{"d": "4"}})
			return err
		}},
		{"UntagLogGroup", func() error {
			_, err := client.UntagLogGroup(ctx, &cwl.UntagLogGroupInput{LogGroupName: name, Tags: []string{"d"}})
			return err
		}},
	}
	for _, s := range steps {
		if err := s.run(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
	}
	want := map[string]string{"a": "1", "b": "2"}
	byARN, err := client.ListTagsForResource(ctx, &cwl.ListTagsForResourceInput{ResourceArn: arn})
	if err != nil {
		t.Fatal(err)
	}
	byName, err := client.ListTagsLogGroup(ctx, &cwl.ListTagsLogGroupInput{LogGroupName: name})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, byARN.Tags); diff != "" {
		t.Errorf("ListTagsForResource (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, byName.Tags); diff != "" {
		t.Errorf("ListTagsLogGroup (-want +got):\n%s", diff)
	}
	missing := aws.String(aws.ToString(arn) + "-gone")
	if _, err := client.ListTagsForResource(ctx, &cwl.ListTagsForResourceInput{ResourceArn: missing}); sandboxtest.Code(err) != "ResourceNotFoundException" {
		t.Errorf("ListTagsForResource on a missing group: want ResourceNotFoundException, got %v", err)
	}
}
