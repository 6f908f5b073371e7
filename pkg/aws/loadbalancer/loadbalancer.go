package loadbalancer

import (
	"context"
	"fmt"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/kcstack/kcstack/pkg/aws/awserr"
	"github.com/kcstack/kcstack/pkg/aws/clients"
	"github.com/kcstack/kcstack/pkg/aws/ownership"
	"github.com/kcstack/kcstack/pkg/aws/poll"
	"github.com/kcstack/kcstack/pkg/aws/tagged"
	"github.com/kcstack/kcstack/pkg/resource"
)

// LoadBalancerHandler manages application load balancers. Props: name,
// scheme, type, subnets, security_groups, drop_invalid_header_fields (the
// attribute routing.http.drop_invalid_header_fields.enabled).
type LoadBalancerHandler struct{ clients.Base[API] }

var (
	_ resource.Handler = (*LoadBalancerHandler)(nil)
	_ resource.Finder  = (*LoadBalancerHandler)(nil)
	_ resource.Tagger  = (*LoadBalancerHandler)(nil)
)

// Props of a load balancer.
const (
	propLBName           = "name"
	propLBScheme         = "scheme"
	propLBType           = "type"
	propLBSubnets        = "subnets"
	propLBSecurityGroups = "security_groups"
	propLBDropInvalid    = "drop_invalid_header_fields"
)

// attrDropInvalid is the load balancer attribute propLBDropInvalid holds.
const attrDropInvalid = "routing.http.drop_invalid_header_fields.enabled"

// Attrs every load balancing kind's observation carries.
const (
	attrARN  = "arn"
	attrName = "name"
)

// loadBalancerDescriptor declares elasticloadbalancing:loadbalancer. A
// load balancer is deleted after its listeners (which refer to it) and
// before its subnets and security groups, which its network interfaces
// hold until it is gone.
var loadBalancerDescriptor = resource.Descriptor{
	Kind:         resource.KindLoadBalancer,
	TaggingTypes: []string{"elasticloadbalancing:loadbalancer"},
	References: []resource.Reference{
		{Prop: propLBSubnets, Kind: resource.KindSubnet, Attr: "id"},
		{Prop: propLBSecurityGroups, Kind: resource.KindSecurityGroup, Attr: "id"},
	},
	Fields: resource.Fields{
		propLBName:   {ForcesReplace: true, Reason: "a load balancer cannot be renamed"},
		propLBScheme: {ForcesReplace: true, Reason: "a load balancer cannot switch between internet-facing and internal"},
		propLBType:   {ForcesReplace: true, Reason: "a load balancer's type cannot change"},
	},
	DataLoss: resource.NoDataLoss,
	// ELBv2 answers a repeated create of the same name and settings with
	// the existing load balancer.
	Create: resource.Creation{Operations: []string{"CreateLoadBalancer"}, Idempotent: true},
	Outputs: []resource.Output{
		{Name: "load_balancer_dns_name", Attr: "dns_name", Description: "the load balancer's DNS name: point the Keycloak hostname's DNS record at it", Host: true},
	},
}

// Create makes the load balancer, tagged at creation. ELBv2 answers a
// repeated create of the same name and settings with the existing one.
func (h *LoadBalancerHandler) Create(ctx context.Context, d resource.Desired) (resource.Observation, error) {
	r := resource.Read(d.Props)
	name, scheme, typ := r.String(propLBName), r.String(propLBScheme), r.String(propLBType)
	subnets, groups := r.Strings(propLBSubnets), r.Strings(propLBSecurityGroups)
	if err := r.Err(); err != nil {
		return resource.Observation{}, fmt.Errorf("%s: %w", d.Address, err)
	}
	out, err := h.API.CreateLoadBalancer(ctx, &elb.CreateLoadBalancerInput{
		Name: aws.String(name), Scheme: types.LoadBalancerSchemeEnum(scheme), Type: types.LoadBalancerTypeEnum(typ),
		Subnets: subnets, SecurityGroups: groups, Tags: elbTags(d.Tags),
	})
	if err != nil {
		return resource.Observation{}, fmt.Errorf("create load balancer %s: %w", name, err)
	}
	if len(out.LoadBalancers) == 0 {
		return resource.Observation{}, fmt.Errorf("create load balancer %s: no load balancer in the answer", name)
	}
	ob := lbObservation(out.LoadBalancers[0], d.Address, h.Stack, d.Tags)
	return ob, h.setAttributes(ctx, d, &ob)
}

// setAttributes sets the attributes the desired props hold on the load
// balancer o, and records them in o.
func (h *LoadBalancerHandler) setAttributes(ctx context.Context, d resource.Desired, o *resource.Observation) error {
	r := resource.Read(d.Props)
	drop := r.Bool(propLBDropInvalid)
	if err := r.Err(); err != nil {
		return fmt.Errorf("%s: %w", d.Address, err)
	}
	_, err := h.API.ModifyLoadBalancerAttributes(ctx, &elb.ModifyLoadBalancerAttributesInput{LoadBalancerArn: aws.String(o.ID),
		Attributes: []types.LoadBalancerAttribute{{Key: aws.String(attrDropInvalid), Value: aws.String(strconv.FormatBool(drop))}}})
	if err != nil {
		return fmt.Errorf("set attributes of load balancer %s: %w", o.ID, err)
	}
	o.Props[propLBDropInvalid] = drop
	return nil
}

// Update sets the subnets, the security groups and the attributes.
func (h *LoadBalancerHandler) Update(ctx context.Context, d resource.Desired, o resource.Observation, _ []resource.FieldDiff) (resource.Observation, error) {
	r := resource.Read(d.Props)
	subnets, groups := r.Strings(propLBSubnets), r.Strings(propLBSecurityGroups)
	if err := r.Err(); err != nil {
		return resource.Observation{}, fmt.Errorf("%s: %w", d.Address, err)
	}
	if _, err := h.API.SetSubnets(ctx, &elb.SetSubnetsInput{LoadBalancerArn: aws.String(o.ID), Subnets: subnets}); err != nil {
		return resource.Observation{}, fmt.Errorf("set subnets of load balancer %s: %w", o.ID, err)
	}
	if _, err := h.API.SetSecurityGroups(ctx, &elb.SetSecurityGroupsInput{LoadBalancerArn: aws.String(o.ID), SecurityGroups: groups}); err != nil {
		return resource.Observation{}, fmt.Errorf("set security groups of load balancer %s: %w", o.ID, err)
	}
	o.Address = d.Address
	o.Props = copyProps(o.Props)
	o.Props[propLBSubnets], o.Props[propLBSecurityGroups] = resource.List(subnets), resource.List(groups)
	return o, h.setAttributes(ctx, d, &o)
}

// SetTags adds, changes and removes the load balancer's tags.
func (h *LoadBalancerHandler) SetTags(ctx context.Context, o resource.Observation, set map[string]string, remove []string) error {
	return setTags(ctx, h.API, o.ID, set, remove)
}

// Delete deletes the load balancer and waits until it is gone (its network
// interfaces hold the subnets and security groups deleted next). Not found
// is success.
func (h *LoadBalancerHandler) Delete(ctx context.Context, o resource.Observation, _ map[string]string) error {
	_, err := h.API.DeleteLoadBalancer(ctx, &elb.DeleteLoadBalancerInput{LoadBalancerArn: aws.String(o.ID)})
	if err != nil && !awserr.Is(err, "LoadBalancerNotFound") {
		return fmt.Errorf("delete load balancer %s: %w", o.ID, err)
	}
	return poll.Until(ctx, "load balancer "+o.ID+" to be deleted", h.wait(), func(ctx context.Context) (bool, string, error) {
		_, err := h.API.DescribeLoadBalancers(ctx, &elb.DescribeLoadBalancersInput{LoadBalancerArns: []string{o.ID}})
		switch {
		case awserr.Is(err, "LoadBalancerNotFound"):
			return true, "", nil
		case err != nil:
			return false, "", fmt.Errorf("describe load balancer %s: %w", o.ID, err)
		}
		return false, "deleting", nil
	})
}

// FindByAddress finds the load balancer the stack tagged with address.
func (h *LoadBalancerHandler) FindByAddress(ctx context.Context, stack, address string) (resource.Observation, error) {
	lbs, err := describeLoadBalancers(ctx, h.API)
	if err != nil {
		return resource.Observation{Address: address, Kind: resource.KindLoadBalancer}, err
	}
	arns := make([]string, len(lbs))
	for i, lb := range lbs {
		arns[i] = aws.ToString(lb.LoadBalancerArn)
	}
	tags, err := describeTags(ctx, h.API, arns)
	if err != nil {
		return resource.Observation{Address: address, Kind: resource.KindLoadBalancer}, err
	}
	for _, lb := range lbs {
		t := tags[aws.ToString(lb.LoadBalancerArn)]
		if t[resource.TagStack] == stack && t[resource.TagAddress] == address {
			return lbObservation(lb, address, stack, t), nil
		}
	}
	return resource.Observation{Address: address, Kind: resource.KindLoadBalancer}, nil
}

func (h *LoadBalancerHandler) wait() poll.Options { return h.WaitOr(clients.DeleteWait) }

func describeLoadBalancers(ctx context.Context, api API) ([]types.LoadBalancer, error) {
	var out []types.LoadBalancer
	p := elb.NewDescribeLoadBalancersPaginator(api, &elb.DescribeLoadBalancersInput{})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("describe load balancers: %w", err)
		}
		out = append(out, page.LoadBalancers...)
	}
	return out, nil
}

// lbAttributes reads the attributes of load balancer arn.
func lbAttributes(ctx context.Context, api API, arn string) (map[string]string, error) {
	out, err := api.DescribeLoadBalancerAttributes(ctx, &elb.DescribeLoadBalancerAttributesInput{LoadBalancerArn: aws.String(arn)})
	if err != nil {
		return nil, fmt.Errorf("describe attributes of load balancer %s: %w", arn, err)
	}
	return tagged.Map(out.Attributes, func(a types.LoadBalancerAttribute) (*string, *string) { return a.Key, a.Value }), nil
}

// withAttributes adds the attributes attrs to the observation of a load
// balancer.
func withAttributes(ob resource.Observation, attrs map[string]string) resource.Observation {
	ob.Props[propLBDropInvalid] = attrs[attrDropInvalid] == "true"
	return ob
}

func lbObservation(lb types.LoadBalancer, address, stack string, tags map[string]string) resource.Observation {
	var subnets []string
	for _, az := range lb.AvailabilityZones {
		subnets = append(subnets, aws.ToString(az.SubnetId))
	}
	arn := aws.ToString(lb.LoadBalancerArn)
	props := resource.Props{
		propLBName: aws.ToString(lb.LoadBalancerName), propLBScheme: string(lb.Scheme), propLBType: string(lb.Type),
		propLBSubnets: resource.List(subnets), propLBSecurityGroups: resource.List(lb.SecurityGroups),
	}
	return ownership.Observed(resource.KindLoadBalancer, address, arn, stack, tags, props, map[string]string{
		attrARN: arn, attrName: aws.ToString(lb.LoadBalancerName), "dns_name": aws.ToString(lb.DNSName),
		"canonical_hosted_zone_id": aws.ToString(lb.CanonicalHostedZoneId),
	})
}
