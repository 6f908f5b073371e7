package ecs

import (
	"slices"
	"sort"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
	"github.com/kcstack/kcstack/pkg/sandbox/internal/lazy"
)

// State is the ECS state: resources by region.
type State struct{ lazy.Regional[Region] }

var (
	_ api.Ticker     = (*State)(nil)
	_ api.Tagged     = (*State)(nil)
	_ api.Dependents = (*State)(nil)
)

// Region holds one region's clusters (by name), services (by cluster
// name, then service name) and task definition families (by name).
type Region struct {
	Clusters map[string]*Cluster                  `json:"clusters,omitempty"`
	Services map[string]map[string]*ServiceRecord `json:"services,omitempty"`
	Families map[string][]*TaskDef                `json:"families,omitempty"`
}

// Cluster is a cluster as DescribeClusters shows it, without the counts
// (computed from the services).
type Cluster struct {
	C types.Cluster `json:"c"`
}

// ServiceRecord is a service as DescribeServices shows it, plus when its
// current deployment or draining began.
type ServiceRecord struct {
	S     types.Service `json:"s"`
	Since time.Time     `json:"since"`
	// ClientToken is the idempotency token of the CreateService that made
	// it: a retry with the same token answers this service.
	ClientToken string `json:"client_token,omitempty"`
	// Tasks are the service's tasks, running and recently stopped, oldest
	// first (see tasks.go).
	Tasks []*TaskRecord `json:"tasks,omitempty"`
	// TaskSeq numbers the service's tasks: the last one started has it.
	TaskSeq int `json:"task_seq,omitempty"`
	// Subnets are the zone and CIDR of each awsvpc subnet, looked up in EC2
	// when the network configuration is set, for placing tasks.
	Subnets map[string]Subnet `json:"subnets,omitempty"`
	// Steady records that the service reached a steady state and has not
	// left it since, so the event is written once.
	Steady bool `json:"steady,omitempty"`
}

// Subnet is where a subnet is and which addresses it has.
type Subnet struct {
	Zone string `json:"zone"`
	CIDR string `json:"cidr"`
}

// TaskDef is one revision of a family, with its tags. Revisions are
// stored in order: revision n is at index n-1.
type TaskDef struct {
	D    types.TaskDefinition `json:"d"`
	Tags []types.Tag          `json:"tags,omitempty"`
}

// Statuses the emulation uses.
const (
	statusActive   = "ACTIVE"
	statusInactive = "INACTIVE"
	statusDraining = "DRAINING"
	statusPrimary  = "PRIMARY"
)

// NewState returns an empty ECS state.
func NewState() *State {
	return &State{lazy.NewRegional[Region]()}
}

// region returns the call's region, creating it on first use.
var region = lazy.CallRegion[Region](ServiceName)

// Tick runs the service scheduler of every service (scheduler.go) and
// moves the tasks along their lifecycle (tasks.go) up to now.
func (s *State) Tick(now time.Time, set api.Settings) {
	for _, r := range s.Regions {
		used := r.addresses()
		for _, svcs := range r.Services {
			for _, sv := range svcs {
				r.schedule(sv, now, set, used)
				for _, t := range sv.Tasks {
					t.advance(now, set)
				}
				sv.rollup(now, set)
			}
		}
	}
}

// reschedule runs the scheduler for a service an operation changed, so
// the call's answer shows the tasks it started or stopped.
func reschedule(c *api.Call, sv *ServiceRecord) {
	r := region(c)
	r.schedule(sv, c.Now, c.World.Settings(), r.addresses())
	sv.count(c.Now)
}

// event adds a service event, newest first, as ECS lists them.
func (sv *ServiceRecord) event(now time.Time, msg string) {
	e := types.ServiceEvent{Id: aws.String(api.RandomHex(8) + "-" + api.RandomHex(4) + "-" + api.RandomHex(4) + "-" + api.RandomHex(4) + "-" + api.RandomHex(12)), CreatedAt: aws.Time(now), Message: aws.String(msg)}
	sv.S.Events = append([]types.ServiceEvent{e}, sv.S.Events...)
	if len(sv.S.Events) > 100 {
		sv.S.Events = sv.S.Events[:100]
	}
}

// TaggedResources lists tagged clusters, services and task definitions.
func (s *State) TaggedResources() []api.TaggedResource {
	var out api.TaggedList
	for name, r := range s.Regions {
		for _, cl := range r.Clusters {
			if aws.ToString(cl.C.Status) == statusActive {
				out.Add(name, aws.ToString(cl.C.ClusterArn), "ecs:cluster", tagMap(cl.C.Tags))
			}
		}
		for _, svcs := range r.Services {
			for _, sv := range svcs {
				if aws.ToString(sv.S.Status) != statusInactive {
					out.Add(name, aws.ToString(sv.S.ServiceArn), "ecs:service", tagMap(sv.S.Tags))
				}
			}
		}
		for _, revs := range r.Families {
			for _, td := range revs {
				out.Add(name, aws.ToString(td.D.TaskDefinitionArn), "ecs:task-definition", tagMap(td.Tags))
			}
		}
	}
	return out
}

// DependentsOf names the services whose awsvpc configuration uses the
// subnet or security group id.
func (s *State) DependentsOf(id string) []string {
	var out []string
	for _, r := range s.Regions {
		for _, svcs := range r.Services {
			for _, sv := range svcs {
				if aws.ToString(sv.S.Status) != statusInactive && uses(sv.S.NetworkConfiguration, id) {
					out = append(out, "ECS service "+aws.ToString(sv.S.ServiceArn))
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

func uses(nc *types.NetworkConfiguration, id string) bool {
	if nc == nil || nc.AwsvpcConfiguration == nil {
		return false
	}
	return slices.Contains(nc.AwsvpcConfiguration.Subnets, id) || slices.Contains(nc.AwsvpcConfiguration.SecurityGroups, id)
}

// Error codes ECS answers with (all HTTP 400).
const (
	codeClient           = "ClientException"
	codeInvalidParam     = "InvalidParameterException"
	codeClusterNotFound  = "ClusterNotFoundException"
	codeServiceNotFound  = "ServiceNotFoundException"
	codeServiceNotActive = "ServiceNotActiveException"
	codeHasServices      = "ClusterContainsServicesException"
	codeNotFound         = "ResourceNotFoundException"
)
