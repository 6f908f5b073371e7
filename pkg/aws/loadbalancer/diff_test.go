package loadbalancer

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/resource"
)

// paths returns "path" or "path (replace)" for each diff.
func paths(diffs []resource.FieldDiff) []string {
	var out []string
	for _, d := range diffs {
		p := d.Path
		if d.ForcesReplace {
			p += " (replace: " + d.Reason + ")"
		}
		out = append(out, p)
	}
	return out
}

func TestDiff(t *testing.T) {
	lb := resource.Props{"name": "kc", "scheme": "internet-facing", "type": "application", "subnets": []any{"subnet-a", "subnet-b"}, "security_groups": []any{"sg-1"}}
	tg := resource.Props{"name": "kc", "port": int64(8080), "protocol": "HTTP", "target_type": "ip", "vpc_id": "vpc-1",
		"health_check_path": "/health/ready", "health_check_port": "9000", "health_check_protocol": "HTTP", "stickiness_enabled": false, "stickiness_type": "lb_cookie"}
	https := resource.Props{"load_balancer_arn": "arn:lb", "port": int64(443), "protocol": "HTTPS", "certificate_arn": "arn:cert", "ssl_policy": "p", "target_group_arn": "arn:tg"}
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
		"lb unchanged": {"subnets compare as sets", &LoadBalancerHandler{}, lb, with(lb, "subnets", []any{"subnet-b", "subnet-a"}), nil},
		"lb internal": {"the scheme cannot change", &LoadBalancerHandler{}, with(lb, "scheme", "internal"), lb,
			[]string{"scheme (replace: a load balancer cannot switch between internet-facing and internal)"}},
		"lb subnets":     {"subnets are set in place", &LoadBalancerHandler{}, with(lb, "subnets", []any{"subnet-a", "subnet-c"}), lb, []string{"subnets"}},
		"tg health port": {"Keycloak 25 moved health to 9000: changed in place", &TargetGroupHandler{}, tg, with(tg, "health_check_port", "8080"), []string{"health_check_port"}},
		"tg stickiness":  {"stickiness is an attribute", &TargetGroupHandler{}, with(tg, "stickiness_enabled", true), tg, []string{"stickiness_enabled"}},
		"tg port":        {"the port is fixed at creation", &TargetGroupHandler{}, with(tg, "port", int64(8443)), tg, []string{"port (replace: a target group's port is fixed at creation)"}},
		"tg vpc unknown": {"a new VPC is known after apply and replaces the group", &TargetGroupHandler{}, with(tg, "vpc_id", resource.Ref{Address: "t.vpc", Attr: "id"}), tg,
			[]string{"vpc_id (replace: a target group's vpc_id is fixed at creation)"}},
		"listener certificate": {"a new certificate is set in place", &ListenerHandler{}, with(https, "certificate_arn", "arn:cert2"), https, []string{"certificate_arn"}},
		"listener moved": {"a listener belongs to its load balancer", &ListenerHandler{}, with(https, "load_balancer_arn", "arn:lb2"), https,
			[]string{"load_balancer_arn (replace: a listener cannot move to another load balancer)"}},
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
