package compute

import (
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/aws/awstest"
	"github.com/kcstack/kcstack/pkg/resource"
)

func TestDiff(t *testing.T) {
	lg := resource.Props{"name": "/kcstack/s/t", "retention_in_days": int64(30)}
	role := resource.Props{"name": "s-t-task", "path": "/kcstack/s/", "trust_service": "ecs-tasks.amazonaws.com", "trust_conditions": map[string]string{"StringEquals aws:SourceAccount": AccountPlaceholder},
		"managed_policy_arns": []any{}, "allow_actions": []any{"s3:GetObject"}, "allow_resources": []any{"arn:aws:s3:::b", "arn:aws:s3:::b/*"}}
	svc := resource.Props{"name": "s-t", "cluster": "arn:cluster", "task_definition": "arn:td:1", "desired_count": int64(2), "launch_type": "FARGATE",
		"subnets": []any{"subnet-a"}, "security_groups": []any{"sg-1"}, "assign_public_ip": false, "circuit_breaker_rollback": true}
	awstest.CheckDiffs(t, Register, map[string]awstest.DiffCase{
		"log retention":                 {Reason: "retention changes in place", Kind: resource.KindLogGroup, Desired: awstest.With(lg, "retention_in_days", int64(90)), Live: lg, Want: []string{"retention_in_days"}},
		"log renamed":                   {Reason: "a log group cannot be renamed", Kind: resource.KindLogGroup, Desired: awstest.With(lg, "name", "/other"), Live: lg, Want: []string{"name (replace: a log group cannot be renamed)"}},
		"role policy":                   {Reason: "the inline policy changes in place", Kind: resource.KindIAMRole, Desired: awstest.With(role, "allow_resources", []any{"arn:aws:s3:::c"}), Live: role, Want: []string{"allow_resources"}},
		"role same":                     {Reason: "actions compare as sets", Kind: resource.KindIAMRole, Desired: role, Live: awstest.With(role, "allow_actions", []any{"s3:GetObject"})},
		"role trust":                    {Reason: "the trust conditions change in place", Kind: resource.KindIAMRole, Desired: role, Live: awstest.With(role, "trust_conditions", map[string]string{}), Want: []string{"trust_conditions"}},
		"role path":                     {Reason: "a role's path is fixed", Kind: resource.KindIAMRole, Desired: awstest.With(role, "path", "/"), Live: role, Want: []string{"path (replace: an IAM role's path cannot change)"}},
		"service count":                 {Reason: "the task count changes in place", Kind: resource.KindECSService, Desired: awstest.With(svc, "desired_count", int64(3)), Live: svc, Want: []string{"desired_count"}},
		"service new td":                {Reason: "a new revision is known after apply", Kind: resource.KindECSService, Desired: awstest.With(svc, "task_definition", resource.Ref{Address: "t.task-definition", Attr: "matching_arn"}), Live: svc, Want: []string{"task_definition (known after apply)"}},
		"service moved":                 {Reason: "a service stays in its cluster", Kind: resource.KindECSService, Desired: awstest.With(svc, "cluster", "arn:other"), Live: svc, Want: []string{"cluster (replace: an ECS service cannot move to another cluster)"}},
		"cluster renamed":               {Reason: "a cluster cannot be renamed", Kind: resource.KindECSCluster, Desired: resource.Props{"name": "b"}, Live: resource.Props{"name": "a"}, Want: []string{"name (replace: an ECS cluster cannot be renamed)"}},
		"task definition facts unknown": {Reason: "while a role is being created its ARN is the difference, an update (new revision)", Kind: resource.KindECSTaskDefinition, Desired: resource.Props{"family": "s-t", "execution_role_arn": resource.Ref{Address: "t.execution-role", Attr: "arn"}}, Live: resource.Props{"family": "s-t"}, Want: []string{"execution_role_arn (known after apply)"}},
	})
}

func TestPolicies(t *testing.T) {
	cases := map[string]struct {
		reason             string
		doc                string
		actions, resources []string
	}{
		"built":       {"what allowPolicy writes reads back", allowPolicy([]string{"s3:GetObject"}, []string{"arn:aws:s3:::b"}), []string{"s3:GetObject"}, []string{"arn:aws:s3:::b"}},
		"url-encoded": {"IAM returns documents URL-encoded", "%7B%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22s3%3AGetObject%22%2C%22Resource%22%3A%22arn%3Aaws%3As3%3A%3A%3Ab%22%7D%5D%7D", []string{"s3:GetObject"}, []string{"arn:aws:s3:::b"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			a, r := parseAllowPolicy(tc.doc)
			if diff := cmp.Diff([][]string{tc.actions, tc.resources}, [][]string{a, r}); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}

func TestTrustPolicy(t *testing.T) {
	account := "123456789012"
	conditions := map[string]string{"StringEquals aws:SourceAccount": AccountPlaceholder, "ArnLike aws:SourceArn": "arn:aws:ecs:eu-west-1:" + AccountPlaceholder + ":*"}
	role := func(doc string) types.Role {
		return types.Role{Arn: aws.String("arn:aws:iam::" + account + ":role/kcstack/s/r"), AssumeRolePolicyDocument: aws.String(url.QueryEscape(doc))}
	}
	cases := map[string]struct {
		reason string
		doc    string
		want   map[string]string
	}{
		"built": {"what trustPolicy writes for the role's account reads back as the desired conditions",
			trustPolicy("ecs-tasks.amazonaws.com", conditions, account), conditions},
		"other account": {"a condition naming another account shows that account, so it differs",
			trustPolicy("ecs-tasks.amazonaws.com", conditions, "999999999999"),
			map[string]string{"StringEquals aws:SourceAccount": "999999999999", "ArnLike aws:SourceArn": "arn:aws:ecs:eu-west-1:999999999999:*"}},
		"none": {"a policy without conditions has none", trustPolicy("ecs-tasks.amazonaws.com", nil, account), map[string]string{}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, observedConditions(role(tc.doc))); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.reason, diff)
			}
			if got := trustService(tc.doc); got != "ecs-tasks.amazonaws.com" {
				t.Errorf("trust policy names %q, want ecs-tasks.amazonaws.com", got)
			}
		})
	}
	doc := trustPolicy("ecs-tasks.amazonaws.com", conditions, account)
	if !strings.Contains(doc, `"StringEquals":{"aws:SourceAccount":"123456789012"}`) || strings.Contains(doc, AccountPlaceholder) {
		t.Errorf("trust policy %s: want the account filled in", doc)
	}
}
