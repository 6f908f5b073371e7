package ecs

import (
	"fmt"
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

// Tick finishes deployments after the create delay (running count reaches
// the desired count, the older deployments go) and turns draining
// services inactive after the delete delay.
func (s *State) Tick(now time.Time, set api.Settings) {
	for _, r := range s.Regions {
		for _, svcs := range r.Services {
			for _, sv := range svcs {
				sv.tick(now, set)
			}
		}
	}
}

func (sv *ServiceRecord) tick(now time.Time, set api.Settings) {
	switch aws.ToString(sv.S.Status) {
	case statusDraining:
		if now.Sub(sv.Since) >= set.DeleteDelay {
			sv.S.Status = aws.String(statusInactive)
			sv.S.RunningCount, sv.S.PendingCount = 0, 0
			sv.S.Deployments = []types.Deployment{}
		}
	case statusActive:
		if len(sv.S.Deployments) == 0 || sv.S.Deployments[0].RolloutState != types.DeploymentRolloutStateInProgress || now.Sub(sv.Since) < set.CreateDelay {
			return
		}
		d := sv.S.Deployments[0]
		d.RunningCount, d.PendingCount = d.DesiredCount, 0
		d.RolloutState, d.RolloutStateReason = types.DeploymentRolloutStateCompleted, aws.String("ECS deployment "+aws.ToString(d.Id)+" completed.")
		d.UpdatedAt = aws.Time(now)
		sv.S.Deployments = []types.Deployment{d}
		sv.S.RunningCount, sv.S.PendingCount = d.DesiredCount, 0
		sv.event(now, fmt.Sprintf("(service %s) has reached a steady state.", aws.ToString(sv.S.ServiceName)))
	}
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

// RegisteredTasks counts the running tasks of the services that register
// into the Cloud Map service ARN in region (tasks of draining services
// stay registered until the service is inactive).
func (s *State) RegisteredTasks(region, registryARN string) int32 {
	r := s.Regions[region]
	if r == nil {
		return 0
	}
	var n int32
	for _, svcs := range r.Services {
		for _, sv := range svcs {
			if aws.ToString(sv.S.Status) == statusInactive {
				continue
			}
			for _, reg := range sv.S.ServiceRegistries {
				if aws.ToString(reg.RegistryArn) == registryARN {
					n += sv.S.RunningCount
				}
			}
		}
	}
	return n
}
