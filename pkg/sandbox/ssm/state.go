package ssm

import (
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
	"github.com/kcstack/kcstack/pkg/sandbox/internal/lazy"
)

// State is the Parameter Store state: parameters by region.
type State struct{ lazy.Regional[Region] }

// Region holds one region's parameters, keyed by name.
type Region struct {
	Parameters map[string]*Parameter `json:"parameters"`
}

// Parameter is one parameter and its history.
type Parameter struct {
	Name           string              `json:"name"`
	ARN            string              `json:"arn"`
	Type           types.ParameterType `json:"type"`
	Tier           types.ParameterTier `json:"tier"`
	DataType       string              `json:"data_type"`
	Description    string              `json:"description,omitempty"`
	AllowedPattern string              `json:"allowed_pattern,omitempty"`
	KeyID          string              `json:"key_id,omitempty"`
	Tags           []types.Tag         `json:"tags,omitempty"`
	// Versions are oldest first; the last is the current one.
	Versions []Version `json:"versions"`
}

// Version is one value a parameter has had.
type Version struct {
	Number   int64     `json:"number"`
	Value    string    `json:"value"`
	Modified time.Time `json:"modified"`
	// Ciphertext stands for the encrypted value of a SecureString, shown
	// when the caller does not ask for decryption.
	Ciphertext string `json:"ciphertext,omitempty"`
}

// maxVersions is how many versions AWS keeps per parameter.
const maxVersions = 100

// NewState returns an empty Parameter Store state.
func NewState() *State {
	return &State{lazy.NewRegional[Region]()}
}

var _ api.Tagged = (*State)(nil)

// TaggedResources lists every tagged parameter, for the tagging API.
func (s *State) TaggedResources() []api.TaggedResource {
	var out api.TaggedList
	for region, r := range s.Regions {
		for _, p := range r.Parameters {
			out.Add(region, p.ARN, "ssm:parameter", tagMap(p.Tags))
		}
	}
	return out
}

// state returns the Parameter Store state of the call's world.
func state(c *api.Call) *State {
	return c.World.State(ServiceName).(*State)
}

func params(c *api.Call) map[string]*Parameter {
	return state(c).Region(c.Region).Parameters
}

func (p *Parameter) current() *Version { return &p.Versions[len(p.Versions)-1] }

// parameterARN is arn:aws:ssm:<region>:<account>:parameter/<name without
// its leading slash>.
func parameterARN(region, account, name string) string {
	return "arn:aws:ssm:" + region + ":" + account + ":parameter/" + strings.TrimPrefix(name, "/")
}

// resolveName returns the parameter name an ARN or name refers to, among
// the names that exist.
func resolveName(ps map[string]*Parameter, ref string) string {
	if !strings.HasPrefix(ref, "arn:") {
		return ref
	}
	_, rest, ok := strings.Cut(ref, ":parameter/")
	if !ok {
		return ref
	}
	if _, exists := ps["/"+rest]; exists {
		return "/" + rest
	}
	return rest
}
