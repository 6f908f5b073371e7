package elbv2

import (
	"maps"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
	"github.com/kcstack/kcstack/pkg/sandbox/internal/tagset"
)

// lbDefaults are the attributes of a new application load balancer.
var lbDefaults = map[string]string{
	"access_logs.s3.enabled":                                   "false",
	"access_logs.s3.bucket":                                    "",
	"access_logs.s3.prefix":                                    "",
	"client_keep_alive.seconds":                                "3600",
	"connection_logs.s3.enabled":                               "false",
	"deletion_protection.enabled":                              "false",
	"idle_timeout.timeout_seconds":                             "60",
	"routing.http.desync_mitigation_mode":                      "defensive",
	"routing.http.drop_invalid_header_fields.enabled":          "false",
	"routing.http.preserve_host_header.enabled":                "false",
	"routing.http.x_amzn_tls_version_and_cipher_suite.enabled": "false",
	"routing.http.xff_client_port.enabled":                     "false",
	"routing.http.xff_header_processing.mode":                  "append",
	"routing.http2.enabled":                                    "true",
	"waf.fail_open.enabled":                                    "false",
	"zonal_shift.config.enabled":                               "false",
}

// attributes returns every attribute of the load balancer.
func (lb *LoadBalancer) attributes() map[string]string {
	out := maps.Clone(lbDefaults)
	maps.Copy(out, lb.Attributes)
	return out
}

func lbAttributeList(m map[string]string) []types.LoadBalancerAttribute {
	return tagset.Sorted(m, func(k, v string) types.LoadBalancerAttribute {
		return types.LoadBalancerAttribute{Key: aws.String(k), Value: aws.String(v)}
	})
}

func describeLoadBalancerAttributes(c *api.Call, in *elb.DescribeLoadBalancerAttributesInput) (*elb.DescribeLoadBalancerAttributesOutput, error) {
	lb, err := findLoadBalancer(region(c), in.LoadBalancerArn)
	if err != nil {
		return nil, err
	}
	return &elb.DescribeLoadBalancerAttributesOutput{Attributes: lbAttributeList(lb.attributes())}, nil
}

func modifyLoadBalancerAttributes(c *api.Call, in *elb.ModifyLoadBalancerAttributesInput) (*elb.ModifyLoadBalancerAttributesOutput, error) {
	lb, err := findLoadBalancer(region(c), in.LoadBalancerArn)
	if err != nil {
		return nil, err
	}
	next := maps.Clone(lb.Attributes)
	if next == nil {
		next = map[string]string{}
	}
	for _, a := range in.Attributes {
		k, v := aws.ToString(a.Key), aws.ToString(a.Value)
		if err := checkLBAttribute(k, v); err != nil {
			return nil, err
		}
		next[k] = v
	}
	lb.Attributes = next
	return &elb.ModifyLoadBalancerAttributesOutput{Attributes: lbAttributeList(lb.attributes())}, nil
}

// checkLBAttribute validates one load balancer attribute as ELBv2 does.
func checkLBAttribute(k, v string) error {
	def, known := lbDefaults[k]
	if !known {
		return api.Errorf(codeValidation, "Load balancer attribute key '%s' is not recognized", k)
	}
	bad := api.Errorf(codeValidation, "'%s' is not a valid value for load balancer attribute '%s'", v, k)
	switch {
	case def == "true" || def == "false":
		if v != "true" && v != "false" {
			return bad
		}
	case k == "idle_timeout.timeout_seconds":
		if n, err := strconv.Atoi(v); err != nil || n < 1 || n > 4000 {
			return bad
		}
	case k == "client_keep_alive.seconds":
		if n, err := strconv.Atoi(v); err != nil || n < 60 || n > 604800 {
			return bad
		}
	}
	return nil
}
