package ec2

import (
	"time"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

// Tick moves resources along on their own. NAT gateways: see tickNATs.
// Peering connections: provisioning becomes active after the create delay,
// deleting becomes deleted after the delete delay, unanswered requests
// expire, and finished connections disappear once EC2 would stop showing
// them.
func (s *State) Tick(now time.Time, set api.Settings) {
	for _, r := range s.Regions {
		r.tickNATs(now, set)
	}
	s.tickPeerings(now, set)
}

// tickPeerings moves peering connections along (see Tick).
func (s *State) tickPeerings(now time.Time, set api.Settings) {
	for id, p := range s.Peerings {
		age := now.Sub(p.Changed)
		switch {
		case p.Status == statusProvisioning && age >= set.CreateDelay:
			p.setStatus(statusActive, "Active", now)
		case p.Status == statusDeleting && age >= set.DeleteDelay:
			p.setStatus(statusDeleted, "Deleted by "+p.AccepterOwner, now)
		case p.Status == statusPending && !now.Before(p.Expires):
			p.setStatus(statusExpired, "Expired", now)
		case (p.Status == statusDeleted || p.Status == statusFailed) && age >= deletedVisible,
			(p.Status == statusRejected || p.Status == statusExpired) && age >= rejectedVisible:
			delete(s.Peerings, id)
		}
	}
}

var _ api.Ticker = (*State)(nil)
