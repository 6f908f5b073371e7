package rds_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	awsrds "github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/sandbox"
	"github.com/kcstack/kcstack/pkg/sandbox/api"
	"github.com/kcstack/kcstack/pkg/sandbox/rds"
	"github.com/kcstack/kcstack/pkg/sandbox/sandboxtest"
	"github.com/kcstack/kcstack/pkg/sandbox/secretsmanager"
)

// fakeEC2 stands in for the EC2 emulation: fixed subnets and groups.
type fakeEC2 struct{}

var subnets = map[string][2]string{
	"subnet-a": {"vpc-1", "eu-west-1a"}, "subnet-b": {"vpc-1", "eu-west-1b"}, "subnet-c": {"vpc-1", "eu-west-1c"},
	"subnet-a2": {"vpc-1", "eu-west-1a"}, "subnet-x": {"vpc-2", "eu-west-1b"},
}

func (fakeEC2) LookupSubnet(_, id string) (string, string, bool) {
	s, ok := subnets[id]
	return s[0], s[1], ok
}

func (fakeEC2) LookupSecurityGroup(_, id string) (string, bool) {
	vpc, ok := map[string]string{"sg-db": "vpc-1", "sg-default": "vpc-1"}[id]
	return vpc, ok
}

func (fakeEC2) DefaultSecurityGroup(_, vpc string) (string, bool) {
	return "sg-default", vpc == "vpc-1"
}

// fakeEC2Service registers the fake as the sandbox's "ec2" state.
func fakeEC2Service() api.Service {
	return api.Service{Name: "ec2", Ops: map[string]api.Op{}, NewState: func() any { return &fakeEC2{} }}
}

type clients struct {
	rds     *awsrds.Client
	secrets *sm.Client
}

// newClients starts a sandbox with RDS, Secrets Manager and the fake EC2;
// deleted resources linger 200 ms so tests can see them deleting.
func newClients(t *testing.T, opts ...sandbox.Option) clients {
	t.Helper()
	opts = append([]sandbox.Option{sandbox.WithServices(fakeEC2Service(), rds.Service(), secretsmanager.Service()),
		sandbox.WithDelays(30*time.Millisecond, 200*time.Millisecond)}, opts...)
	srv := sandboxtest.New(t, opts...)
	cfg := sandboxtest.AWSConfig(t, srv)
	return clients{rds: awsrds.NewFromConfig(cfg), secrets: sm.NewFromConfig(cfg)}
}

// apiError returns the code and HTTP status of err, "" and 0 for nil.
func apiError(t *testing.T, err error) (string, int) {
	t.Helper()
	if err == nil {
		return "", 0
	}
	var apiErr smithy.APIError
	var respErr *awshttp.ResponseError
	if !errors.As(err, &apiErr) || !errors.As(err, &respErr) {
		t.Fatalf("error %v is not an API error with a response", err)
	}
	return apiErr.ErrorCode(), respErr.HTTPStatusCode()
}

func fast[T any](o *T) {
	switch w := any(o).(type) {
	case *awsrds.DBClusterAvailableWaiterOptions:
		w.MinDelay, w.MaxDelay = 10*time.Millisecond, 50*time.Millisecond
	case *awsrds.DBInstanceAvailableWaiterOptions:
		w.MinDelay, w.MaxDelay = 10*time.Millisecond, 50*time.Millisecond
	case *awsrds.DBInstanceDeletedWaiterOptions:
		w.MinDelay, w.MaxDelay = 10*time.Millisecond, 50*time.Millisecond
	case *awsrds.DBClusterDeletedWaiterOptions:
		w.MinDelay, w.MaxDelay = 10*time.Millisecond, 50*time.Millisecond
	case *awsrds.DBClusterSnapshotAvailableWaiterOptions:
		w.MinDelay, w.MaxDelay = 10*time.Millisecond, 50*time.Millisecond
	}
}

func createSubnetGroup(t *testing.T, c clients) {
	t.Helper()
	_, err := c.rds.CreateDBSubnetGroup(context.Background(), &awsrds.CreateDBSubnetGroupInput{
		DBSubnetGroupName: aws.String("keycloak-db"), DBSubnetGroupDescription: aws.String("Keycloak"),
		SubnetIds: []string{"subnet-a", "subnet-b", "subnet-c"},
		Tags:      []types.Tag{{Key: aws.String("kcstack:stack"), Value: aws.String("prod")}},
	})
	if err != nil {
		t.Fatalf("CreateDBSubnetGroup: %v", err)
	}
}

func createCluster(t *testing.T, c clients, id string) *types.DBCluster {
	t.Helper()
	out, err := c.rds.CreateDBCluster(context.Background(), &awsrds.CreateDBClusterInput{
		DBClusterIdentifier: aws.String(id), Engine: aws.String("aurora-postgresql"), EngineVersion: aws.String("16.6"),
		MasterUsername: aws.String("keycloak"), ManageMasterUserPassword: aws.Bool(true), DatabaseName: aws.String("keycloak"),
		DBSubnetGroupName: aws.String("keycloak-db"), VpcSecurityGroupIds: []string{"sg-db"}, StorageEncrypted: aws.Bool(true),
		Tags: []types.Tag{{Key: aws.String("kcstack:stack"), Value: aws.String("prod")}},
	})
	if err != nil {
		t.Fatalf("CreateDBCluster %s: %v", id, err)
	}
	return out.DBCluster
}

func createInstance(t *testing.T, c clients, cluster, id string) {
	t.Helper()
	_, err := c.rds.CreateDBInstance(context.Background(), &awsrds.CreateDBInstanceInput{
		DBInstanceIdentifier: aws.String(id), DBClusterIdentifier: aws.String(cluster),
		DBInstanceClass: aws.String("db.r6g.large"), Engine: aws.String("aurora-postgresql"),
	})
	if err != nil {
		t.Fatalf("CreateDBInstance %s: %v", id, err)
	}
}

func TestAuroraLifecycleOverHTTP(t *testing.T) {
	auroraLifecycle(t, newClients(t))
}

// TestAuroraLifecycleThrottled runs the same lifecycle with 30% of the
// calls throttled: the SDK's standard retryer must still get through.
func TestAuroraLifecycleThrottled(t *testing.T) {
	auroraLifecycle(t, newClients(t, sandbox.WithFaults(sandbox.Faults{ThrottleRate: 0.3, Seed: 1})))
}

func auroraLifecycle(t *testing.T, c clients) {
	t.Helper()
	ctx := context.Background()
	createSubnetGroup(t, c)
	created := createCluster(t, c, "keycloak")
	if aws.ToString(created.Status) != "creating" || created.MasterUserSecret == nil {
		t.Fatalf("new cluster: status %s, secret %v", aws.ToString(created.Status), created.MasterUserSecret)
	}
	clusterWaiter := awsrds.NewDBClusterAvailableWaiter(c.rds, fast)
	if err := clusterWaiter.Wait(ctx, &awsrds.DescribeDBClustersInput{DBClusterIdentifier: aws.String("keycloak")}, 10*time.Second); err != nil {
		t.Fatalf("DBClusterAvailable waiter: %v", err)
	}
	createInstance(t, c, "keycloak", "keycloak-1")
	createInstance(t, c, "keycloak", "keycloak-2")
	instWaiter := awsrds.NewDBInstanceAvailableWaiter(c.rds, fast)
	byCluster := &awsrds.DescribeDBInstancesInput{Filters: []types.Filter{{Name: aws.String("db-cluster-id"), Values: []string{"keycloak"}}}}
	if err := instWaiter.Wait(ctx, byCluster, 10*time.Second); err != nil {
		t.Fatalf("DBInstanceAvailable waiter: %v", err)
	}
	checkMembers(t, c, map[string]bool{"keycloak-1": true, "keycloak-2": false})
	checkWriter(t, c, "keycloak-1")
	checkSecret(t, c, aws.ToString(created.MasterUserSecret.SecretArn))
	modifyAndTag(t, c, aws.ToString(created.DBClusterArn))
	deleteAll(t, c)
}

func checkMembers(t *testing.T, c clients, want map[string]bool) {
	t.Helper()
	out, err := c.rds.DescribeDBClusters(context.Background(), &awsrds.DescribeDBClustersInput{
		Filters: []types.Filter{{Name: aws.String("db-cluster-id"), Values: []string{"keycloak"}}},
	})
	if err != nil || len(out.DBClusters) != 1 {
		t.Fatalf("DescribeDBClusters: %+v, %v", out, err)
	}
	got := map[string]bool{}
	for _, m := range out.DBClusters[0].DBClusterMembers {
		got[aws.ToString(m.DBInstanceIdentifier)] = aws.ToBool(m.IsClusterWriter)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("members (writer flags): -want +got:\n%s", diff)
	}
}

// checkWriter checks that the cluster's writer is id; members being
// deleted may be gone already.
func checkWriter(t *testing.T, c clients, id string) {
	t.Helper()
	out, err := c.rds.DescribeDBClusters(context.Background(), &awsrds.DescribeDBClustersInput{DBClusterIdentifier: aws.String("keycloak")})
	if err != nil {
		t.Fatalf("DescribeDBClusters: %v", err)
	}
	var writers []string
	for _, m := range out.DBClusters[0].DBClusterMembers {
		if aws.ToBool(m.IsClusterWriter) {
			writers = append(writers, aws.ToString(m.DBInstanceIdentifier))
		}
	}
	if diff := cmp.Diff([]string{id}, writers); diff != "" {
		t.Errorf("writers: -want +got:\n%s", diff)
	}
}

func checkSecret(t *testing.T, c clients, arn string) {
	t.Helper()
	val, err := c.secrets.GetSecretValue(context.Background(), &sm.GetSecretValueInput{SecretId: aws.String(arn)})
	if err != nil {
		t.Fatalf("GetSecretValue of the managed secret: %v", err)
	}
	var creds struct{ Username, Password string }
	if err := json.Unmarshal([]byte(aws.ToString(val.SecretString)), &creds); err != nil || creds.Username != "keycloak" || creds.Password == "" {
		t.Errorf("managed secret is not the master credentials (err %v)", err)
	}
	_, err = c.secrets.DeleteSecret(context.Background(), &sm.DeleteSecretInput{SecretId: aws.String(arn), ForceDeleteWithoutRecovery: aws.Bool(true)})
	if code, _ := apiError(t, err); code != "InvalidRequestException" {
		t.Errorf("deleting RDS's secret through Secrets Manager: want InvalidRequestException, got %v", err)
	}
}

func modifyAndTag(t *testing.T, c clients, clusterARN string) {
	t.Helper()
	ctx := context.Background()
	inst, err := c.rds.ModifyDBInstance(ctx, &awsrds.ModifyDBInstanceInput{DBInstanceIdentifier: aws.String("keycloak-2"), DBInstanceClass: aws.String("db.r6g.xlarge"), ApplyImmediately: aws.Bool(true)})
	if err != nil || aws.ToString(inst.DBInstance.DBInstanceStatus) != "modifying" {
		t.Fatalf("ModifyDBInstance: %+v, %v", inst, err)
	}
	cl, err := c.rds.ModifyDBCluster(ctx, &awsrds.ModifyDBClusterInput{DBClusterIdentifier: aws.String("keycloak"), EngineVersion: aws.String("16.8"), ApplyImmediately: aws.Bool(true), BackupRetentionPeriod: aws.Int32(7)})
	if err != nil || aws.ToString(cl.DBCluster.EngineVersion) != "16.8" {
		t.Fatalf("ModifyDBCluster: %+v, %v", cl, err)
	}
	if err := awsrds.NewDBClusterAvailableWaiter(c.rds, fast).Wait(ctx, &awsrds.DescribeDBClustersInput{DBClusterIdentifier: aws.String(clusterARN)}, 10*time.Second); err != nil {
		t.Fatalf("waiting after modify: %v", err)
	}
	if _, err := c.rds.AddTagsToResource(ctx, &awsrds.AddTagsToResourceInput{ResourceName: aws.String(clusterARN), Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("id")}}}); err != nil {
		t.Fatalf("AddTagsToResource: %v", err)
	}
	if _, err := c.rds.RemoveTagsFromResource(ctx, &awsrds.RemoveTagsFromResourceInput{ResourceName: aws.String(clusterARN), TagKeys: []string{"kcstack:stack"}}); err != nil {
		t.Fatalf("RemoveTagsFromResource: %v", err)
	}
	tags, err := c.rds.ListTagsForResource(ctx, &awsrds.ListTagsForResourceInput{ResourceName: aws.String(clusterARN)})
	if err != nil || len(tags.TagList) != 1 || aws.ToString(tags.TagList[0].Key) != "team" {
		t.Errorf("ListTagsForResource: %+v, %v", tags, err)
	}
}

func deleteAll(t *testing.T, c clients) {
	t.Helper()
	ctx := context.Background()
	_, err := c.rds.DeleteDBCluster(ctx, &awsrds.DeleteDBClusterInput{DBClusterIdentifier: aws.String("keycloak"), SkipFinalSnapshot: aws.Bool(true)})
	if code, status := apiError(t, err); code != "InvalidDBClusterStateFault" || status != http.StatusBadRequest {
		t.Fatalf("deleting a cluster with instances: want InvalidDBClusterStateFault 400, got %v", err)
	}
	if _, err := c.rds.DeleteDBInstance(ctx, &awsrds.DeleteDBInstanceInput{DBInstanceIdentifier: aws.String("keycloak-1")}); err != nil {
		t.Fatalf("DeleteDBInstance writer: %v", err)
	}
	checkWriter(t, c, "keycloak-2")
	if _, err := c.rds.DeleteDBInstance(ctx, &awsrds.DeleteDBInstanceInput{DBInstanceIdentifier: aws.String("keycloak-2")}); err != nil {
		t.Fatalf("DeleteDBInstance reader: %v", err)
	}
	all := &awsrds.DescribeDBInstancesInput{}
	if err := awsrds.NewDBInstanceDeletedWaiter(c.rds, fast).Wait(ctx, all, 10*time.Second); err != nil {
		t.Fatalf("DBInstanceDeleted waiter: %v", err)
	}
	if _, err := c.rds.DeleteDBCluster(ctx, &awsrds.DeleteDBClusterInput{DBClusterIdentifier: aws.String("keycloak"), FinalDBSnapshotIdentifier: aws.String("keycloak-final")}); err != nil {
		t.Fatalf("DeleteDBCluster: %v", err)
	}
	_, err = c.rds.DeleteDBSubnetGroup(ctx, &awsrds.DeleteDBSubnetGroupInput{DBSubnetGroupName: aws.String("keycloak-db")})
	if code, _ := apiError(t, err); code != "InvalidDBSubnetGroupStateFault" {
		t.Errorf("deleting a subnet group in use: want InvalidDBSubnetGroupStateFault, got %v", err)
	}
	if err := awsrds.NewDBClusterDeletedWaiter(c.rds, fast).Wait(ctx, &awsrds.DescribeDBClustersInput{DBClusterIdentifier: aws.String("keycloak")}, 10*time.Second); err != nil {
		t.Fatalf("DBClusterDeleted waiter: %v", err)
	}
	final := &awsrds.DescribeDBClusterSnapshotsInput{DBClusterIdentifier: aws.String("keycloak")}
	if err := awsrds.NewDBClusterSnapshotAvailableWaiter(c.rds, fast).Wait(ctx, final, 10*time.Second); err != nil {
		t.Fatalf("DBClusterSnapshotAvailable waiter: %v", err)
	}
	snaps, err := c.rds.DescribeDBClusterSnapshots(ctx, final)
	if err != nil || len(snaps.DBClusterSnapshots) != 1 || aws.ToString(snaps.DBClusterSnapshots[0].Status) != "available" {
		t.Fatalf("DescribeDBClusterSnapshots: %+v, %v", snaps, err)
	}
	if _, err := c.rds.DeleteDBClusterSnapshot(ctx, &awsrds.DeleteDBClusterSnapshotInput{DBClusterSnapshotIdentifier: aws.String("keycloak-final")}); err != nil {
		t.Fatalf("DeleteDBClusterSnapshot: %v", err)
	}
	if _, err := c.rds.DeleteDBSubnetGroup(ctx, &awsrds.DeleteDBSubnetGroupInput{DBSubnetGroupName: aws.String("keycloak-db")}); err != nil {
		t.Fatalf("DeleteDBSubnetGroup: %v", err)
	}
}

func TestRDSErrorsOverHTTP(t *testing.T) {
	ctx := context.Background()
	c := newClients(t)
	createSubnetGroup(t, c)
	createCluster(t, c, "existing")
	cases := map[string]struct {
		reason string
		call   func() error
		code   string
		status int
	}{
		"ClusterNotFound": {reason: "RDS answers not-found with 404", code: "DBClusterNotFoundFault", status: 404, call: func() error {
			_, err := c.rds.DescribeDBClusters(ctx, &awsrds.DescribeDBClustersInput{DBClusterIdentifier: aws.String("nope")})
			return err
		}},
		"InstanceNotFound": {reason: "the instance code has no Fault suffix", code: "DBInstanceNotFound", status: 404, call: func() error {
			_, err := c.rds.DescribeDBInstances(ctx, &awsrds.DescribeDBInstancesInput{DBInstanceIdentifier: aws.String("nope")})
			return err
		}},
		"SubnetGroupNotFound": {reason: "unknown subnet groups", code: "DBSubnetGroupNotFoundFault", status: 404, call: func() error {
			_, err := c.rds.DescribeDBSubnetGroups(ctx, &awsrds.DescribeDBSubnetGroupsInput{DBSubnetGroupName: aws.String("nope")})
			return err
		}},
		"SnapshotNotFound": {reason: "unknown snapshots", code: "DBClusterSnapshotNotFoundFault", status: 404, call: func() error {
			_, err := c.rds.DeleteDBClusterSnapshot(ctx, &awsrds.DeleteDBClusterSnapshotInput{DBClusterSnapshotIdentifier: aws.String("nope")})
			return err
		}},
		"ClusterExists": {reason: "identifiers are unique", code: "DBClusterAlreadyExistsFault", status: 400, call: func() error {
			_, err := c.rds.CreateDBCluster(ctx, &awsrds.CreateDBClusterInput{DBClusterIdentifier: aws.String("existing"), Engine: aws.String("aurora-postgresql"), MasterUsername: aws.String("u"), MasterUserPassword: aws.String("longenough")})
			return err
		}},
		"BadIdentifier": {reason: "identifiers follow RDS rules", code: "InvalidParameterValue", status: 400, call: func() error {
			_, err := c.rds.CreateDBCluster(ctx, &awsrds.CreateDBClusterInput{DBClusterIdentifier: aws.String("bad--id"), Engine: aws.String("aurora-postgresql"), MasterUsername: aws.String("u"), MasterUserPassword: aws.String("longenough")})
			return err
		}},
		"OneZone": {reason: "subnet groups cover two zones", code: "DBSubnetGroupDoesNotCoverEnoughAZs", status: 400, call: func() error {
			_, err := c.rds.CreateDBSubnetGroup(ctx, &awsrds.CreateDBSubnetGroupInput{DBSubnetGroupName: aws.String("g"), DBSubnetGroupDescription: aws.String("d"), SubnetIds: []string{"subnet-a", "subnet-a2"}})
			return err
		}},
		"UnknownSubnet": {reason: "subnets must exist", code: "InvalidSubnet", status: 400, call: func() error {
			_, err := c.rds.CreateDBSubnetGroup(ctx, &awsrds.CreateDBSubnetGroupInput{DBSubnetGroupName: aws.String("g"), DBSubnetGroupDescription: aws.String("d"), SubnetIds: []string{"subnet-a", "subnet-zz"}})
			return err
		}},
		"NoFinalSnapshot": {reason: "a final snapshot or SkipFinalSnapshot", code: "InvalidParameterCombination", status: 400, call: func() error {
			_, err := c.rds.DeleteDBCluster(ctx, &awsrds.DeleteDBClusterInput{DBClusterIdentifier: aws.String("existing")})
			return err
		}},
		"SmallPage": {reason: "MaxRecords is 20 to 100", code: "InvalidParameterValue", status: 400, call: func() error {
			_, err := c.rds.DescribeDBClusters(ctx, &awsrds.DescribeDBClustersInput{MaxRecords: aws.Int32(10)})
			return err
		}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			code, status := apiError(t, tc.call())
			if code != tc.code || status != tc.status {
				t.Errorf("%s: want %s %d, got %s %d", tc.reason, tc.code, tc.status, code, status)
			}
		})
	}
	if err := awsrds.NewDBClusterAvailableWaiter(c.rds, fast).Wait(ctx, &awsrds.DescribeDBClustersInput{DBClusterIdentifier: aws.String("existing")}, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	if _, err := c.rds.ModifyDBCluster(ctx, &awsrds.ModifyDBClusterInput{DBClusterIdentifier: aws.String("existing"), DeletionProtection: aws.Bool(true)}); err != nil {
		t.Fatalf("ModifyDBCluster: %v", err)
	}
	_, err := c.rds.DeleteDBCluster(ctx, &awsrds.DeleteDBClusterInput{DBClusterIdentifier: aws.String("existing"), SkipFinalSnapshot: aws.Bool(true)})
	if code, _ := apiError(t, err); code != "InvalidParameterCombination" {
		t.Errorf("deleting a protected cluster: want InvalidParameterCombination, got %v", err)
	}
}

func TestDescribePaginatorsOverHTTP(t *testing.T) {
	ctx := context.Background()
	c := newClients(t)
	createSubnetGroup(t, c)
	var want []string
	for i := range 23 {
		id := fmt.Sprintf("c%02d", i)
		want = append(want, id)
		createCluster(t, c, id)
	}
	p := awsrds.NewDescribeDBClustersPaginator(c.rds, &awsrds.DescribeDBClustersInput{MaxRecords: aws.Int32(20)})
	sandboxtest.CheckPages(t, "DescribeDBClusters", want, 2, p.HasMorePages, p.NextPage,
		func(o *awsrds.DescribeDBClustersOutput) []types.DBCluster { return o.DBClusters }, func(cl types.DBCluster) *string { return cl.DBClusterIdentifier })
	versions, err := c.rds.DescribeDBEngineVersions(ctx, &awsrds.DescribeDBEngineVersionsInput{Engine: aws.String("aurora-postgresql"), EngineVersion: aws.String("17")})
	if err != nil || len(versions.DBEngineVersions) == 0 || aws.ToString(versions.DBEngineVersions[0].DBParameterGroupFamily) != "aurora-postgresql17" {
		t.Errorf("DescribeDBEngineVersions: %+v, %v", versions, err)
	}
}

func TestSubnetGroupsOverHTTP(t *testing.T) {
	ctx := context.Background()
	c := newClients(t)
	createSubnetGroup(t, c)
	mod, err := c.rds.ModifyDBSubnetGroup(ctx, &awsrds.ModifyDBSubnetGroupInput{
		DBSubnetGroupName: aws.String("keycloak-db"), SubnetIds: []string{"subnet-a2", "subnet-b"}, DBSubnetGroupDescription: aws.String("moved"),
	})
	if err != nil {
		t.Fatalf("ModifyDBSubnetGroup: %v", err)
	}
	if got := aws.ToString(mod.DBSubnetGroup.DBSubnetGroupDescription); got != "moved" || len(mod.DBSubnetGroup.Subnets) != 2 {
		t.Errorf("ModifyDBSubnetGroup: description %q, %d subnets", got, len(mod.DBSubnetGroup.Subnets))
	}
	_, err = c.rds.ModifyDBSubnetGroup(ctx, &awsrds.ModifyDBSubnetGroupInput{DBSubnetGroupName: aws.String("keycloak-db"), SubnetIds: []string{"subnet-a"}})
	if code, _ := apiError(t, err); code != "DBSubnetGroupDoesNotCoverEnoughAZs" {
		t.Errorf("one zone: want DBSubnetGroupDoesNotCoverEnoughAZs, got %v", err)
	}
	out, err := c.rds.DescribeDBSubnetGroups(ctx, &awsrds.DescribeDBSubnetGroupsInput{DBSubnetGroupName: aws.String("keycloak-db")})
	if err != nil || len(out.DBSubnetGroups) != 1 {
		t.Fatalf("DescribeDBSubnetGroups: %+v, %v", out, err)
	}
	var ids []string
	for _, s := range out.DBSubnetGroups[0].Subnets {
		ids = append(ids, aws.ToString(s.SubnetIdentifier)+" "+aws.ToString(s.SubnetAvailabilityZone.Name))
	}
	if diff := cmp.Diff([]string{"subnet-a2 eu-west-1a", "subnet-b eu-west-1b"}, ids); diff != "" {
		t.Errorf("subnets: -want +got:\n%s", diff)
	}
}

// TestRotateMasterUserPasswordOverHTTP: RotateMasterUserPassword gives the
// managed secret a new password for the same user, the old one staying as
// AWSPREVIOUS; without ApplyImmediately it is refused and nothing changes.
func TestRotateMasterUserPasswordOverHTTP(t *testing.T) {
	c := newClients(t)
	ctx := context.Background()
	createSubnetGroup(t, c)
	arn := aws.ToString(createCluster(t, c, "keycloak").MasterUserSecret.SecretArn)
	value := func(stage string) (creds struct{ Username, Password string }) {
		t.Helper()
		v, err := c.secrets.GetSecretValue(ctx, &sm.GetSecretValueInput{SecretId: aws.String(arn), VersionStage: aws.String(stage)})
		if err != nil {
			t.Fatalf("GetSecretValue %s: %v", stage, err)
		}
		if err := json.Unmarshal([]byte(aws.ToString(v.SecretString)), &creds); err != nil {
			t.Fatal(err)
		}
		return creds
	}
	if err := awsrds.NewDBClusterAvailableWaiter(c.rds, fast).Wait(ctx, &awsrds.DescribeDBClustersInput{DBClusterIdentifier: aws.String("keycloak")}, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	before := value("AWSCURRENT")
	_, err := c.rds.ModifyDBCluster(ctx, &awsrds.ModifyDBClusterInput{DBClusterIdentifier: aws.String("keycloak"), RotateMasterUserPassword: aws.Bool(true)})
	if code, _ := apiError(t, err); code != "InvalidParameterCombination" {
		t.Fatalf("rotate without ApplyImmediately: want InvalidParameterCombination, got %v", err)
	}
	if value("AWSCURRENT") != before {
		t.Fatal("a refused rotation changed the secret")
	}
	if _, err := c.rds.ModifyDBCluster(ctx, &awsrds.ModifyDBClusterInput{DBClusterIdentifier: aws.String("keycloak"), RotateMasterUserPassword: aws.Bool(true), ApplyImmediately: aws.Bool(true)}); err != nil {
		t.Fatalf("rotate: %v", err)
	}
	after := value("AWSCURRENT")
	if after.Username != before.Username || after.Password == before.Password || after.Password == "" {
		t.Errorf("after the rotation the user is %q (was %q) and the password changed: %v; want the same user, a new password",
			after.Username, before.Username, after.Password != before.Password)
	}
	if value("AWSPREVIOUS") != before {
		t.Error("the password before the rotation is not AWSPREVIOUS")
	}
}

// TestFailoverDBClusterOverHTTP: FailoverDBCluster makes the named reader
// the writer, or without a target the available reader with the best
// promotion tier; the cluster is failing-over, then available, and its
// endpoint keeps its name. A target that is the writer or not a member, a
// cluster failing over already, one without readers and an unknown one are
// refused without changing the writer.
func TestFailoverDBClusterOverHTTP(t *testing.T) {
	c := newClients(t)
	ctx := context.Background()
	createSubnetGroup(t, c)
	endpoint := aws.ToString(createCluster(t, c, "aurora").Endpoint)
	for _, id := range []string{"db-1", "db-2", "db-3"} {
		createInstance(t, c, "aurora", id)
	}
	createCluster(t, c, "single")
	createInstance(t, c, "single", "only")
	available := func(id string) {
		t.Helper()
		in := &awsrds.DescribeDBClustersInput{DBClusterIdentifier: aws.String(id)}
		if err := awsrds.NewDBClusterAvailableWaiter(c.rds, fast).Wait(ctx, in, 10*time.Second); err != nil {
			t.Fatalf("wait for %s available: %v", id, err)
		}
		if err := awsrds.NewDBInstanceAvailableWaiter(c.rds, fast).Wait(ctx, &awsrds.DescribeDBInstancesInput{
			Filters: []types.Filter{{Name: aws.String("db-cluster-id"), Values: []string{id}}}}, 10*time.Second); err != nil {
			t.Fatalf("wait for the instances of %s: %v", id, err)
		}
	}
	available("aurora")
	available("single")
	writer := func(cl *types.DBCluster) string {
		var ws []string
		for _, m := range cl.DBClusterMembers {
			if aws.ToBool(m.IsClusterWriter) {
				ws = append(ws, aws.ToString(m.DBInstanceIdentifier))
			}
		}
		return strings.Join(ws, ",")
	}
	describe := func() *types.DBCluster {
		t.Helper()
		out, err := c.rds.DescribeDBClusters(ctx, &awsrds.DescribeDBClustersInput{DBClusterIdentifier: aws.String("aurora")})
		if err != nil || len(out.DBClusters) != 1 {
			t.Fatalf("DescribeDBClusters: %v", err)
		}
		return &out.DBClusters[0]
	}
	if _, err := c.rds.ModifyDBInstance(ctx, &awsrds.ModifyDBInstanceInput{DBInstanceIdentifier: aws.String("db-3"), PromotionTier: aws.Int32(0)}); err != nil {
		t.Fatal(err)
	}
	steps := []struct{ target, want string }{
		{"", "db-3"},     // tier 0 beats db-2's tier 1
		{"db-2", "db-2"}, // a named reader
		{"db-1", "db-1"},
	}
	for _, s := range steps {
		if got := writer(describe()); got == s.want {
			t.Fatalf("writer is %s before failing over to it", got)
		}
		in := &awsrds.FailoverDBClusterInput{DBClusterIdentifier: aws.String("aurora")}
		if s.target != "" {
			in.TargetDBInstanceIdentifier = aws.String(s.target)
		}
		out, err := c.rds.FailoverDBCluster(ctx, in)
		if err != nil {
			t.Fatalf("FailoverDBCluster to %q: %v", s.target, err)
		}
		if got := aws.ToString(out.DBCluster.Status); got != "failing-over" {
			t.Errorf("status in the answer: %s, want failing-over", got)
		}
		_, err = c.rds.FailoverDBCluster(ctx, &awsrds.FailoverDBClusterInput{DBClusterIdentifier: aws.String("aurora")})
		if code, _ := apiError(t, err); code != "InvalidDBClusterStateFault" {
			t.Errorf("failover while failing over: want InvalidDBClusterStateFault, got %v", err)
		}
		available("aurora")
		cl := describe()
		if got := writer(cl); got != s.want {
			t.Errorf("failover to %q: writer %s, want %s", s.target, got, s.want)
		}
		if got := aws.ToString(cl.Endpoint); got != endpoint {
			t.Errorf("cluster endpoint %s after a failover, want %s", got, endpoint)
		}
	}
	refused := map[string]struct {
		cluster, target, code string
		status                int
	}{
		"the writer":     {"aurora", "db-1", "InvalidParameterValue", 400},
		"not a member":   {"aurora", "only", "InvalidParameterValue", 400},
		"no reader":      {"single", "", "InvalidDBClusterStateFault", 400},
		"unknown":        {"nope", "", "DBClusterNotFoundFault", 404},
		"unknown target": {"aurora", "nope", "InvalidParameterValue", 400},
	}
	for name, r := range refused {
		in := &awsrds.FailoverDBClusterInput{DBClusterIdentifier: aws.String(r.cluster)}
		if r.target != "" {
			in.TargetDBInstanceIdentifier = aws.String(r.target)
		}
		_, err := c.rds.FailoverDBCluster(ctx, in)
		if code, status := apiError(t, err); code != r.code || status != r.status {
			t.Errorf("%s: got %s %d (%v), want %s %d", name, code, status, err, r.code, r.status)
		}
	}
	if got := writer(describe()); got != "db-1" || aws.ToString(describe().Status) != "available" {
		t.Errorf("after refused failovers: writer %s status %s, want db-1 available", got, aws.ToString(describe().Status))
	}
}
