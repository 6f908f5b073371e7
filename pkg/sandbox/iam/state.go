package iam

import (
	"net/http"
	"strings"
	"time"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
	"github.com/kcstack/kcstack/pkg/sandbox/internal/tagset"
)

// State is the IAM state: roles keyed by lower-case name (IAM role names
// are unique regardless of case).
type State struct {
	Roles map[string]*Role `json:"roles"`
}

// Role is one IAM role.
type Role struct {
	Name        string    `json:"name"`
	ID          string    `json:"id"`
	ARN         string    `json:"arn"`
	Path        string    `json:"path"`
	Created     time.Time `json:"created"`
	Description string    `json:"description,omitempty"`
	MaxSession  int32     `json:"max_session"`
	// TrustPolicy is the assume-role policy document as sent (JSON).
	TrustPolicy string `json:"trust_policy"`
	Boundary    string `json:"boundary,omitempty"`
	// Inline maps inline policy names to their documents.
	Inline map[string]string `json:"inline,omitempty"`
	// Attached lists the ARNs of attached managed policies, in attach order.
	Attached []string `json:"attached,omitempty"`
	Tags     []Tag    `json:"tags,omitempty"`
}

// Tag is one key/value pair, in the order it was added.
type Tag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// NewState returns an empty IAM state.
func NewState() *State {
	return &State{Roles: map[string]*Role{}}
}

// tagRegion is where the tagging API reports IAM's global resources.
const tagRegion = "us-east-1"

var _ api.Tagged = (*State)(nil)

// TaggedResources lists every tagged role (type iam:role) in us-east-1.
func (s *State) TaggedResources() []api.TaggedResource {
	var out api.TaggedList
	for _, r := range s.Roles {
		out.Add(tagRegion, r.ARN, "iam:role", tagset.Map(r.Tags, func(t Tag) (*string, *string) { return &t.Key, &t.Value }))
	}
	return out
}

func roles(c *api.Call) map[string]*Role {
	s := c.World.State(ServiceName).(*State)
	if s.Roles == nil {
		s.Roles = map[string]*Role{}
	}
	return s.Roles
}

// find returns the named role or NoSuchEntity.
func find(c *api.Call, name string) (*Role, error) {
	r, ok := roles(c)[strings.ToLower(name)]
	if !ok {
		return nil, errNoSuchEntity("The role with name %s cannot be found.", name)
	}
	return r, nil
}

func errNoSuchEntity(format string, args ...any) *api.Error {
	e := api.Errorf("NoSuchEntity", format, args...)
	e.Status = http.StatusNotFound
	return e
}

func errConflict(code, format string, args ...any) *api.Error {
	e := api.Errorf(code, format, args...)
	e.Status = http.StatusConflict
	return e
}

func errInvalidInput(format string, args ...any) *api.Error {
	return api.Errorf("InvalidInput", format, args...)
}

func errMalformedPolicy(format string, args ...any) *api.Error {
	return api.Errorf("MalformedPolicyDocument", format, args...)
}
