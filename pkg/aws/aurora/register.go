package aurora

import (
	"time"

	"github.com/kcstack/kcstack/pkg/aws/clients"
	"github.com/kcstack/kcstack/pkg/aws/poll"
	"github.com/kcstack/kcstack/pkg/resource"
)

// defaultWait is how the handlers wait for RDS states unless
// clients.Options.Wait says otherwise: poll's short first interval and
// backoff, with a 60-minute timeout, as creating an Aurora instance can
// take many minutes.
var defaultWait = poll.Options{Timeout: time.Hour}

// Register adds the handlers of rds:subgrp, rds:cluster and rds:db and
// the observer that reads all three to s, over c.RDS and c.Tagging.
// o.Wait, when set, replaces the handlers' waits.
func Register(s *clients.Set, c *clients.Clients, o clients.Options) {
	k := newKinds(c.RDS, c.Tagging, o.Wait)
	s.Add(k.handlers()...)
	s.Observe(k.observer)
}

// kinds are the package's handlers and observer over one pair of clients.
type kinds struct {
	subnetGroup *SubnetGroupHandler
	cluster     *ClusterHandler
	instance    *InstanceHandler
	observer    *Observer
}

// newKinds builds the handlers and the observer; wait, when set, replaces
// defaultWait.
func newKinds(api API, tags TaggingAPI, wait *poll.Options) kinds {
	return kinds{
		subnetGroup: newSubnetGroupHandler(api, tags),
		cluster:     newClusterHandler(api, wait),
		instance:    newInstanceHandler(api, wait),
		observer:    newObserver(api, tags),
	}
}

// handlers returns the three handlers.
func (k kinds) handlers() []resource.Handler {
	return []resource.Handler{k.subnetGroup, k.cluster, k.instance}
}

// rdsHandler is what the cluster and instance handlers share: their
// kind's descriptor, the RDS client and the bound of their waits.
type rdsHandler struct {
	resource.Described
	api  API
	wait poll.Options
}

// newRDSHandler returns the shared part of the handler of the kind d over
// api; wait, when set, replaces defaultWait.
func newRDSHandler(d resource.Descriptor, api API, wait *poll.Options) rdsHandler {
	h := rdsHandler{Described: resource.Described{Descriptor: d}, api: api, wait: defaultWait}
	if wait != nil {
		h.wait = *wait
	}
	return h
}
