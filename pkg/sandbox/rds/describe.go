package rds

import (
	"sort"

	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

// fields maps a filter name to the values of an item it matches on.
type fields[T any] map[string]func(T) []string

// filterItems keeps the items that match every filter; a filter matches
// when one of its values equals one of the item's (ids and ARNs compare
// as identifiers, case-insensitively).
func filterItems[T any](items []T, filters []types.Filter, f fields[T]) ([]T, error) {
	for _, flt := range filters {
		if _, ok := f[deref(flt.Name)]; !ok {
			return nil, invalidValue("Unrecognized filter name: %s.", deref(flt.Name))
		}
	}
	var out []T
	for _, it := range items {
		if matchesFilters(it, filters, f) {
			out = append(out, it)
		}
	}
	return out, nil
}

func matchesFilters[T any](it T, filters []types.Filter, f fields[T]) bool {
	for _, flt := range filters {
		if !anyEqual(f[deref(flt.Name)](it), flt.Values) {
			return false
		}
	}
	return true
}

func anyEqual(have, want []string) bool {
	for _, h := range have {
		for _, w := range want {
			if lower(lastField(h)) == lower(lastField(w)) {
				return true
			}
		}
	}
	return false
}

// lastField is the identifier at the end of an RDS ARN, or s itself.
func lastField(s string) string {
	for _, kind := range []string{"cluster", "db", "cluster-snapshot", "subgrp"} {
		if id := idFromARN(s, kind); id != s {
			return id
		}
	}
	return s
}

func one(s *string) []string { return []string{deref(s)} }

var clusterFields = fields[*Cluster]{
	"db-cluster-id":          func(c *Cluster) []string { return one(c.DB.DBClusterIdentifier) },
	"db-cluster-resource-id": func(c *Cluster) []string { return one(c.DB.DbClusterResourceId) },
	"engine":                 func(c *Cluster) []string { return one(c.DB.Engine) },
	"clone-group-id":         func(c *Cluster) []string { return one(c.DB.CloneGroupId) },
	"domain":                 func(*Cluster) []string { return nil },
}

var instanceFields = fields[*Instance]{
	"db-cluster-id":   func(i *Instance) []string { return one(i.DB.DBClusterIdentifier) },
	"db-instance-id":  func(i *Instance) []string { return one(i.DB.DBInstanceIdentifier) },
	"dbi-resource-id": func(i *Instance) []string { return one(i.DB.DbiResourceId) },
	"engine":          func(i *Instance) []string { return one(i.DB.Engine) },
	"domain":          func(*Instance) []string { return nil },
}

var snapshotFields = fields[*Snapshot]{
	"db-cluster-id":          func(s *Snapshot) []string { return one(s.DB.DBClusterIdentifier) },
	"db-cluster-snapshot-id": func(s *Snapshot) []string { return one(s.DB.DBClusterSnapshotIdentifier) },
	"snapshot-type":          func(s *Snapshot) []string { return one(s.DB.SnapshotType) },
	"engine":                 func(s *Snapshot) []string { return one(s.DB.Engine) },
}

func describeDBClusters(c *api.Call, in *rds.DescribeDBClustersInput) (*rds.DescribeDBClustersOutput, error) {
	r := region(c)
	clusters := sortedValues(r.Clusters)
	if ref := deref(in.DBClusterIdentifier); ref != "" {
		cl, ok := r.Clusters[lower(idFromARN(ref, "cluster"))]
		if !ok {
			return nil, errClusterNotFound(ref)
		}
		clusters = []*Cluster{cl}
	}
	matched, err := filterItems(clusters, in.Filters, clusterFields)
	if err != nil {
		return nil, err
	}
	pageOf, marker, err := page(matched, in.Marker, in.MaxRecords)
	if err != nil {
		return nil, err
	}
	out := &rds.DescribeDBClustersOutput{DBClusters: make([]types.DBCluster, 0, len(pageOf)), Marker: marker}
	for _, cl := range pageOf {
		out.DBClusters = append(out.DBClusters, cl.view(c.Now))
	}
	return out, nil
}

func describeDBInstances(c *api.Call, in *rds.DescribeDBInstancesInput) (*rds.DescribeDBInstancesOutput, error) {
	r := region(c)
	instances := sortedValues(r.Instances)
	if ref := deref(in.DBInstanceIdentifier); ref != "" {
		inst, ok := r.Instances[lower(idFromARN(ref, "db"))]
		if !ok {
			return nil, errInstanceNotFound(ref)
		}
		instances = []*Instance{inst}
	}
	matched, err := filterItems(instances, in.Filters, instanceFields)
	if err != nil {
		return nil, err
	}
	pageOf, marker, err := page(matched, in.Marker, in.MaxRecords)
	if err != nil {
		return nil, err
	}
	out := &rds.DescribeDBInstancesOutput{DBInstances: make([]types.DBInstance, 0, len(pageOf)), Marker: marker}
	for _, inst := range pageOf {
		out.DBInstances = append(out.DBInstances, clone(inst.DB))
	}
	return out, nil
}

func describeDBClusterSnapshots(c *api.Call, in *rds.DescribeDBClusterSnapshotsInput) (*rds.DescribeDBClusterSnapshotsOutput, error) {
	r := region(c)
	snapshots := sortedValues(r.Snapshots)
	if ref := deref(in.DBClusterSnapshotIdentifier); ref != "" {
		sn, ok := r.Snapshots[lower(idFromARN(ref, "cluster-snapshot"))]
		if !ok {
			return nil, errSnapshotNotFound(ref)
		}
		snapshots = []*Snapshot{sn}
	}
	filters := append([]types.Filter(nil), in.Filters...)
	if ref := deref(in.DBClusterIdentifier); ref != "" {
		filters = append(filters, types.Filter{Name: ptr("db-cluster-id"), Values: []string{ref}})
	}
	if t := deref(in.SnapshotType); t != "" {
		filters = append(filters, types.Filter{Name: ptr("snapshot-type"), Values: []string{t}})
	}
	matched, err := filterItems(snapshots, filters, snapshotFields)
	if err != nil {
		return nil, err
	}
	pageOf, marker, err := page(matched, in.Marker, in.MaxRecords)
	if err != nil {
		return nil, err
	}
	out := &rds.DescribeDBClusterSnapshotsOutput{DBClusterSnapshots: make([]types.DBClusterSnapshot, 0, len(pageOf)), Marker: marker}
	for _, sn := range pageOf {
		out.DBClusterSnapshots = append(out.DBClusterSnapshots, clone(sn.DB))
	}
	return out, nil
}

// sortedValues returns a map's values in key order, for stable pages.
func sortedValues[V any](m map[string]V) []V {
	out := make([]V, 0, len(m))
	for _, k := range sortedKeys(m) {
		out = append(out, m[k])
	}
	return out
}

func sortStrings(s []string) { sort.Strings(s) }
