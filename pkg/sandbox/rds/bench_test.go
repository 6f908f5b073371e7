package rds

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/rds"
)

// BenchmarkDescribeDBClusters measures the emulation's share of a
// describe of one cluster with two instances (the front end's is apart).
func BenchmarkDescribeDBClusters(b *testing.B) {
	w := newWorld()
	t := &testing.T{}
	mustCluster(t, w, "aurora")
	mustInstance(t, w, "aurora", "aurora-1")
	mustInstance(t, w, "aurora", "aurora-2")
	c := w.call("DescribeDBClusters")
	in := &rds.DescribeDBClustersInput{DBClusterIdentifier: ptr("aurora")}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := describeDBClusters(c, in); err != nil {
			b.Fatal(err)
		}
	}
}
