package acm

import (
	"maps"
	"strings"
	"time"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

// State is the ACM state: every certificate, keyed by ARN (which names
// its region).
type State struct {
	Certificates map[string]*Certificate `json:"certificates"`
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

var _ api.Ticker = (*State)(nil)
var _ api.Tagged = (*State)(nil)

// NewState returns an empty ACM state.
func NewState() *State {
	return &State{Certificates: map[string]*Certificate{}}
}

// regionOf is the region an ACM ARN names.
func regionOf(arn string) string {
	parts := strings.SplitN(arn, ":", 5)
	if len(parts) < 5 {
		return ""
	}
	return parts[3]
}

// certificates returns the state of the call, ready for use.
func certificates(c *api.Call) map[string]*Certificate {
	s := c.World.State(ServiceName).(*State)
	if s.Certificates == nil {
		s.Certificates = map[string]*Certificate{}
	}
	return s.Certificates
}

// Tick issues requested certificates once the create delay has passed,
// as if their DNS validation records had been found.
func (s *State) Tick(now time.Time, set api.Settings) {
	for _, cert := range s.Certificates {
		if cert.Status == StatusPending && now.Sub(cert.CreatedAt) >= set.CreateDelay {
			cert.Status, cert.IssuedAt = StatusIssued, now
		}
	}
}

// TaggedResources lists tagged certificates (type acm:certificate).
func (s *State) TaggedResources() []api.TaggedResource {
	var out api.TaggedList
	for arn, cert := range s.Certificates {
		out.Add(regionOf(arn), arn, "acm:certificate", maps.Clone(cert.Tags))
	}
	return out
}

// Seed adds an issued certificate for domain under arn
// (arn:aws:acm:<region>:<account>:certificate/<id>), valid for a year
// from now, unless one with that ARN exists; it reports whether it added
// one. It is for fixtures: ACM itself never lets a caller choose an ARN.
func (s *State) Seed(arn, domain string, now time.Time) bool {
	if _, ok := s.Certificates[arn]; ok {
		return false
	}
	if s.Certificates == nil {
		s.Certificates = map[string]*Certificate{}
	}
	s.Certificates[arn] = &Certificate{
		ARN: arn, DomainName: domain, SANs: []string{domain}, Type: typeAmazon, Status: StatusIssued,
		CreatedAt: now, IssuedAt: now, NotBefore: now, NotAfter: now.AddDate(1, 0, 0),
	}
	return true
}
