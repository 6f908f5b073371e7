package elbv2

import (
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
	"github.com/kcstack/kcstack/pkg/sandbox/internal/page"
)

// defaultSSLPolicy is the policy HTTPS listeners get without SslPolicy.
const defaultSSLPolicy = "ELBSecurityPolicy-2016-08"

func createListener(c *api.Call, in *elb.CreateListenerInput) (*elb.CreateListenerOutput, error) {
	r := region(c)
	lb, ok := r.LoadBalancers[aws.ToString(in.LoadBalancerArn)]
	if !ok {
		return nil, api.Errorf(codeLBNotFound, "Load balancers '[%s]' not found", aws.ToString(in.LoadBalancerArn))
	}
	if err := checkTags(in.Tags); err != nil {
		return nil, err
	}
	l := &Listener{L: types.Listener{LoadBalancerArn: in.LoadBalancerArn, Port: in.Port, Protocol: in.Protocol, AlpnPolicy: []string{}}, Tags: in.Tags}
	if l.L.Protocol == "" {
		l.L.Protocol = types.ProtocolEnumHttp
	}
	if l.L.Port == nil {
		l.L.Port = aws.Int32(80)
		if l.L.Protocol == types.ProtocolEnumHttps {
			l.L.Port = aws.Int32(443)
		}
	}
	if err := r.configure(l, lb, in.Certificates, in.SslPolicy, in.DefaultActions, ""); err != nil {
		return nil, err
	}
	arn := strings.Replace(aws.ToString(lb.L.LoadBalancerArn), ":loadbalancer/", ":listener/", 1) + "/" + api.RandomHex(16)
	l.L.ListenerArn = aws.String(arn)
	r.Listeners[arn] = l
	return &elb.CreateListenerOutput{Listeners: []types.Listener{l.L}}, nil
}

// configure validates and applies certificates, SSL policy and actions to
// a listener whose port and protocol are already set. self is the
// listener's own ARN when it is modified.
func (r *Region) configure(l *Listener, lb *LoadBalancer, certs []types.Certificate, policy *string, actions []types.Action, self string) error {
	for arn, other := range r.Listeners {
		if arn != self && aws.ToString(other.L.LoadBalancerArn) == aws.ToString(lb.L.LoadBalancerArn) && aws.ToInt32(other.L.Port) == aws.ToInt32(l.L.Port) {
			return api.Errorf(codeDuplicateL, "A listener already exists on this port for this load balancer '%s'", aws.ToString(lb.L.LoadBalancerArn))
		}
	}
	if l.L.Protocol != types.ProtocolEnumHttp && l.L.Protocol != types.ProtocolEnumHttps {
		return api.Errorf(codeIncompatible, "The protocol '%s' is not supported by application load balancers", l.L.Protocol)
	}
	if certs != nil {
		l.L.Certificates = certs
	}
	if policy != nil {
		l.L.SslPolicy = policy
	}
	if err := checkHTTPS(l); err != nil {
		return err
	}
	if actions == nil {
		return nil
	}
	norm, err := r.normalizeActions(actions, lb, self)
	if err != nil {
		return err
	}
	l.L.DefaultActions = norm
	return nil
}

// checkHTTPS requires a certificate on HTTPS listeners and drops TLS
// settings from HTTP ones.
func checkHTTPS(l *Listener) error {
	if l.L.Protocol == types.ProtocolEnumHttp {
		l.L.Certificates, l.L.SslPolicy = nil, nil
		return nil
	}
	if len(l.L.Certificates) == 0 {
		return api.Errorf(codeValidation, "A certificate must be specified for HTTPS listeners")
	}
	for _, cert := range l.L.Certificates {
		if !strings.HasPrefix(aws.ToString(cert.CertificateArn), "arn:aws:acm:") && !strings.HasPrefix(aws.ToString(cert.CertificateArn), "arn:aws:iam:") {
			return api.Errorf(codeCertNotFound, "Certificate '%s' not found", aws.ToString(cert.CertificateArn))
		}
	}
	if l.L.SslPolicy == nil {
		l.L.SslPolicy = aws.String(defaultSSLPolicy)
	}
	return nil
}

// normalizeActions checks the default actions and returns them as ELBv2
// reports them: a forward action carries both TargetGroupArn and a
// ForwardConfig with weight 1 and stickiness off.
func (r *Region) normalizeActions(actions []types.Action, lb *LoadBalancer, self string) ([]types.Action, error) {
	if len(actions) == 0 {
		return nil, api.Errorf(codeValidation, "A default action must be specified")
	}
	out := make([]types.Action, 0, len(actions))
	for _, a := range actions {
		switch a.Type {
		case types.ActionTypeEnumForward:
			fwd, err := r.forward(a, lb, self)
			if err != nil {
				return nil, err
			}
			out = append(out, fwd)
		case types.ActionTypeEnumRedirect:
			if a.RedirectConfig == nil || a.RedirectConfig.StatusCode == "" {
				return nil, api.Errorf(codeValidation, "A redirect configuration with a status code must be specified for redirect actions")
			}
			rc := *a.RedirectConfig
			rc.Host, rc.Path, rc.Port = orString(rc.Host, "#{host}"), orString(rc.Path, "/#{path}"), orString(rc.Port, "#{port}")
			rc.Protocol, rc.Query = orString(rc.Protocol, "#{protocol}"), orString(rc.Query, "#{query}")
			out = append(out, types.Action{Type: a.Type, Order: a.Order, RedirectConfig: &rc})
		case types.ActionTypeEnumFixedResponse:
			if a.FixedResponseConfig == nil || a.FixedResponseConfig.StatusCode == nil {
				return nil, api.Errorf(codeValidation, "A fixed response configuration with a status code must be specified for fixed-response actions")
			}
			out = append(out, a)
		default:
			return nil, api.Errorf(codeInvalidAction, "The sandbox does not emulate '%s' actions", a.Type)
		}
	}
	return out, nil
}

func (r *Region) forward(a types.Action, lb *LoadBalancer, self string) (types.Action, error) {
	targets := forwardTargets([]types.Action{a})
	if len(targets) == 0 {
		return a, api.Errorf(codeValidation, "A target group ARN must be specified for forward actions")
	}
	for _, arn := range targets {
		tg, err := r.findTargetGroup(arn)
		if err != nil {
			return a, err
		}
		if aws.ToString(tg.G.VpcId) != aws.ToString(lb.L.VpcId) {
			return a, api.Errorf(codeValidation, "The target group '%s' is not in the load balancer's VPC", arn)
		}
		for _, other := range r.loadBalancersOf(arn) {
			if other != aws.ToString(lb.L.LoadBalancerArn) && !r.onlyVia(arn, other, self) {
				return a, api.Errorf(codeAssocLimit, "The following target groups cannot be associated with more than one load balancer: %s", arn)
			}
		}
	}
	out := types.Action{Type: a.Type, Order: a.Order}
	cfg := &types.ForwardActionConfig{TargetGroupStickinessConfig: &types.TargetGroupStickinessConfig{Enabled: aws.Bool(false)}}
	if a.ForwardConfig != nil {
		if a.ForwardConfig.TargetGroupStickinessConfig != nil {
			cfg.TargetGroupStickinessConfig = a.ForwardConfig.TargetGroupStickinessConfig
		}
	}
	for _, arn := range targets {
		cfg.TargetGroups = append(cfg.TargetGroups, types.TargetGroupTuple{TargetGroupArn: aws.String(arn), Weight: aws.Int32(1)})
	}
	if len(targets) == 1 {
		out.TargetGroupArn = aws.String(targets[0])
	}
	out.ForwardConfig = cfg
	return out, nil
}

// onlyVia reports whether the target group reaches load balancer lbARN
// only through the listener self (which is being modified).
func (r *Region) onlyVia(tgARN, lbARN, self string) bool {
	for arn, l := range r.Listeners {
		if arn != self && aws.ToString(l.L.LoadBalancerArn) == lbARN && contains(forwardTargets(l.L.DefaultActions), tgARN) {
			return false
		}
	}
	return true
}

func describeListeners(c *api.Call, in *elb.DescribeListenersInput) (*elb.DescribeListenersOutput, error) {
	r := region(c)
	var found []*Listener
	switch {
	case len(in.ListenerArns) > 0:
		for _, arn := range in.ListenerArns {
			l, ok := r.Listeners[arn]
			if !ok {
				return nil, api.Errorf(codeListenerNotFound, "One or more listeners not found")
			}
			found = append(found, l)
		}
	case in.LoadBalancerArn != nil:
		if r.LoadBalancers[*in.LoadBalancerArn] == nil {
			return nil, api.Errorf(codeLBNotFound, "Load balancers '[%s]' not found", *in.LoadBalancerArn)
		}
		for _, l := range r.Listeners {
			if aws.ToString(l.L.LoadBalancerArn) == *in.LoadBalancerArn {
				found = append(found, l)
			}
		}
		sort.Slice(found, func(i, j int) bool { return aws.ToInt32(found[i].L.Port) < aws.ToInt32(found[j].L.Port) })
	default:
		return nil, api.Errorf(codeValidation, "You must specify either listener ARNs or a load balancer ARN")
	}
	list, next, err := page.Of(found, in.Marker, in.PageSize, paging)
	if err != nil {
		return nil, err
	}
	out := &elb.DescribeListenersOutput{Listeners: []types.Listener{}, NextMarker: next}
	for _, l := range list {
		out.Listeners = append(out.Listeners, l.L)
	}
	return out, nil
}

func modifyListener(c *api.Call, in *elb.ModifyListenerInput) (*elb.ModifyListenerOutput, error) {
	r := region(c)
	arn := aws.ToString(in.ListenerArn)
	l, ok := r.Listeners[arn]
	if !ok {
		return nil, api.Errorf(codeListenerNotFound, "Listener '%s' not found", arn)
	}
	next := &Listener{L: l.L, Tags: l.Tags}
	if in.Port != nil {
		next.L.Port = in.Port
	}
	if in.Protocol != "" {
		next.L.Protocol = in.Protocol
	}
	lb := r.LoadBalancers[aws.ToString(l.L.LoadBalancerArn)]
	if err := r.configure(next, lb, in.Certificates, in.SslPolicy, in.DefaultActions, arn); err != nil {
		return nil, err
	}
	r.Listeners[arn] = next
	return &elb.ModifyListenerOutput{Listeners: []types.Listener{next.L}}, nil
}

func deleteListener(c *api.Call, in *elb.DeleteListenerInput) (*elb.DeleteListenerOutput, error) {
	r := region(c)
	arn := aws.ToString(in.ListenerArn)
	if _, ok := r.Listeners[arn]; !ok {
		return nil, api.Errorf(codeListenerNotFound, "Listener '%s' not found", arn)
	}
	delete(r.Listeners, arn)
	return &elb.DeleteListenerOutput{}, nil
}
