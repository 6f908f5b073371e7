package rds

import (
	"sort"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/rds/types"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
	"github.com/kcstack/kcstack/pkg/sandbox/internal/lazy"
)

// State is the RDS state: resources by region.
type State struct{ lazy.Regional[Region] }

var (
	_ api.Ticker     = (*State)(nil)
	_ api.Tagged     = (*State)(nil)
	_ api.Dependents = (*State)(nil)
)

// Region holds one region's RDS resources, keyed by lower-case identifier
// (RDS identifiers are case-insensitive and stored in lower case).
type Region struct {
	// EndpointID is the random label shared by every endpoint of the
	// account in the region (<id>.cluster-<EndpointID>.<region>.rds...).
	EndpointID string `json:"endpoint_id"`
	// RDSKeyARN and SecretsKeyARN stand for the AWS managed KMS keys
	// aws/rds and aws/secretsmanager.
	RDSKeyARN     string                  `json:"rds_key_arn"`
	SecretsKeyARN string                  `json:"secrets_key_arn"`
	SubnetGroups  map[string]*SubnetGroup `json:"subnet_groups,omitempty"`
	Clusters      map[string]*Cluster     `json:"clusters,omitempty"`
	Instances     map[string]*Instance    `json:"instances,omitempty"`
	Snapshots     map[string]*Snapshot    `json:"snapshots,omitempty"`
}

// SubnetGroup is a DB subnet group and its tags (the SDK's description
// type has no tag list).
type SubnetGroup struct {
	Group types.DBSubnetGroup `json:"group"`
	Tags  []types.Tag         `json:"tags,omitempty"`
}

// Cluster is a DB cluster as DescribeDBClusters shows it, plus when its
// current status began.
type Cluster struct {
	DB    types.DBCluster `json:"db"`
	Since time.Time       `json:"since"`
}

// Instance is a DB instance as DescribeDBInstances shows it, plus when
// its current status began.
type Instance struct {
	DB    types.DBInstance `json:"db"`
	Since time.Time        `json:"since"`
}

// Snapshot is a manual DB cluster snapshot.
type Snapshot struct {
	DB    types.DBClusterSnapshot `json:"db"`
	Since time.Time               `json:"since"`
}

// Statuses the emulation uses.
const (
	statusCreating  = "creating"
	statusAvailable = "available"
	statusModifying = "modifying"
	statusUpgrading = "upgrading"
	statusDeleting  = "deleting"
)

// NewState returns an empty RDS state.
func NewState() *State {
	return &State{lazy.NewRegional[Region]()}
}

// state returns the RDS state of the call's world.
func state(c *api.Call) *State {
	return c.World.State(ServiceName).(*State)
}

// region returns the call's region, creating it on first use.
func region(c *api.Call) *Region {
	r := lazy.Entry(&state(c).Regions, c.Region, func() *Region {
		return &Region{
			EndpointID:    randomLower(12),
			RDSKeyARN:     c.ARN("kms", "key/"+newUUID()),
			SecretsKeyARN: c.ARN("kms", "key/"+newUUID()),
		}
	})
	lazy.Maps(r)
	return r
}

// Tick moves resources whose transition has lasted long enough:
// creating and modifying become available after the create delay,
// deleting ones disappear after the delete delay.
func (s *State) Tick(now time.Time, set api.Settings) {
	for _, r := range s.Regions {
		lazy.Maps(r)
		r.tickInstances(now, set)
		r.tickClusters(now, set)
		r.tickSnapshots(now, set)
	}
}

func (r *Region) tickInstances(now time.Time, set api.Settings) {
	for id, in := range r.Instances {
		status := *in.DB.DBInstanceStatus
		switch {
		case status == statusDeleting && now.Sub(in.Since) >= set.DeleteDelay:
			delete(r.Instances, id)
			if cl := r.Clusters[lower(*in.DB.DBClusterIdentifier)]; cl != nil {
				removeMember(cl, *in.DB.DBInstanceIdentifier)
				r.updateMultiAZ(cl)
			}
		case transitional(status) && now.Sub(in.Since) >= set.CreateDelay:
			in.DB.DBInstanceStatus = ptr(statusAvailable)
			in.Since = now
		}
	}
}

func (r *Region) tickClusters(now time.Time, set api.Settings) {
	for id, cl := range r.Clusters {
		status := *cl.DB.Status
		switch {
		case status == statusDeleting && now.Sub(cl.Since) >= set.DeleteDelay:
			delete(r.Clusters, id)
		case transitional(status) && now.Sub(cl.Since) >= set.CreateDelay:
			cl.DB.Status = ptr(statusAvailable)
			cl.Since = now
			if s := cl.DB.MasterUserSecret; s != nil {
				s.SecretStatus = ptr(secretActive)
			}
			if cl.DB.EarliestRestorableTime == nil {
				cl.DB.EarliestRestorableTime = ptr(now)
			}
		}
	}
}

func (r *Region) tickSnapshots(now time.Time, set api.Settings) {
	for _, sn := range r.Snapshots {
		if *sn.DB.Status == statusCreating && now.Sub(sn.Since) >= set.CreateDelay {
			sn.DB.Status = ptr(statusAvailable)
			sn.DB.PercentProgress = ptr[int32](100)
		}
	}
}

// view is the cluster as outputs show it at now: a copy, restorable up to
// now once backups have started.
func (cl *Cluster) view(now time.Time) types.DBCluster {
	db := clone(cl.DB)
	if db.EarliestRestorableTime != nil {
		db.LatestRestorableTime = ptr(now)
	}
	return db
}

// transitional reports whether status ends in available on its own.
func transitional(status string) bool {
	return status == statusCreating || status == statusModifying || status == statusUpgrading || status == statusFailingOver
}

// TaggedResources lists every tagged RDS resource, for the tagging API.
func (s *State) TaggedResources() []api.TaggedResource {
	var out api.TaggedList
	for name, r := range s.Regions {
		for _, g := range r.SubnetGroups {
			out.Add(name, deref(g.Group.DBSubnetGroupArn), "rds:subgrp", tagMap(g.Tags))
		}
		for _, cl := range r.Clusters {
			out.Add(name, deref(cl.DB.DBClusterArn), "rds:cluster", tagMap(cl.DB.TagList))
		}
		for _, in := range r.Instances {
			out.Add(name, deref(in.DB.DBInstanceArn), "rds:db", tagMap(in.DB.TagList))
		}
		for _, sn := range r.Snapshots {
			out.Add(name, deref(sn.DB.DBClusterSnapshotArn), "rds:cluster-snapshot", tagMap(sn.DB.TagList))
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ARN < out[j].ARN })
	return out
}
