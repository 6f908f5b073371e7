package rds

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/kcstack/kcstack/pkg/sandbox/api/apitest"
)

func TestCreateDBInstance(t *testing.T) {
	cases := map[string]struct {
		reason string
		change func(in *rds.CreateDBInstanceInput)
		code   string
		zone   string
	}{
		"Valid":          {reason: "an instance joins the cluster", change: func(*rds.CreateDBInstanceInput) {}, zone: "eu-west-1a"},
		"Zone":           {reason: "a zone of the subnet group can be chosen", change: func(in *rds.CreateDBInstanceInput) { in.AvailabilityZone = ptr("eu-west-1c") }, zone: "eu-west-1c"},
		"OtherZone":      {reason: "zones outside the subnet group are refused", change: func(in *rds.CreateDBInstanceInput) { in.AvailabilityZone = ptr("eu-west-1d") }, code: codeInvalidCombination},
		"NoCluster":      {reason: "the cluster must exist", change: func(in *rds.CreateDBInstanceInput) { in.DBClusterIdentifier = ptr("nope") }, code: codeClusterNotFound},
		"Standalone":     {reason: "only cluster instances are emulated", change: func(in *rds.CreateDBInstanceInput) { in.DBClusterIdentifier = nil }, code: codeInvalidValue},
		"OtherEngine":    {reason: "the engine must be the cluster's", change: func(in *rds.CreateDBInstanceInput) { in.Engine = ptr("postgres") }, code: codeInvalidCombination},
		"BadClass":       {reason: "classes start with db.", change: func(in *rds.CreateDBInstanceInput) { in.DBInstanceClass = ptr("r6g.large") }, code: codeInvalidValue},
		"BadIdentifier":  {reason: "identifiers follow RDS rules", change: func(in *rds.CreateDBInstanceInput) { in.DBInstanceIdentifier = ptr("-x") }, code: codeInvalidValue},
		"Exists":         {reason: "identifiers are unique", change: func(in *rds.CreateDBInstanceInput) { in.DBInstanceIdentifier = ptr("EXISTING") }, code: codeInstanceExists},
		"Serverless":     {reason: "db.serverless needs the cluster's scaling configuration", change: func(in *rds.CreateDBInstanceInput) { in.DBInstanceClass = ptr("db.serverless") }, code: codeInvalidCombination},
		"MasterPassword": {reason: "cluster members take the cluster's master user", change: func(in *rds.CreateDBInstanceInput) { in.MasterUserPassword = ptr("longenough") }, code: codeInvalidCombination},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			w := newWorld()
			mustCluster(t, w, "aurora")
			mustCluster(t, w, "other")
			mustInstance(t, w, "other", "existing")
			in := &rds.CreateDBInstanceInput{
				DBInstanceIdentifier: ptr("Aurora-1"), DBClusterIdentifier: ptr("aurora"), DBInstanceClass: ptr("db.r6g.large"), Engine: ptr(engineAuroraPostgreSQL),
			}
			tc.change(in)
			out, err := createDBInstance(w.call(""), in)
			if got := errCode(t, err); got != tc.code {
				t.Fatalf("%s: want %q, got %q (%v)", tc.reason, tc.code, got, err)
			}
			if err != nil {
				return
			}
			db := out.DBInstance
			r := w.rds().Regions["eu-west-1"]
			want := []string{"aurora-1", "arn:aws:rds:eu-west-1:123456789012:db:aurora-1", "creating", tc.zone, "aurora-1." + r.EndpointID + ".eu-west-1.rds.amazonaws.com", "db", "16.6", "false", "default:aurora-postgresql-16"}
			got := []string{deref(db.DBInstanceIdentifier), deref(db.DBInstanceArn), deref(db.DBInstanceStatus), deref(db.AvailabilityZone),
				deref(db.Endpoint.Address), deref(db.DBSubnetGroup.DBSubnetGroupName), deref(db.EngineVersion), fmt.Sprint(deref(db.PubliclyAccessible)),
				deref(db.OptionGroupMemberships[0].OptionGroupName)}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s: -want +got:\n%s", tc.reason, diff)
			}
			w.wait()
			desc, err := describeDBInstances(w.call(""), &rds.DescribeDBInstancesInput{DBInstanceIdentifier: ptr("aurora-1")})
			if err != nil || deref(desc.DBInstances[0].DBInstanceStatus) != statusAvailable {
				t.Errorf("%s: after the delay: %v", tc.reason, err)
			}
		})
	}
}

func TestModifyDBInstance(t *testing.T) {
	cases := map[string]struct {
		reason  string
		in      rds.ModifyDBInstanceInput
		code    string
		status  string
		class   string
		pending string
	}{
		"Now":      {reason: "ApplyImmediately changes the class now", in: rds.ModifyDBInstanceInput{DBInstanceClass: ptr("db.r6g.xlarge"), ApplyImmediately: ptr(true)}, status: statusModifying, class: "db.r6g.xlarge"},
		"Later":    {reason: "otherwise the class is pending", in: rds.ModifyDBInstanceInput{DBInstanceClass: ptr("db.r6g.xlarge")}, status: statusAvailable, class: "db.r6g.large", pending: "db.r6g.xlarge"},
		"Tier":     {reason: "the promotion tier changes at once", in: rds.ModifyDBInstanceInput{PromotionTier: ptr[int32](0)}, status: statusAvailable, class: "db.r6g.large"},
		"BadClass": {reason: "classes start with db.", in: rds.ModifyDBInstanceInput{DBInstanceClass: ptr("large")}, code: codeInvalidValue},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			w := newWorld()
			mustCluster(t, w, "aurora")
			mustInstance(t, w, "aurora", "aurora-1")
			w.wait()
			in := tc.in
			in.DBInstanceIdentifier = ptr("aurora-1")
			out, err := modifyDBInstance(w.call(""), &in)
			if got := errCode(t, err); got != tc.code {
				t.Fatalf("%s: want %q, got %q (%v)", tc.reason, tc.code, got, err)
			}
			if err != nil {
				return
			}
			pending := ""
			if p := out.DBInstance.PendingModifiedValues; p != nil {
				pending = deref(p.DBInstanceClass)
			}
			got := []string{deref(out.DBInstance.DBInstanceStatus), deref(out.DBInstance.DBInstanceClass), pending}
			if diff := cmp.Diff([]string{tc.status, tc.class, tc.pending}, got); diff != "" {
				t.Errorf("%s: status, class, pending -want +got:\n%s", tc.reason, diff)
			}
		})
	}
	w := newWorld()
	mustCluster(t, w, "aurora")
	mustInstance(t, w, "aurora", "aurora-1")
	_, err := modifyDBInstance(w.call(""), &rds.ModifyDBInstanceInput{DBInstanceIdentifier: ptr("aurora-1"), DBInstanceClass: ptr("db.r6g.xlarge")})
	if got := errCode(t, err); got != codeInstanceState {
		t.Errorf("modifying a creating instance: want %s, got %q", codeInstanceState, got)
	}
	_, err = modifyDBInstance(w.call(""), &rds.ModifyDBInstanceInput{DBInstanceIdentifier: ptr("nope")})
	if e := apiError(t, err); e == nil || e.Code != codeInstanceNotFound || e.HTTPStatus() != http.StatusNotFound {
		t.Errorf("unknown instance: want %s 404, got %v", codeInstanceNotFound, e)
	}
}

func TestFailoverPrefersPromotionTier(t *testing.T) {
	w := newWorld()
	mustCluster(t, w, "aurora")
	for _, id := range []string{"a1", "a2", "a3"} {
		mustInstance(t, w, "aurora", id)
	}
	w.wait()
	if _, err := modifyDBInstance(w.call(""), &rds.ModifyDBInstanceInput{DBInstanceIdentifier: ptr("a3"), PromotionTier: ptr[int32](0)}); err != nil {
		t.Fatal(err)
	}
	if _, err := deleteDBInstance(w.call(""), &rds.DeleteDBInstanceInput{DBInstanceIdentifier: ptr("a1")}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]bool{"a1": false, "a2": false, "a3": true}, writers(describeCluster(t, w, "aurora"))); diff != "" {
		t.Errorf("failover to tier 0: -want +got:\n%s", diff)
	}
	w.wait()
	cl := describeCluster(t, w, "aurora")
	if diff := cmp.Diff(map[string]bool{"a2": false, "a3": true}, writers(cl)); diff != "" {
		t.Errorf("after deletion: -want +got:\n%s", diff)
	}
	if !deref(cl.MultiAZ) {
		t.Errorf("instances in two zones make the cluster Multi-AZ")
	}
}

func TestDescribeFiltersAndPages(t *testing.T) {
	w := newWorld()
	var ids []string
	for i := range 25 {
		id := fmt.Sprintf("c%02d", i)
		ids = append(ids, id)
		mustCluster(t, w, id)
	}
	mustInstance(t, w, "c01", "c01-a")
	mustInstance(t, w, "c02", "c02-a")
	mustInstance(t, w, "c02", "c02-b")
	var got []string
	in := &rds.DescribeDBClustersInput{MaxRecords: ptr[int32](20)}
	for pages := 1; ; pages++ {
		out, err := describeDBClusters(w.call(""), in)
		if err != nil {
			t.Fatal(err)
		}
		for _, cl := range out.DBClusters {
			got = append(got, deref(cl.DBClusterIdentifier))
		}
		if out.Marker == nil {
			if pages != 2 {
				t.Errorf("25 clusters by 20: %d pages", pages)
			}
			break
		}
		in.Marker = out.Marker
	}
	if diff := cmp.Diff(ids, got); diff != "" {
		t.Errorf("pages: -want +got:\n%s", diff)
	}
	filter := func(name string, values ...string) []types.Filter {
		return []types.Filter{{Name: ptr(name), Values: values}}
	}
	cases := map[string]struct {
		reason string
		run    func() ([]string, error)
		want   []string
		code   string
	}{
		"ClusterByARN": {reason: "db-cluster-id takes ARNs", want: []string{"c03"}, run: func() ([]string, error) {
			out, err := describeDBClusters(w.call(""), &rds.DescribeDBClustersInput{Filters: filter("db-cluster-id", "arn:aws:rds:eu-west-1:123456789012:cluster:c03")})
			return clusterIDs(out), err
		}},
		"InstancesOfCluster": {reason: "db-cluster-id selects a cluster's instances", want: []string{"c02-a", "c02-b"}, run: func() ([]string, error) {
			out, err := describeDBInstances(w.call(""), &rds.DescribeDBInstancesInput{Filters: filter("db-cluster-id", "c02")})
			return instanceIDs(out), err
		}},
		"InstanceID": {reason: "db-instance-id selects instances", want: []string{"c01-a", "c02-b"}, run: func() ([]string, error) {
			out, err := describeDBInstances(w.call(""), &rds.DescribeDBInstancesInput{Filters: filter("db-instance-id", "c01-a", "C02-B")})
			return instanceIDs(out), err
		}},
		"BadFilter": {reason: "unknown filters are refused", code: codeInvalidValue, run: func() ([]string, error) {
			_, err := describeDBInstances(w.call(""), &rds.DescribeDBInstancesInput{Filters: filter("tag:x", "y")})
			return nil, err
		}},
		"SmallPage": {reason: "MaxRecords is 20 to 100", code: codeInvalidValue, run: func() ([]string, error) {
			_, err := describeDBClusters(w.call(""), &rds.DescribeDBClustersInput{MaxRecords: ptr[int32](5)})
			return nil, err
		}},
		"MissingInstance": {reason: "an unknown instance is DBInstanceNotFound", code: codeInstanceNotFound, run: func() ([]string, error) {
			_, err := describeDBInstances(w.call(""), &rds.DescribeDBInstancesInput{DBInstanceIdentifier: ptr("nope")})
			return nil, err
		}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := tc.run()
			if code := errCode(t, err); code != tc.code {
				t.Fatalf("%s: want %q, got %q (%v)", tc.reason, tc.code, code, err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s: -want +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func clusterIDs(out *rds.DescribeDBClustersOutput) []string {
	if out == nil {
		return nil
	}
	var ids []string
	for _, cl := range out.DBClusters {
		ids = append(ids, deref(cl.DBClusterIdentifier))
	}
	return ids
}

func instanceIDs(out *rds.DescribeDBInstancesOutput) []string {
	if out == nil {
		return nil
	}
	var ids []string
	for _, in := range out.DBInstances {
		ids = append(ids, deref(in.DBInstanceIdentifier))
	}
	return ids
}

func TestTags(t *testing.T) {
	w := newWorld()
	mustCluster(t, w, "aurora")
	mustInstance(t, w, "aurora", "aurora-1")
	tag := func(k, v string) types.Tag { return types.Tag{Key: ptr(k), Value: ptr(v)} }
	clusterARN := "arn:aws:rds:eu-west-1:123456789012:cluster:aurora"
	if _, err := addTagsToResource(w.call(""), &rds.AddTagsToResourceInput{ResourceName: ptr(clusterARN), Tags: []types.Tag{tag("a", "1"), tag("b", "2")}}); err != nil {
		t.Fatal(err)
	}
	if _, err := addTagsToResource(w.call(""), &rds.AddTagsToResourceInput{ResourceName: ptr(clusterARN), Tags: []types.Tag{tag("a", "3")}}); err != nil {
		t.Fatal(err)
	}
	if _, err := removeTagsFromResource(w.call(""), &rds.RemoveTagsFromResourceInput{ResourceName: ptr(clusterARN), TagKeys: []string{"b"}}); err != nil {
		t.Fatal(err)
	}
	out, err := listTagsForResource(w.call(""), &rds.ListTagsForResourceInput{ResourceName: ptr(clusterARN)})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]types.Tag{tag("a", "3")}, out.TagList, sdkOpts); diff != "" {
		t.Errorf("tags: -want +got:\n%s", diff)
	}
	if _, err := addTagsToResource(w.call(""), &rds.AddTagsToResourceInput{ResourceName: ptr("arn:aws:rds:eu-west-1:123456789012:subgrp:db"), Tags: []types.Tag{tag("s", "g")}}); err != nil {
		t.Fatal(err)
	}
	var types []string
	for _, res := range w.rds().TaggedResources() {
		types = append(types, res.Type+" "+res.ARN)
	}
	want := []string{"rds:cluster " + clusterARN, "rds:subgrp arn:aws:rds:eu-west-1:123456789012:subgrp:db"}
	if diff := cmp.Diff(want, types); diff != "" {
		t.Errorf("TaggedResources: -want +got:\n%s", diff)
	}
	errs := map[string]struct {
		reason string
		arn    string
		code   string
	}{
		"MissingCluster":  {reason: "unknown clusters are DBClusterNotFoundFault", arn: "arn:aws:rds:eu-west-1:123456789012:cluster:nope", code: codeClusterNotFound},
		"MissingInstance": {reason: "unknown instances are DBInstanceNotFound", arn: "arn:aws:rds:eu-west-1:123456789012:db:nope", code: codeInstanceNotFound},
		"OtherRegion":     {reason: "ARNs of another region do not match", arn: "arn:aws:rds:us-east-1:123456789012:cluster:aurora", code: codeInvalidValue},
		"NotAnARN":        {reason: "resource names are ARNs", arn: "aurora", code: codeInvalidValue},
	}
	for name, tc := range errs {
		t.Run(name, func(t *testing.T) {
			_, err := listTagsForResource(w.call(""), &rds.ListTagsForResourceInput{ResourceName: ptr(tc.arn)})
			if got := errCode(t, err); got != tc.code {
				t.Errorf("%s: want %q, got %q", tc.reason, tc.code, got)
			}
		})
	}
}

func TestDependentsOf(t *testing.T) {
	w := newWorld()
	mustSubnetGroup(t, w, "unused", "subnet-a", "subnet-c")
	mustCluster(t, w, "aurora")
	mustInstance(t, w, "aurora", "aurora-1")
	zone := deref(region(w.call("")).Instances["aurora-1"].DB.AvailabilityZone)
	own := map[string]string{"eu-west-1a": "subnet-a", "eu-west-1b": "subnet-b", "eu-west-1c": "subnet-c"}[zone]
	other := map[string]string{"eu-west-1a": "subnet-b", "eu-west-1b": "subnet-c", "eu-west-1c": "subnet-a"}[zone]
	cases := map[string]struct {
		reason string
		id     string
		want   []string
	}{
		"Subnet":        {reason: "the instance's zone's subnet of the cluster's group is in use by both", id: own, want: []string{"RDS DB cluster aurora", "RDS DB instance aurora-1"}},
		"OtherZone":     {reason: "another zone's subnet of the group is the cluster's, not the instance's", id: other, want: []string{"RDS DB cluster aurora"}},
		"SecurityGroup": {reason: "the cluster's security groups are in use", id: "sg-default", want: []string{"RDS DB cluster aurora", "RDS DB instance aurora-1"}},
		"Unrelated":     {reason: "other subnets are free", id: "subnet-x"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, w.rds().DependentsOf(tc.id)); diff != "" {
				t.Errorf("%s: -want +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestDescribeDBEngineVersions(t *testing.T) {
	cases := map[string]struct {
		reason string
		in     *rds.DescribeDBEngineVersionsInput
		want   []string
	}{
		"Major":       {reason: "a major version lists its minors", in: &rds.DescribeDBEngineVersionsInput{Engine: ptr(engineAuroraPostgreSQL), EngineVersion: ptr("17")}, want: []string{"17.4", "17.5"}},
		"Exact":       {reason: "an exact version lists itself", in: &rds.DescribeDBEngineVersionsInput{EngineVersion: ptr("16.8")}, want: []string{"16.8"}},
		"Default":     {reason: "DefaultOnly lists the default", in: &rds.DescribeDBEngineVersionsInput{Engine: ptr(engineAuroraPostgreSQL), DefaultOnly: ptr(true)}, want: []string{defaultEngineVersion}},
		"OtherEngine": {reason: "other engines have none", in: &rds.DescribeDBEngineVersionsInput{Engine: ptr("mysql")}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			out, err := describeDBEngineVersions(nil, tc.in)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, v := range out.DBEngineVersions {
				got = append(got, deref(v.EngineVersion))
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s: -want +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestStateRoundTrip(t *testing.T) {
	w := newWorld()
	mustCluster(t, w, "aurora")
	mustInstance(t, w, "aurora", "aurora-1")
	if _, err := deleteDBCluster(w.call(""), &rds.DeleteDBClusterInput{DBClusterIdentifier: ptr("other")}); err == nil {
		t.Fatal("deleting an unknown cluster succeeded")
	}
	raw, err := json.Marshal(w.rds())
	if err != nil {
		t.Fatal(err)
	}
	back := NewState()
	if err := json.Unmarshal(raw, back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(w.rds(), back, sdkOpts, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("JSON round trip: -want +got:\n%s", diff)
	}
}

func TestServiceOps(t *testing.T) {
	apitest.CheckOps(t, Service())
}

func TestServerlessInstance(t *testing.T) {
	w := newWorld()
	mustSubnetGroup(t, w, "db", "subnet-a", "subnet-b")
	in := clusterInput("serverless")
	in.ServerlessV2ScalingConfiguration = &types.ServerlessV2ScalingConfiguration{MinCapacity: ptr(0.5), MaxCapacity: ptr(4.0)}
	if _, err := createDBCluster(w.call(""), in); err != nil {
		t.Fatal(err)
	}
	out, err := createDBInstance(w.call(""), &rds.CreateDBInstanceInput{
		DBInstanceIdentifier: ptr("serverless-1"), DBClusterIdentifier: ptr("serverless"), DBInstanceClass: ptr("db.serverless"), Engine: ptr(engineAuroraPostgreSQL),
	})
	if err != nil || deref(out.DBInstance.DBInstanceClass) != "db.serverless" {
		t.Fatalf("serverless instance: %v", err)
	}
	cfg := describeCluster(t, w, "serverless").ServerlessV2ScalingConfiguration
	if cfg == nil || deref(cfg.MinCapacity) != 0.5 || deref(cfg.MaxCapacity) != 4 {
		t.Errorf("scaling configuration %+v", cfg)
	}
}
