package acm

import (
	"maps"
	"time"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
	"github.com/kcstack/kcstack/pkg/sandbox/internal/lazy"
)

// State is the ACM state: certificates by region, then by ARN.
type State struct{ lazy.Regional[Region] }

var (
	_ api.Ticker = (*State)(nil)
	_ api.Tagged = (*State)(nil)
)

// Region holds one region's certificates, keyed by ARN.
type Region struct {
	Certificates map[string]*Certificate `json:"certificates,omitempty"`
}

// Certificate is one certificate.
type Certificate struct {
	ARN        string   `json:"arn"`
	DomainName string   `json:"domain_name"`
	SANs       []string `json:"sans,omitempty"`
	// Type is AMAZON_ISSUED (requested) or IMPORTED.
	Type string `json:"type"`
	// Status is PENDING_VALIDATION, then ISSUED after the create delay,
	// for a requested certificate; ISSUED for an imported one.
	Status    string            `json:"status"`
	CreatedAt time.Time         `json:"created_at"`
	IssuedAt  time.Time         `json:"issued_at,omitzero"`
	NotBefore time.Time         `json:"not_before,omitzero"`
	NotAfter  time.Time         `json:"not_after,omitzero"`
	Token     string            `json:"token,omitempty"` // RequestCertificate's IdempotencyToken
	Tags      map[string]string `json:"tags,omitempty"`
}

// Certificate statuses and types, as ACM spells them.
const (
	StatusPending = "PENDING_VALIDATION"
	StatusIssued  = "ISSUED"
	typeAmazon    = "AMAZON_ISSUED"
	typeImported  = "IMPORTED"
)

// NewState returns an empty ACM state.
func NewState() *State {
	return &State{lazy.NewRegional[Region]()}
}

var region = lazy.CallRegion[Region](ServiceName)

// Tick issues requested certificates once the create delay has passed,
// as if their DNS validation records had been found.
func (s *State) Tick(now time.Time, set api.Settings) {
	for _, r := range s.Regions {
		for _, c := range r.Certificates {
			if c.Status == StatusPending && now.Sub(c.CreatedAt) >= set.CreateDelay {
				c.Status, c.IssuedAt = StatusIssued, now
			}
		}
	}
}

// TaggedResources lists tagged certificates (type acm:certificate).
func (s *State) TaggedResources() []api.TaggedResource {
	var out api.TaggedList
	for name, r := range s.Regions {
		for arn, c := range r.Certificates {
			out.Add(name, arn, "acm:certificate", maps.Clone(c.Tags))
		}
	}
	return out
}

// Seed adds an issued certificate for domain under arn
// (arn:aws:acm:<region>:<account>:certificate/<id>), valid for a year
// from now, unless one with that ARN exists; it reports whether it added
// one. It is for fixtures: ACM itself never lets a caller choose an ARN.
func (s *State) Seed(regionName, arn, domain string, now time.Time) bool {
	r := s.Region(regionName)
	if _, ok := r.Certificates[arn]; ok {
		return false
	}
	r.Certificates[arn] = &Certificate{
		ARN: arn, DomainName: domain, SANs: []string{domain}, Type: typeAmazon, Status: StatusIssued,
		CreatedAt: now, IssuedAt: now, NotBefore: now, NotAfter: now.AddDate(1, 0, 0),
	}
	return true
}
