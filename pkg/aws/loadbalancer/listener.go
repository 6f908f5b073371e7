package loadbalancer

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/kcstack/kcstack/pkg/aws/ownership"
	"github.com/kcstack/kcstack/pkg/resource"
)

// ListenerHandler manages listeners. Props: load_balancer_arn, port,
// protocol, certificate_arn and ssl_policy (HTTPS), and the default
// action: target_group_arn (forward) or redirect_to_https.
type ListenerHandler struct {
	API   API
	Stack string
}

var (
	_ resource.Handler = (*ListenerHandler)(nil)
	_ resource.Tagger  = (*ListenerHandler)(nil)
)

// Kind is elasticloadbalancing:listener.
func (h *ListenerHandler) Kind() resource.Kind { return resource.KindListener }

// Diff compares the listener; only its load balancer forces replacement.
func (h *ListenerHandler) Diff(d resource.Desired, o resource.Observation) []resource.FieldDiff {
	return resource.DiffProps(d.Props, o.Props, resource.Fields{
		"load_balancer_arn": {ForcesReplace: true, Reason: "a listener cannot move to another load balancer"},
	}, d.Sensitive)
}

// Create makes the listener, tagged at creation.
func (h *ListenerHandler) Create(ctx context.Context, d resource.Desired) (resource.Observation, error) {
	p := d.Props
	out, err := h.API.CreateListener(ctx, &elb.CreateListenerInput{
		LoadBalancerArn: aws.String(ownership.Str(p, "load_balancer_arn")), Port: aws.Int32(int32(ownership.Int(p, "port"))),
		Protocol: types.ProtocolEnum(ownership.Str(p, "protocol")), Certificates: certificates(p), SslPolicy: sslPolicy(p),
		DefaultActions: defaultActions(p), Tags: elbTags(d.Tags),
	})
	if ownership.ErrorCode(err) == "DuplicateListener" {
		return h.adopt(ctx, d, err)
	}
	if err != nil {
		return resource.Observation{}, fmt.Errorf("create listener :%d: %w", ownership.Int(p, "port"), err)
	}
	if len(out.Listeners) == 0 {
		return resource.Observation{}, fmt.Errorf("create listener :%d: no listener in the answer", ownership.Int(p, "port"))
	}
	return listenerObservation(out.Listeners[0], d.Address, h.Stack, d.Tags), nil
}

// adopt takes over the listener on the desired port that a retried create
// found (the port is a listener's natural key on its load balancer), and
// tags and sets it as desired.
func (h *ListenerHandler) adopt(ctx context.Context, d resource.Desired, dup error) (resource.Observation, error) {
	lb, port := ownership.Str(d.Props, "load_balancer_arn"), int32(ownership.Int(d.Props, "port"))
	out, err := h.API.DescribeListeners(ctx, &elb.DescribeListenersInput{LoadBalancerArn: aws.String(lb)})
	if err != nil {
		return resource.Observation{}, fmt.Errorf("create listener :%d: %w (and reading it: %v)", port, dup, err)
	}
	for _, l := range out.Listeners {
		if aws.ToInt32(l.Port) != port {
			continue
		}
		// Tagged as created, so that the next plan sees it as the stack's.
		if err := setTags(ctx, h.API, aws.ToString(l.ListenerArn), d.Tags, nil); err != nil {
			return resource.Observation{}, fmt.Errorf("create listener :%d: %w", port, err)
		}
		return h.Update(ctx, d, listenerObservation(l, d.Address, h.Stack, d.Tags), nil)
	}
	return resource.Observation{}, fmt.Errorf("create listener :%d: %w", port, dup)
}

// Update sets port, protocol, certificate, TLS policy and default action.
func (h *ListenerHandler) Update(ctx context.Context, d resource.Desired, o resource.Observation, _ []resource.FieldDiff) (resource.Observation, error) {
	p := d.Props
	out, err := h.API.ModifyListener(ctx, &elb.ModifyListenerInput{
		ListenerArn: aws.String(o.ID), Port: aws.Int32(int32(ownership.Int(p, "port"))), Protocol: types.ProtocolEnum(ownership.Str(p, "protocol")),
		Certificates: certificates(p), SslPolicy: sslPolicy(p), DefaultActions: defaultActions(p),
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
	if err != nil && ownership.ErrorCode(err) != "ListenerNotFound" {
		return fmt.Errorf("delete listener %s: %w", o.ID, err)
	}
	return nil
}

func certificates(p resource.Props) []types.Certificate {
	if c := ownership.Str(p, "certificate_arn"); c != "" {
		return []types.Certificate{{CertificateArn: aws.String(c)}}
	}
	return nil
}

func sslPolicy(p resource.Props) *string {
	if s := ownership.Str(p, "ssl_policy"); s != "" {
		return aws.String(s)
	}
	return nil
}

// defaultActions forwards to the target group, or redirects to HTTPS on
// 443 with a permanent redirect.
func defaultActions(p resource.Props) []types.Action {
	if ownership.Bool(p, "redirect_to_https") {
		return []types.Action{{Type: types.ActionTypeEnumRedirect, RedirectConfig: &types.RedirectActionConfig{
			Protocol: aws.String("HTTPS"), Port: aws.String("443"), StatusCode: types.RedirectActionStatusCodeEnumHttp301,
		}}}
	}
	return []types.Action{{Type: types.ActionTypeEnumForward, TargetGroupArn: aws.String(ownership.Str(p, "target_group_arn"))}}
}

func listenerObservation(l types.Listener, address, stack string, tags map[string]string) resource.Observation {
	arn := aws.ToString(l.ListenerArn)
	props := resource.Props{
		"load_balancer_arn": aws.ToString(l.LoadBalancerArn), "port": int64(aws.ToInt32(l.Port)), "protocol": string(l.Protocol),
	}
	for _, c := range l.Certificates {
		props["certificate_arn"] = aws.ToString(c.CertificateArn)
	}
	if l.SslPolicy != nil {
		props["ssl_policy"] = aws.ToString(l.SslPolicy)
	}
	for _, a := range l.DefaultActions {
		switch a.Type {
		case types.ActionTypeEnumForward:
			props["target_group_arn"] = forwardTarget(a)
		case types.ActionTypeEnumRedirect:
			r := a.RedirectConfig
			props["redirect_to_https"] = r != nil && aws.ToString(r.Protocol) == "HTTPS" && aws.ToString(r.Port) == "443"
		}
	}
	return ownership.Observed(resource.KindListener, address, arn, stack, tags, props, map[string]string{"arn": arn})
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
