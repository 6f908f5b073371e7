package logs

import (
	"maps"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

// State is the CloudWatch Logs state: log groups by region, then by name.
type State struct {
	Regions map[string]map[string]*LogGroup `json:"regions"`
}

// LogGroup is one log group.
type LogGroup struct {
	Name string `json:"name"`
	// ARN is the log group's ARN without the ":*" suffix
	// (arn:aws:logs:<region>:<account>:log-group:<name>).
	ARN           string            `json:"arn"`
	CreationTime  int64             `json:"creation_time"` // epoch milliseconds
	RetentionDays int32             `json:"retention_days,omitempty"`
	KMSKeyID      string            `json:"kms_key_id,omitempty"`
	Class         string            `json:"class"`
	Tags          map[string]string `json:"tags,omitempty"`
}

// NewState returns an empty CloudWatch Logs state.
func NewState() *State {
	return &State{Regions: map[string]map[string]*LogGroup{}}
}

var _ api.Tagged = (*State)(nil)

// TaggedResources lists every tagged log group (type logs:log-group).
func (s *State) TaggedResources() []api.TaggedResource {
	var out api.TaggedList
	for region, groups := range s.Regions {
		for _, g := range groups {
			out.Add(region, g.ARN, "logs:log-group", maps.Clone(g.Tags))
		}
	}
	return out
}

// groups returns the call region's log groups.
func groups(c *api.Call) map[string]*LogGroup {
	s := c.World.State(ServiceName).(*State)
	if s.Regions == nil {
		s.Regions = map[string]map[string]*LogGroup{}
	}
	g, ok := s.Regions[c.Region]
	if !ok {
		g = map[string]*LogGroup{}
		s.Regions[c.Region] = g
	}
	return g
}

// find returns the named log group or AWS's not-found error.
func find(c *api.Call, name string) (*LogGroup, error) {
	g, ok := groups(c)[name]
	if !ok {
		return nil, errNotFound()
	}
	return g, nil
}

// Error codes CloudWatch Logs answers with (all HTTP 400).
const (
	codeNotFound     = "ResourceNotFoundException"
	codeExists       = "ResourceAlreadyExistsException"
	codeInvalidParam = "InvalidParameterException"
	codeTooManyTags  = "TooManyTagsException"
)

func errNotFound() *api.Error {
	return api.Errorf(codeNotFound, "The specified log group does not exist.")
}
