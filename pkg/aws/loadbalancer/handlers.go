package loadbalancer

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	tagging "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi"

	"github.com/kcstack/kcstack/pkg/resource"
)

// New returns the handlers of the load balancing kinds and their observer,
// over one ELBv2 client made from cfg.
func New(cfg aws.Config, stack string) ([]resource.Handler, *Observer) {
	api := elb.NewFromConfig(cfg)
	return []resource.Handler{
		&LoadBalancerHandler{API: api, Stack: stack}, &TargetGroupHandler{API: api, Stack: stack}, &ListenerHandler{API: api, Stack: stack},
	}, &Observer{API: api, Tagging: tagging.NewFromConfig(cfg)}
}
