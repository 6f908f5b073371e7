package iam_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsiam "github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/sandbox/iam"
	"github.com/kcstack/kcstack/pkg/sandbox/sandboxtest"
)

const trust = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}`

const execPolicy = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"

func newClient(t *testing.T) *awsiam.Client {
	return sandboxtest.Client(t, awsiam.NewFromConfig, iam.Service())
}

func TestRoleLifecycle(t *testing.T) {
	ctx := context.Background()
	client := newClient(t)
	create := &awsiam.CreateRoleInput{
		RoleName: aws.String("kc-task-exec"), Path: aws.String("/kcstack/"), AssumeRolePolicyDocument: aws.String(trust),
		Tags: []types.Tag{{Key: aws.String("kcstack:stack"), Value: aws.String("prod")}},
	}
	out, err := client.CreateRole(ctx, create)
	if err != nil {
		t.Fatalf("CreateRole: %v", err)
	}
	r := out.Role
	if !strings.HasPrefix(aws.ToString(r.RoleId), "AROA") || len(aws.ToString(r.RoleId)) != 21 || !strings.HasSuffix(aws.ToString(r.Arn), ":role/kcstack/kc-task-exec") {
		t.Errorf("role id %s, arn %s", aws.ToString(r.RoleId), aws.ToString(r.Arn))
	}
	if doc, _ := url.QueryUnescape(aws.ToString(r.AssumeRolePolicyDocument)); doc != trust || aws.ToString(r.AssumeRolePolicyDocument) == trust {
		t.Errorf("trust policy is not URL-encoded JSON: %s", aws.ToString(r.AssumeRolePolicyDocument))
	}
	create.RoleName = aws.String("KC-TASK-EXEC")
	if _, err := client.CreateRole(ctx, create); sandboxtest.Failure(err) != "EntityAlreadyExists 409" {
		t.Errorf("CreateRole same name other case: want EntityAlreadyExists 409, got %v", sandboxtest.Failure(err))
	}
	bad := &awsiam.CreateRoleInput{RoleName: aws.String("bad"), AssumeRolePolicyDocument: aws.String("{nope")}
	if _, err := client.CreateRole(ctx, bad); sandboxtest.Failure(err) != "MalformedPolicyDocument 400" {
		t.Errorf("CreateRole with bad JSON: want MalformedPolicyDocument 400, got %v", sandboxtest.Failure(err))
	}
	name := aws.String("kc-task-exec")
	got, err := client.GetRole(ctx, &awsiam.GetRoleInput{RoleName: name})
	if err != nil || len(got.Role.Tags) != 1 || aws.ToInt32(got.Role.MaxSessionDuration) != 3600 {
		t.Fatalf("GetRole: %+v, %v", got, err)
	}
	newTrust := strings.Replace(trust, "ecs-tasks", "ec2", 1)
	if _, err := client.UpdateAssumeRolePolicy(ctx, &awsiam.UpdateAssumeRolePolicyInput{RoleName: name, PolicyDocument: aws.String(newTrust)}); err != nil {
		t.Fatalf("UpdateAssumeRolePolicy: %v", err)
	}
	got, _ = client.GetRole(ctx, &awsiam.GetRoleInput{RoleName: name})
	if doc, _ := url.QueryUnescape(aws.ToString(got.Role.AssumeRolePolicyDocument)); doc != newTrust {
		t.Errorf("trust policy after update: %s", doc)
	}
	if _, err := client.GetRole(ctx, &awsiam.GetRoleInput{RoleName: aws.String("nope")}); sandboxtest.Failure(err) != "NoSuchEntity 404" {
		t.Errorf("GetRole missing: want NoSuchEntity 404, got %v", sandboxtest.Failure(err))
	}
	if _, err := client.DeleteRole(ctx, &awsiam.DeleteRoleInput{RoleName: name}); err != nil {
		t.Fatalf("DeleteRole: %v", err)
	}
	if _, err := client.DeleteRole(ctx, &awsiam.DeleteRoleInput{RoleName: name}); sandboxtest.Failure(err) != "NoSuchEntity 404" {
		t.Errorf("second DeleteRole: want NoSuchEntity 404, got %v", sandboxtest.Failure(err))
	}
}

func TestRolePolicies(t *testing.T) {
	ctx := context.Background()
	client := newClient(t)
	name := aws.String("kc-task")
	if _, err := client.CreateRole(ctx, &awsiam.CreateRoleInput{RoleName: name, AssumeRolePolicyDocument: aws.String(trust)}); err != nil {
		t.Fatal(err)
	}
	inline := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::kc-ping/*"}]}`
	if _, err := client.PutRolePolicy(ctx, &awsiam.PutRolePolicyInput{RoleName: name, PolicyName: aws.String("s3-ping"), PolicyDocument: aws.String(inline)}); err != nil {
		t.Fatalf("PutRolePolicy: %v", err)
	}
	pol, err := client.GetRolePolicy(ctx, &awsiam.GetRolePolicyInput{RoleName: name, PolicyName: aws.String("s3-ping")})
	if err != nil {
		t.Fatalf("GetRolePolicy: %v", err)
	}
	if doc, _ := url.QueryUnescape(aws.ToString(pol.PolicyDocument)); doc != inline {
		t.Errorf("GetRolePolicy document: %s", doc)
	}
	if _, err := client.AttachRolePolicy(ctx, &awsiam.AttachRolePolicyInput{RoleName: name, PolicyArn: aws.String(execPolicy)}); err != nil {
		t.Fatalf("AttachRolePolicy: %v", err)
	}
	missing := aws.String("arn:aws:iam::123456789012:policy/nope")
	if _, err := client.AttachRolePolicy(ctx, &awsiam.AttachRolePolicyInput{RoleName: name, PolicyArn: missing}); sandboxtest.Failure(err) != "NoSuchEntity 404" {
		t.Errorf("AttachRolePolicy unknown policy: want NoSuchEntity 404, got %v", sandboxtest.Failure(err))
	}
	listed, err := client.ListRolePolicies(ctx, &awsiam.ListRolePoliciesInput{RoleName: name})
	if err != nil || !cmp.Equal(listed.PolicyNames, []string{"s3-ping"}) {
		t.Errorf("ListRolePolicies: %+v, %v", listed, err)
	}
	attached, err := client.ListAttachedRolePolicies(ctx, &awsiam.ListAttachedRolePoliciesInput{RoleName: name, PathPrefix: aws.String("/service-role/")})
	if err != nil || len(attached.AttachedPolicies) != 1 || aws.ToString(attached.AttachedPolicies[0].PolicyName) != "AmazonECSTaskExecutionRolePolicy" {
		t.Errorf("ListAttachedRolePolicies: %+v, %v", attached, err)
	}
	if _, err := client.DeleteRole(ctx, &awsiam.DeleteRoleInput{RoleName: name}); sandboxtest.Failure(err) != "DeleteConflict 409" {
		t.Errorf("DeleteRole with policies: want DeleteConflict 409, got %v", sandboxtest.Failure(err))
	}
	if _, err := client.DetachRolePolicy(ctx, &awsiam.DetachRolePolicyInput{RoleName: name, PolicyArn: aws.String(execPolicy)}); err != nil {
		t.Fatalf("DetachRolePolicy: %v", err)
	}
	if _, err := client.DeleteRole(ctx, &awsiam.DeleteRoleInput{RoleName: name}); sandboxtest.Failure(err) != "DeleteConflict 409" {
		t.Errorf("DeleteRole with an inline policy: want DeleteConflict 409, got %v", sandboxtest.Failure(err))
	}
	if _, err := client.DeleteRolePolicy(ctx, &awsiam.DeleteRolePolicyInput{RoleName: name, PolicyName: aws.String("s3-ping")}); err != nil {
		t.Fatalf("DeleteRolePolicy: %v", err)
	}
	if _, err := client.GetRolePolicy(ctx, &awsiam.GetRolePolicyInput{RoleName: name, PolicyName: aws.String("s3-ping")}); sandboxtest.Failure(err) != "NoSuchEntity 404" {
		t.Errorf("GetRolePolicy after delete: want NoSuchEntity 404, got %v", sandboxtest.Failure(err))
	}
	if _, err := client.DeleteRole(ctx, &awsiam.DeleteRoleInput{RoleName: name}); err != nil {
		t.Errorf("DeleteRole without policies: %v", err)
	}
}

func TestRoleTagsAndListing(t *testing.T) {
	ctx := context.Background()
	client := newClient(t)
	for i := range 5 {
		path := "/kcstack/"
		if i == 4 {
			path = "/other/"
		}
		in := &awsiam.CreateRoleInput{RoleName: aws.String(fmt.Sprintf("role-%d", i)), Path: aws.String(path), AssumeRolePolicyDocument: aws.String(trust)}
		if _, err := client.CreateRole(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	p := awsiam.NewListRolesPaginator(client, &awsiam.ListRolesInput{PathPrefix: aws.String("/kcstack/"), MaxItems: aws.Int32(3)})
	sandboxtest.CheckPages(t, "ListRoles", []string{"role-0", "role-1", "role-2", "role-3"}, 2, p.HasMorePages, p.NextPage,
		func(o *awsiam.ListRolesOutput) []types.Role { return o.Roles }, func(r types.Role) *string { return r.RoleName })
	name := aws.String("role-0")
	tags := []types.Tag{{Key: aws.String("a"), Value: aws.String("1")}, {Key: aws.String("b"), Value: aws.String("2")}}
	if _, err := client.TagRole(ctx, &awsiam.TagRoleInput{RoleName: name, Tags: tags}); err != nil {
		t.Fatalf("TagRole: %v", err)
	}
	if _, err := client.UntagRole(ctx, &awsiam.UntagRoleInput{RoleName: name, TagKeys: []string{"a"}}); err != nil {
		t.Fatalf("UntagRole: %v", err)
	}
	got, err := client.ListRoleTags(ctx, &awsiam.ListRoleTagsInput{RoleName: name})
	if err != nil || len(got.Tags) != 1 || aws.ToString(got.Tags[0].Key) != "b" || got.IsTruncated {
		t.Errorf("ListRoleTags: %+v, %v", got, err)
	}
	if _, err := client.ListRoles(ctx, &awsiam.ListRolesInput{Marker: aws.String("junk")}); sandboxtest.Failure(err) != "InvalidInput 400" {
		t.Errorf("ListRoles bad marker: want InvalidInput 400, got %v", sandboxtest.Failure(err))
	}
}
