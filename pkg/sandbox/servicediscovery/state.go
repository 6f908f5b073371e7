package servicediscovery

import (
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/servicediscovery/types"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
	"github.com/kcstack/kcstack/pkg/sandbox/internal/lazy"
)

// State is the Cloud Map state: resources by region.
type State struct{ lazy.Regional[Region] }

var (
	_ api.Ticker = (*State)(nil)
	_ api.Tagged = (*State)(nil)
)

// Region holds one region's namespaces, services and operations by id.
type Region struct {
	Namespaces map[string]*Namespace       `json:"namespaces,omitempty"`
	Services   map[string]*ServiceRecord   `json:"services,omitempty"`
	Operations map[string]*types.Operation `json:"operations,omitempty"`
}

// Namespace is a namespace, its VPC and tags. It becomes visible when the
// operation that creates it succeeds (Ready).
type Namespace struct {
	N     types.Namespace `json:"n"`
	VPC   string          `json:"vpc"`
	Tags  []types.Tag     `json:"tags,omitempty"`
	Ready bool            `json:"ready"`
}

// ServiceRecord is a Cloud Map service and its tags.
type ServiceRecord struct {
	S    types.Service `json:"s"`
	Tags []types.Tag   `json:"tags,omitempty"`
}

// NewState returns an empty Cloud Map state.
func NewState() *State {
	return &State{lazy.NewRegional[Region]()}
}

// region returns the call's region, creating it on first use.
var region = lazy.CallRegion[Region](ServiceName)

// Tick completes submitted operations: namespace creations and updates
// after the create delay, deletions after the delete delay.
func (s *State) Tick(now time.Time, set api.Settings) {
	for _, r := range s.Regions {
		lazy.Maps(r)
		for _, op := range r.Operations {
			if op.Status != types.OperationStatusSubmitted {
				continue
			}
			delay := set.CreateDelay
			if op.Type == types.OperationTypeDeleteNamespace {
				delay = set.DeleteDelay
			}
			if now.Sub(aws.ToTime(op.CreateDate)) >= delay {
				r.complete(op, now)
			}
		}
	}
}

func (r *Region) complete(op *types.Operation, now time.Time) {
	op.Status, op.UpdateDate = types.OperationStatusSuccess, aws.Time(now)
	id := op.Targets[string(types.OperationTargetTypeNamespace)]
	switch op.Type {
	case types.OperationTypeCreateNamespace:
		if ns := r.Namespaces[id]; ns != nil {
			ns.Ready = true
		}
	case types.OperationTypeDeleteNamespace:
		delete(r.Namespaces, id)
	}
}

// TaggedResources lists tagged namespaces and services.
func (s *State) TaggedResources() []api.TaggedResource {
	var out api.TaggedList
	for name, r := range s.Regions {
		for _, ns := range r.Namespaces {
			if ns.Ready {
				out.Add(name, aws.ToString(ns.N.Arn), "servicediscovery:namespace", tagMap(ns.Tags))
			}
		}
		for _, sv := range r.Services {
			out.Add(name, aws.ToString(sv.S.Arn), "servicediscovery:service", tagMap(sv.Tags))
		}
	}
	return out
}

// LookupRegistry reports whether the Cloud Map service ARN exists in
// region (ECS checks serviceRegistries with it).
func (s *State) LookupRegistry(region, arn string) bool {
	r := s.Regions[region]
	if r == nil {
		return false
	}
	id := arn[strings.LastIndex(arn, "/")+1:]
	sv := r.Services[id]
	return sv != nil && aws.ToString(sv.S.Arn) == arn
}

// Error codes Cloud Map answers with (HTTP 400).
const (
	codeInvalidInput    = "InvalidInput"
	codeNSNotFound      = "NamespaceNotFound"
	codeNSExists        = "NamespaceAlreadyExists"
	codeServiceNotFound = "ServiceNotFound"
	codeServiceExists   = "ServiceAlreadyExists"
	codeOpNotFound      = "OperationNotFound"
	codeInUse           = "ResourceInUse"
	codeNotFound        = "ResourceNotFoundException"
	codeTooManyTags     = "TooManyTagsException"
)

// newID returns prefix + 16 characters of Cloud Map's id alphabet.
func newID(prefix string) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz234567"
	hex := api.RandomHex(32)
	b := make([]byte, 16)
	for i := range b {
		v := strings.IndexByte("0123456789abcdef", hex[2*i])*16 + strings.IndexByte("0123456789abcdef", hex[2*i+1])
		b[i] = alphabet[v%len(alphabet)]
	}
	return prefix + string(b)
}
