package elbv2

import (
	"slices"
	"sort"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
	"github.com/kcstack/kcstack/pkg/sandbox/internal/lazy"
)

// State is the ELBv2 state: resources by region.
type State struct{ lazy.Regional[Region] }

var (
	_ api.Ticker     = (*State)(nil)
	_ api.Tagged     = (*State)(nil)
	_ api.Dependents = (*State)(nil)
)

// Region holds one region's load balancers, target groups and listeners,
// each keyed by ARN.
type Region struct {
	LoadBalancers map[string]*LoadBalancer `json:"load_balancers,omitempty"`
	TargetGroups  map[string]*TargetGroup  `json:"target_groups,omitempty"`
	Listeners     map[string]*Listener     `json:"listeners,omitempty"`
}

// LoadBalancer is a load balancer as DescribeLoadBalancers shows it, its
// tags, and when it started provisioning.
type LoadBalancer struct {
	L     types.LoadBalancer `json:"l"`
	Tags  []types.Tag        `json:"tags,omitempty"`
	Since time.Time          `json:"since"`
	// Attributes are the ones ModifyLoadBalancerAttributes changed; the
	// others have their defaults (lbDefaults).
	Attributes map[string]string `json:"attributes,omitempty"`
}

// TargetGroup is a target group (without its load balancer ARNs, which
// come from the listeners), its attributes and tags.
type TargetGroup struct {
	G          types.TargetGroup `json:"g"`
	Attributes map[string]string `json:"attributes"`
	Tags       []types.Tag       `json:"tags,omitempty"`
}

// Listener is a listener and its tags.
type Listener struct {
	L    types.Listener `json:"l"`
	Tags []types.Tag    `json:"tags,omitempty"`
}

// NewState returns an empty ELBv2 state.
func NewState() *State {
	return &State{lazy.NewRegional[Region]()}
}

// region returns the call's region, creating it on first use.
var region = lazy.CallRegion[Region](ServiceName)

// Tick makes provisioning load balancers active after the create delay.
func (s *State) Tick(now time.Time, set api.Settings) {
	for _, r := range s.Regions {
		for _, lb := range r.LoadBalancers {
			if lb.L.State.Code == types.LoadBalancerStateEnumProvisioning && now.Sub(lb.Since) >= set.CreateDelay {
				lb.L.State = &types.LoadBalancerState{Code: types.LoadBalancerStateEnumActive}
			}
		}
	}
}

// TaggedResources lists tagged load balancers, target groups and listeners.
func (s *State) TaggedResources() []api.TaggedResource {
	var out api.TaggedList
	for name, r := range s.Regions {
		for arn, lb := range r.LoadBalancers {
			out.Add(name, arn, "elasticloadbalancing:loadbalancer", tagMap(lb.Tags))
		}
		for arn, tg := range r.TargetGroups {
			out.Add(name, arn, "elasticloadbalancing:targetgroup", tagMap(tg.Tags))
		}
		for arn, l := range r.Listeners {
			out.Add(name, arn, "elasticloadbalancing:listener", tagMap(l.Tags))
		}
	}
	return out
}

// DependentsOf names the load balancers in the subnet or security group.
func (s *State) DependentsOf(id string) []string {
	var out []string
	for _, r := range s.Regions {
		for _, lb := range r.LoadBalancers {
			uses := slices.Contains(lb.L.SecurityGroups, id)
			for _, z := range lb.L.AvailabilityZones {
				uses = uses || aws.ToString(z.SubnetId) == id
			}
			if uses {
				out = append(out, "load balancer "+aws.ToString(lb.L.LoadBalancerArn))
			}
		}
	}
	sort.Strings(out)
	return out
}

// LookupTargetGroup reports whether the target group exists in region and
// the load balancers whose listeners forward to it.
func (s *State) LookupTargetGroup(region, arn string) ([]string, bool) {
	r := s.Regions[region]
	if r == nil || r.TargetGroups[arn] == nil {
		return nil, false
	}
	return r.loadBalancersOf(arn), true
}

// loadBalancersOf lists the load balancers with a listener forwarding to
// the target group.
func (r *Region) loadBalancersOf(tgARN string) []string {
	var out []string
	for _, l := range r.Listeners {
		if slices.Contains(forwardTargets(l.L.DefaultActions), tgARN) && !slices.Contains(out, aws.ToString(l.L.LoadBalancerArn)) {
			out = append(out, aws.ToString(l.L.LoadBalancerArn))
		}
	}
	sort.Strings(out)
	return out
}

// forwardTargets lists the target groups the actions forward to.
func forwardTargets(actions []types.Action) []string {
	var out []string
	for _, a := range actions {
		if a.TargetGroupArn != nil {
			out = append(out, *a.TargetGroupArn)
		}
		if a.ForwardConfig != nil {
			for _, t := range a.ForwardConfig.TargetGroups {
				out = append(out, aws.ToString(t.TargetGroupArn))
			}
		}
	}
	return out
}

// Error codes ELBv2 answers with (HTTP 400).
const (
	codeValidation       = "ValidationError"
	codeLBNotFound       = "LoadBalancerNotFound"
	codeTGNotFound       = "TargetGroupNotFound"
	codeListenerNotFound = "ListenerNotFound"
	codeDuplicateLB      = "DuplicateLoadBalancerName"
	codeDuplicateTG      = "DuplicateTargetGroupName"
	codeDuplicateL       = "DuplicateListener"
	codeInUse            = "ResourceInUse"
	codeInvalidConfig    = "InvalidConfigurationRequest"
	codeSubnetNotFound   = "SubnetNotFound"
	codeInvalidSG        = "InvalidSecurityGroup"
	codeCertNotFound     = "CertificateNotFound"
	codeAssocLimit       = "TargetGroupAssociationLimit"
	codeIncompatible     = "IncompatibleProtocols"
	codeInvalidAction    = "InvalidLoadBalancerAction"
	codeDuplicateTagKeys = "DuplicateTagKeys"
	codeTooManyTags      = "TooManyTags"
	codeNotPermitted     = "OperationNotPermitted"
)

// CertificateUsers lists the load balancers in region with a listener
// that uses the certificate arn, as ACM's InUseBy names them; it
// implements acm.CertificateUsers.
func (s *State) CertificateUsers(region, arn string) []string {
	r := s.Regions[region]
	if r == nil {
		return nil
	}
	var out []string
	for _, l := range r.Listeners {
		for _, c := range l.L.Certificates {
			if lb := aws.ToString(l.L.LoadBalancerArn); aws.ToString(c.CertificateArn) == arn && !slices.Contains(out, lb) {
				out = append(out, lb)
			}
		}
	}
	return out
}
