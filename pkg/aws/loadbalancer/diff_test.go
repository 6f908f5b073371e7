package loadbalancer

import (
	"testing"

	"github.com/kcstack/kcstack/pkg/aws/awstest"
	"github.com/kcstack/kcstack/pkg/resource"
)

func TestDiff(t *testing.T) {
	lb := resource.Props{"name": "kc", "scheme": "internet-facing", "type": "application", "subnets": []any{"subnet-a", "subnet-b"}, "security_groups": []any{"sg-1"}}
	tg := resource.Props{"name": "kc", "port": int64(8080), "protocol": "HTTP", "target_type": "ip", "vpc_id": "vpc-1",
		"health_check_path": "/health/ready", "health_check_port": "9000", "health_check_protocol": "HTTP", "stickiness_enabled": false, "stickiness_type": "lb_cookie"}
	https := resource.Props{"load_balancer_arn": "arn:lb", "port": int64(443), "protocol": "HTTPS", "certificate_arn": "arn:cert", "ssl_policy": "p", "target_group_arn": "arn:tg"}
	awstest.CheckDiffs(t, Register, map[string]awstest.DiffCase{
		"lb unchanged":         {Reason: "subnets compare as sets", Kind: resource.KindLoadBalancer, Desired: lb, Live: awstest.With(lb, "subnets", []any{"subnet-b", "subnet-a"})},
		"lb internal":          {Reason: "the scheme cannot change", Kind: resource.KindLoadBalancer, Desired: awstest.With(lb, "scheme", "internal"), Live: lb, Want: []string{"scheme (replace: a load balancer cannot switch between internet-facing and internal)"}},
		"lb subnets":           {Reason: "subnets are set in place", Kind: resource.KindLoadBalancer, Desired: awstest.With(lb, "subnets", []any{"subnet-a", "subnet-c"}), Live: lb, Want: []string{"subnets"}},
		"tg health port":       {Reason: "Keycloak 25 moved health to 9000: changed in place", Kind: resource.KindTargetGroup, Desired: tg, Live: awstest.With(tg, "health_check_port", "8080"), Want: []string{"health_check_port"}},
		"tg stickiness":        {Reason: "stickiness is an attribute", Kind: resource.KindTargetGroup, Desired: awstest.With(tg, "stickiness_enabled", true), Live: tg, Want: []string{"stickiness_enabled"}},
		"tg port":              {Reason: "the port is fixed at creation", Kind: resource.KindTargetGroup, Desired: awstest.With(tg, "port", int64(8443)), Live: tg, Want: []string{"port (replace: a target group's port is fixed at creation)"}},
		"tg vpc unknown":       {Reason: "a new VPC is known after apply and replaces the group", Kind: resource.KindTargetGroup, Desired: awstest.With(tg, "vpc_id", resource.Ref{Address: "t.vpc", Attr: "id"}), Live: tg, Want: []string{"vpc_id (replace: a target group's vpc_id is fixed at creation) (known after apply)"}},
		"listener certificate": {Reason: "a new certificate is set in place", Kind: resource.KindListener, Desired: awstest.With(https, "certificate_arn", "arn:cert2"), Live: https, Want: []string{"certificate_arn"}},
		"listener moved":       {Reason: "a listener belongs to its load balancer", Kind: resource.KindListener, Desired: awstest.With(https, "load_balancer_arn", "arn:lb2"), Live: https, Want: []string{"load_balancer_arn (replace: a listener cannot move to another load balancer)"}},
	})
}
