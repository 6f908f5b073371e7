package loadbalancer

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/kcstack/kcstack/pkg/aws/awserr"
	"github.com/kcstack/kcstack/pkg/aws/clients"
	"github.com/kcstack/kcstack/pkg/aws/ownership"
	"github.com/kcstack/kcstack/pkg/resource"
)

// ListenerHandler manages listeners. Props: load_balancer_arn, port,
// protocol, certificate_arn and ssl_policy (HTTPS), and the default
// action: target_group_arn (forward) or redirect_to_https.
type ListenerHandler struct{ clients.Base[API] }

var (
	_ resource.Handler = (*ListenerHandler)(nil)
	_ resource.Tagger  = (*ListenerHandler)(nil)
)

// Props of a listener.
const (
	propListenerLoadBalancerARN = "load_balancer_arn"
	propListenerPort            = "port"
	propListenerProtocol        = "protocol"
	propListenerCertificateARN  = "certificate_arn"
	propListenerSSLPolicy       = "ssl_policy"
	propListenerTargetGroupARN  = "target_group_arn"
	propListenerRedirectToHTTPS = "redirect_to_https"
)

// listenerDescriptor declares elasticloadbalancing:listener. A listener is
// deleted before its load balancer and the target group it forwards to.
var listenerDescriptor = resource.Descriptor{
	Kind:         resource.KindListener,
	TaggingTypes: []string{"elasticloadbalancing:listener"},
	References: []resource.Reference{
		{Prop: propListenerLoadBalancerARN, Kind: resource.KindLoadBalancer, Attr: attrARN},
		{Prop: propListenerTargetGroupARN, Kind: resource.KindTargetGroup, Attr: attrARN},
	},
	Fields: resource.Fields{
		propListenerLoadBalancerARN: {ForcesReplace: true, Reason: "a listener cannot move to another load balancer"},
	},
	DataLoss: resource.NoDataLoss,
	// The port is a listener's natural key on its load balancer: a retry
	// fails with DuplicateListener, which Create adopts.
	Create: resource.Creation{Operations: []string{"CreateListener"}, Idempotent: true},
}

// ListenerCertificate returns the certificate ARN the desired listener d
// serves HTTPS with; "" for a listener without one or another kind.
func ListenerCertificate(d resource.Desired) string {
	if d.Kind != resource.KindListener {
		return ""
	}
	arn, _ := d.Props[propListenerCertificateARN].(string)
	return arn
}

// listener is a listener as desired.
type listener struct {
	loadBalancer, protocol, certificate, sslPolicy, targetGroup string
	port                                                        int32
	redirect                                                    bool
}

// readListener reads the desired listener of d.
func readListener(d resource.Desired) (listener, error) {
	r := resource.Read(d.Props)
	l := listener{
		loadBalancer: r.String(propListenerLoadBalancerARN), port: int32(r.Int(propListenerPort)), protocol: r.String(propListenerProtocol),
		certificate: r.OptString(propListenerCertificateARN), sslPolicy: r.OptString(propListenerSSLPolicy),
		targetGroup: r.OptString(propListenerTargetGroupARN), redirect: r.OptBool(propListenerRedirectToHTTPS),
	}
	if err := r.Err(); err != nil {
		return listener{}, fmt.Errorf("%s: %w", d.Address, err)
	}
	return l, nil
}

// Create makes the listener, tagged at creation.
func (h *ListenerHandler) Create(ctx context.Context, d resource.Desired) (resource.Observation, error) {
	l, err := readListener(d)
	if err != nil {
		return resource.Observation{}, err
	}
	out, err := h.API.CreateListener(ctx, &elb.CreateListenerInput{
		LoadBalancerArn: aws.String(l.loadBalancer), Port: aws.Int32(l.port), Protocol: types.ProtocolEnum(l.protocol),
		Certificates: l.certificates(), SslPolicy: l.sslPolicyOrNil(), DefaultActions: l.defaultActions(), Tags: elbTags(d.Tags),
	})
	if awserr.Is(err, "DuplicateListener") {
		return h.adopt(ctx, d, l, err)
	}
	if err != nil {
		return resource.Observation{}, fmt.Errorf("create listener :%d: %w", l.port, err)
	}
	if len(out.Listeners) == 0 {
		return resource.Observation{}, fmt.Errorf("create listener :%d: no listener in the answer", l.port)
	}
	return listenerObservation(out.Listeners[0], d.Address, h.Stack, d.Tags), nil
}

// adopt takes over the listener on the desired port that a retried create
// found (the port is a listener's natural key on its load balancer), and
// tags and sets it as desired.
func (h *ListenerHandler) adopt(ctx context.Context, d resource.Desired, want listener, dup error) (resource.Observation, error) {
	out, err := h.API.DescribeListeners(ctx, &elb.DescribeListenersInput{LoadBalancerArn: aws.String(want.loadBalancer)})
	if err != nil {
		return resource.Observation{}, fmt.Errorf("create listener :%d: %w (and reading it: %v)", want.port, dup, err)
	}
	for _, l := range out.Listeners {
		if aws.ToInt32(l.Port) != want.port {
			continue
		}
		// Tagged as created, so that the next plan sees it as the stack's.
		if err := setTags(ctx, h.API, aws.ToString(l.ListenerArn), d.Tags, nil); err != nil {
			return resource.Observation{}, fmt.Errorf("create listener :%d: %w", want.port, err)
		}
		return h.Update(ctx, d, listenerObservation(l, d.Address, h.Stack, d.Tags), nil)
	}
	return resource.Observation{}, fmt.Errorf("create listener :%d: %w", want.port, dup)
}

// Update sets port, protocol, certificate, TLS policy and default action.
func (h *ListenerHandler) Update(ctx context.Context, d resource.Desired, o resource.Observation, _ []resource.FieldDiff) (resource.Observation, error) {
	l, err := readListener(d)
	if err != nil {
		return resource.Observation{}, err
	}
	out, err := h.API.ModifyListener(ctx, &elb.ModifyListenerInput{
		ListenerArn: aws.String(o.ID), Port: aws.Int32(l.port), Protocol: types.ProtocolEnum(l.protocol),
		Certificates: l.certificates(), SslPolicy: l.sslPolicyOrNil(), DefaultActions: l.defaultActions(),
	})
	if err != nil {
		return resource.Observation{}, fmt.Errorf("modify listener %s: %w", o.ID, err)
	}
	if len(out.Listeners) == 0 {
		return o, nil
	}
	return listenerObservation(out.Listeners[0], d.Address, h.Stack, o.Tags), nil
}

// SetTags adds, changes and removes the listener's tags.
func (h *ListenerHandler) SetTags(ctx context.Context, o resource.Observation, set map[string]string, remove []string) error {
	return setTags(ctx, h.API, o.ID, set, remove)
}

// Delete deletes the listener; not found is success.
func (h *ListenerHandler) Delete(ctx context.Context, o resource.Observation, _ map[string]string) error {
	_, err := h.API.DeleteListener(ctx, &elb.DeleteListenerInput{ListenerArn: aws.String(o.ID)})
	if err != nil && !awserr.Is(err, "ListenerNotFound") {
		return fmt.Errorf("delete listener %s: %w", o.ID, err)
	}
	return nil
}

func (l listener) certificates() []types.Certificate {
	if l.certificate != "" {
		return []types.Certificate{{CertificateArn: aws.String(l.certificate)}}
	}
	return nil
}

func (l listener) sslPolicyOrNil() *string {
	if l.sslPolicy != "" {
		return aws.String(l.sslPolicy)
	}
	return nil
}

// defaultActions forwards to the target group, or redirects to HTTPS on
// 443 with a permanent redirect.
func (l listener) defaultActions() []types.Action {
	if l.redirect {
		return []types.Action{{Type: types.ActionTypeEnumRedirect, RedirectConfig: &types.RedirectActionConfig{
			Protocol: aws.String("HTTPS"), Port: aws.String("443"), StatusCode: types.RedirectActionStatusCodeEnumHttp301,
		}}}
	}
	return []types.Action{{Type: types.ActionTypeEnumForward, TargetGroupArn: aws.String(l.targetGroup)}}
}

func listenerObservation(l types.Listener, address, stack string, tags map[string]string) resource.Observation {
	arn := aws.ToString(l.ListenerArn)
	props := resource.Props{
		propListenerLoadBalancerARN: aws.ToString(l.LoadBalancerArn), propListenerPort: int64(aws.ToInt32(l.Port)), propListenerProtocol: string(l.Protocol),
	}
	for _, c := range l.Certificates {
		props[propListenerCertificateARN] = aws.ToString(c.CertificateArn)
	}
	if l.SslPolicy != nil {
		props[propListenerSSLPolicy] = aws.ToString(l.SslPolicy)
	}
	for _, a := range l.DefaultActions {
		switch a.Type {
		case types.ActionTypeEnumForward:
			props[propListenerTargetGroupARN] = forwardTarget(a)
		case types.ActionTypeEnumRedirect:
			r := a.RedirectConfig
			props[propListenerRedirectToHTTPS] = r != nil && aws.ToString(r.Protocol) == "HTTPS" && aws.ToString(r.Port) == "443"
		}
	}
	return ownership.Observed(resource.KindListener, address, arn, stack, tags, props, map[string]string{attrARN: arn})
}

// forwardTarget is the target group of a forward action, in either of the
// forms ELBv2 answers.
func forwardTarget(a types.Action) string {
	if a.TargetGroupArn != nil {
		return aws.ToString(a.TargetGroupArn)
	}
	if a.ForwardConfig != nil && len(a.ForwardConfig.TargetGroups) == 1 {
		return aws.ToString(a.ForwardConfig.TargetGroups[0].TargetGroupArn)
	}
	return ""
}
