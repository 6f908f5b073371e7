package secretsmanager

import (
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
	"github.com/kcstack/kcstack/pkg/sandbox/internal/lazy"
)

// State is the Secrets Manager state: secrets by region.
type State struct{ lazy.Regional[Region] }

var (
	_ api.Ticker = (*State)(nil)
	_ api.Tagged = (*State)(nil)
)

// Region holds one region's secrets, keyed by name.
type Region struct {
	Secrets map[string]*Secret `json:"secrets"`
}

// Secret is one secret with its versions.
type Secret struct {
	ARN         string `json:"arn"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	// KmsKeyID is empty for the default aws/secretsmanager key.
	KmsKeyID      string `json:"kms_key_id,omitempty"`
	OwningService string `json:"owning_service,omitempty"`
	// Tags keep AWS's order (the order they were added).
	Tags             []types.Tag `json:"tags,omitempty"`
	CreatedDate      time.Time   `json:"created_date"`
	LastChangedDate  time.Time   `json:"last_changed_date"`
	LastAccessedDate *time.Time  `json:"last_accessed_date,omitempty"`
	// DeletedDate is when DeleteSecret was called; DeletionDate is when the
	// secret goes for good. Both are nil for a live secret.
	DeletedDate  *time.Time `json:"deleted_date,omitempty"`
	DeletionDate *time.Time `json:"deletion_date,omitempty"`
	// RotationDays is the rotation interval of a managed secret, 0 when
	// rotation is off.
	RotationDays int64 `json:"rotation_days,omitempty"`
	// Versions are keyed by version id.
	Versions map[string]*Version `json:"versions,omitempty"`
}

// Version is one version of a secret's value.
type Version struct {
	ID      string    `json:"id"`
	String  *string   `json:"string,omitempty"`
	Binary  []byte    `json:"binary,omitempty"`
	Stages  []string  `json:"stages"`
	Created time.Time `json:"created"`
}

// Staging labels Secrets Manager moves by itself.
const (
	stageCurrent  = "AWSCURRENT"
	stagePrevious = "AWSPREVIOUS"
)

// NewState returns an empty Secrets Manager state.
func NewState() *State {
	return &State{lazy.NewRegional[Region]()}
}

// Tick deletes for good the secrets whose recovery window has ended.
func (s *State) Tick(now time.Time, _ api.Settings) {
	for _, r := range s.Regions {
		for name, sec := range r.Secrets {
			if sec.DeletionDate != nil && !now.Before(*sec.DeletionDate) {
				delete(r.Secrets, name)
			}
		}
	}
}

// TaggedResources lists every secret that has tags, for the tagging API.
func (s *State) TaggedResources() []api.TaggedResource {
	var out api.TaggedList
	for region, r := range s.Regions {
		for _, sec := range r.Secrets {
			out.Add(region, sec.ARN, "secretsmanager:secret", tagMap(sec.Tags))
		}
	}
	return out
}

// find returns the secret named by id (a name or an ARN), or nil.
func (r *Region) find(id string) *Secret {
	if sec, ok := r.Secrets[id]; ok {
		return sec
	}
	if !strings.HasPrefix(id, "arn:") {
		return nil
	}
	for _, sec := range r.Secrets {
		if sec.ARN == id || partialARN(sec.ARN) == id {
			return sec
		}
	}
	return nil
}

// partialARN is an ARN without its random six-character suffix.
func partialARN(arn string) string {
	return arn[:len(arn)-len("-abcdef")]
}

// lookup finds the secret named by id in the call's region.
func lookup(c *api.Call, id *string) (*Secret, error) {
	if id == nil || *id == "" {
		return nil, api.Errorf(codeInvalidParam, "You must provide a SecretId.")
	}
	sec := state(c).Region(c.Region).find(*id)
	if sec == nil {
		return nil, errNotFound()
	}
	return sec, nil
}

// state returns the Secrets Manager state of the call's world.
func state(c *api.Call) *State {
	return c.World.State(ServiceName).(*State)
}

// current returns the version that carries AWSCURRENT, or nil.
func (sec *Secret) current() *Version {
	return sec.versionWithStage(stageCurrent)
}

func (sec *Secret) versionWithStage(stage string) *Version {
	for _, v := range sec.Versions {
		for _, st := range v.Stages {
			if st == stage {
				return v
			}
		}
	}
	return nil
}

// versionStages maps version ids to their staging labels.
func (sec *Secret) versionStages() map[string][]string {
	if len(sec.Versions) == 0 {
		return nil
	}
	m := make(map[string][]string, len(sec.Versions))
	for id, v := range sec.Versions {
		m[id] = append([]string(nil), v.Stages...)
	}
	return m
}

func (sec *Secret) deleted() bool { return sec.DeletedDate != nil }
