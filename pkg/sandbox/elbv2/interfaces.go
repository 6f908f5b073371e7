package elbv2

import (
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

var _ api.Interfaces = (*State)(nil)

// NetworkInterfaces lists one interface per subnet of every load balancer
// in region, described as AWS does: "ELB app/<name>/<id>".
func (s *State) NetworkInterfaces(region string) []api.NetworkInterface {
	r := s.Regions[region]
	if r == nil {
		return nil
	}
	var out []api.NetworkInterface
	for arn, lb := range r.LoadBalancers {
		typ := "interface"
		if lb.L.Type == types.LoadBalancerTypeEnumNetwork {
			typ = "network_load_balancer"
		}
		desc := "ELB " + arn[strings.Index(arn, ":loadbalancer/")+len(":loadbalancer/"):]
		for _, z := range lb.L.AvailabilityZones {
			subnet := aws.ToString(z.SubnetId)
			if subnet == "" {
				continue
			}
			out = append(out, api.NetworkInterface{
				Key: arn + "/" + subnet, SubnetID: subnet, SecurityGroups: lb.L.SecurityGroups,
				Description: desc, InterfaceType: typ, RequesterID: "amazon-elb",
			})
		}
	}
	return out
}
