package cache

import (
	"github.com/kcstack/kcstack/pkg/aws/clients"
)

// Register adds the handlers of the four ElastiCache kinds to s, and
// their observer as a part of the shared tagging observer, over c's
// ElastiCache client (and Secrets Manager for the users' passwords).
// o.Wait, when set, bounds the waits.
func Register(s *clients.Set, c *clients.Clients, o clients.Options) {
	base := clients.Over[API](c.ElastiCache, o)
	s.Add(&SubnetGroupHandler{handler{base(subnetGroupKind), "cache subnet group", subnetGroupRules}},
		&UserHandler{handler: handler{base(userKind), "ElastiCache user", userRules}, Secrets: c.Secrets},
		&UserGroupHandler{handler{base(userGroupKind), "ElastiCache user group", userGroupRules}},
		&ReplicationGroupHandler{handler{base(replicationGroupKind), "replication group", replicationGroupRules}})
	s.ObserveTagged(&Observer{API: c.ElastiCache}, kinds...)
}
