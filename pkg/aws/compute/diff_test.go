package compute

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/resource"
)

func paths(diffs []resource.FieldDiff) []string {
	var out []string
	for _, d := range diffs {
		p := d.Path
		if d.ForcesReplace {
			p += " (replace: " + d.Reason + ")"
		}
		if d.KnownAfterApply {
			p += " (known after apply)"
		}
		out = append(out, p)
	}
	return out
}

func TestDiff(t *testing.T) {
	lg := resource.Props{"name": "/kcstack/s/t", "retention_in_days": int64(30)}
	role := resource.Props{"name": "s-t-task", "path": "/kcstack/s/", "trust_service": "ecs-tasks.amazonaws.com",
		"managed_policy_arns": []any{}, "allow_actions": []any{"s3:GetObject"}, "allow_resources": []any{"arn:aws:s3:::b", "arn:aws:s3:::b/*"}}
	svc := resource.Props{"name": "s-t", "cluster": "arn:cluster", "task_definition": "arn:td:1", "desired_count": int64(2), "launch_type": "FARGATE",
		"subnets": []any{"subnet-a"}, "security_groups": []any{"sg-1"}, "assign_public_ip": false, "circuit_breaker_rollback": true}
	with := func(p resource.Props, k string, v any) resource.Props {
		out := resource.Props{}
		for key, val := range p {
			out[key] = val
		}
		out[k] = v
		return out
	}
	cases := map[string]struct {
		reason  string
		handler resource.Handler
		desired resource.Props
		live    resource.Props
		want    []string
	}{
		"log retention":  {"retention changes in place", &LogGroupHandler{}, with(lg, "retention_in_days", int64(90)), lg, []string{"retention_in_days"}},
		"log renamed":    {"a log group cannot be renamed", &LogGroupHandler{}, with(lg, "name", "/other"), lg, []string{"name (replace: a log group cannot be renamed)"}},
		"role policy":    {"the inline policy changes in place", &RoleHandler{}, with(role, "allow_resources", []any{"arn:aws:s3:::c"}), role, []string{"allow_resources"}},
		"role same":      {"actions compare as sets", &RoleHandler{}, role, with(role, "allow_actions", []any{"s3:GetObject"}), nil},
		"role path":      {"a role's path is fixed", &RoleHandler{}, with(role, "path", "/"), role, []string{"path (replace: an IAM role's path cannot change)"}},
		"service count":  {"the task count changes in place", &ServiceHandler{}, with(svc, "desired_count", int64(3)), svc, []string{"desired_count"}},
		"service new td": {"a new revision is known after apply", &ServiceHandler{}, with(svc, "task_definition", resource.Ref{Address: "t.task-definition", Attr: "matching_arn"}), svc, []string{"task_definition (known after apply)"}},
		"service moved":  {"a service stays in its cluster", &ServiceHandler{}, with(svc, "cluster", "arn:other"), svc, []string{"cluster (replace: an ECS service cannot move to another cluster)"}},
		"cluster renamed": {"a cluster cannot be renamed", &ClusterHandler{}, resource.Props{"name": "b"}, resource.Props{"name": "a"},
			[]string{"name (replace: an ECS cluster cannot be renamed)"}},
		"task definition facts unknown": {"while a role is being created its ARN is the difference, an update (new revision)", &TaskDefinitionHandler{},
			resource.Props{"family": "s-t", "execution_role_arn": resource.Ref{Address: "t.execution-role", Attr: "arn"}}, resource.Props{"family": "s-t"},
			[]string{"execution_role_arn (known after apply)"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := paths(tc.handler.Diff(resource.Desired{Props: tc.desired}, resource.Observation{Exists: true, Props: tc.live}))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
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
	if got := trustService(trustPolicy("ecs-tasks.amazonaws.com")); got != "ecs-tasks.amazonaws.com" {
		t.Errorf("trust policy names %q, want ecs-tasks.amazonaws.com", got)
	}
}
