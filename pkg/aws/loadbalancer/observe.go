package loadbalancer

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"golang.org/x/sync/errgroup"

	"github.com/kcstack/kcstack/pkg/aws/clients"
	"github.com/kcstack/kcstack/pkg/aws/ownership"
	"github.com/kcstack/kcstack/pkg/resource"
)

// Observer reads load balancers with their listeners and attributes, and
// target groups with their attributes, as a part of the shared tagging observer
// (tagged.Observer, round 2): one paginated describe of each kind, their
// tags twenty per call, the listeners and attributes of each load balancer
// kept, and the attributes of each target group kept. A stack that neither desires nor
// owns load balancing resources makes no ELBv2 call.
type Observer struct {
	API API
}

var _ clients.TaggedObserver = (*Observer)(nil)

// kinds are the kinds Observer reads.
var kinds = []resource.Kind{resource.KindLoadBalancer, resource.KindListener, resource.KindTargetGroup}

// ObserveTagged reads them given the stack's tagged resources: no ELBv2
// call when the stack neither desires nor owns any.
func (o *Observer) ObserveTagged(ctx context.Context, q resource.Query, listed map[string]map[string]string) ([]resource.Observation, error) {
	if !ownership.Wanted(q, listed, ":elasticloadbalancing:", kinds...) {
		return ownership.Complete(q, nil, kinds...), nil
	}
	c := &ownership.Collector{}
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error { return o.loadBalancers(ctx, q, c) })
	g.Go(func() error { return o.targetGroups(ctx, q, c) })
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return ownership.Complete(q, c.Observations(), kinds...), nil
}

func (o *Observer) loadBalancers(ctx context.Context, q resource.Query, c *ownership.Collector) error {
	lbs, err := describeLoadBalancers(ctx, o.API)
	if err != nil {
		return err
	}
	arns := make([]string, len(lbs))
	for i, lb := range lbs {
		arns[i] = aws.ToString(lb.LoadBalancerArn)
	}
	tags, err := describeTags(ctx, o.API, arns)
	if err != nil {
		return err
	}
	g, ctx := errgroup.WithContext(ctx)
	for _, lb := range lbs {
		arn := aws.ToString(lb.LoadBalancerArn)
		addr, ok := ownership.Address(q, resource.KindLoadBalancer, propLBName, aws.ToString(lb.LoadBalancerName), tags[arn])
		if !ok {
			continue
		}
		ob := lbObservation(lb, addr, q.Stack, tags[arn])
		if !ob.Owned {
			c.Add(ob)
			continue
		}
		g.Go(func() error { return o.listeners(ctx, q, arn, c) })
		g.Go(func() error {
			attrs, err := lbAttributes(ctx, o.API, arn)
			if err == nil {
				c.Add(withAttributes(ob, attrs))
			}
			return err
		})
	}
	return g.Wait()
}

// listeners reads the listeners of one of the stack's load balancers.
func (o *Observer) listeners(ctx context.Context, q resource.Query, lb string, c *ownership.Collector) error {
	var arns []string
	var found []resource.Observation
	p := elb.NewDescribeListenersPaginator(o.API, &elb.DescribeListenersInput{LoadBalancerArn: aws.String(lb)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("describe listeners of %s: %w", lb, err)
		}
		for _, l := range page.Listeners {
			arns = append(arns, aws.ToString(l.ListenerArn))
			found = append(found, listenerObservation(l, "", q.Stack, nil))
		}
	}
	tags, err := describeTags(ctx, o.API, arns)
	if err != nil {
		return err
	}
	for _, ob := range found {
		t := tags[ob.ID]
		if t[resource.TagStack] != q.Stack || t[resource.TagAddress] == "" {
			continue // listeners have no name: untagged ones are not the stack's
		}
		ob.Tags, ob.Owned, ob.Address = t, true, t[resource.TagAddress]
		c.Add(ob)
	}
	return nil
}

func (o *Observer) targetGroups(ctx context.Context, q resource.Query, c *ownership.Collector) error {
	tgs, err := describeTargetGroups(ctx, o.API)
	if err != nil {
		return err
	}
	arns := make([]string, len(tgs))
	for i, tg := range tgs {
		arns[i] = aws.ToString(tg.TargetGroupArn)
	}
	tags, err := describeTags(ctx, o.API, arns)
	if err != nil {
		return err
	}
	g, ctx := errgroup.WithContext(ctx)
	for _, tg := range tgs {
		arn := aws.ToString(tg.TargetGroupArn)
		addr, ok := ownership.Address(q, resource.KindTargetGroup, propTGName, aws.ToString(tg.TargetGroupName), tags[arn])
		if !ok {
			continue
		}
		g.Go(func() error {
			attrs, err := tgAttributes(ctx, o.API, arn)
			if err == nil {
				c.Add(tgObservation(tg, addr, q.Stack, tags[arn], attrs))
			}
			return err
		})
	}
	return g.Wait()
}
