package rds

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
	smstate "github.com/kcstack/kcstack/pkg/sandbox/secretsmanager"
)

func TestCreateDBClusterValidation(t *testing.T) {
	cases := map[string]struct {
		reason string
		change func(in *rds.CreateDBClusterInput)
		code   string
	}{
		"Valid":          {reason: "the base request is valid", change: func(*rds.CreateDBClusterInput) {}},
		"LeadingDigit":   {reason: "identifiers begin with a letter", change: func(in *rds.CreateDBClusterInput) { in.DBClusterIdentifier = ptr("1db") }, code: codeInvalidValue},
		"DoubleHyphen":   {reason: "no two hyphens in a row", change: func(in *rds.CreateDBClusterInput) { in.DBClusterIdentifier = ptr("a--b") }, code: codeInvalidValue},
		"TrailingHyphen": {reason: "no trailing hyphen", change: func(in *rds.CreateDBClusterInput) { in.DBClusterIdentifier = ptr("ab-") }, code: codeInvalidValue},
		"TooLong":        {reason: "at most 63 characters", change: func(in *rds.CreateDBClusterInput) { in.DBClusterIdentifier = ptr("a" + strings.Repeat("b", 63)) }, code: codeInvalidValue},
		"OtherEngine":    {reason: "only aurora-postgresql", change: func(in *rds.CreateDBClusterInput) { in.Engine = ptr("mysql") }, code: codeInvalidValue},
		"UnknownVersion": {reason: "versions must exist", change: func(in *rds.CreateDBClusterInput) { in.EngineVersion = ptr("99.1") }, code: codeInvalidCombination},
		"NoUsername":     {reason: "MasterUsername is required", change: func(in *rds.CreateDBClusterInput) { in.MasterUsername = nil }, code: codeInvalidValue},
		"ReservedUser":   {reason: "reserved words are refused", change: func(in *rds.CreateDBClusterInput) { in.MasterUsername = ptr("rdsadmin") }, code: codeInvalidValue},
		"NoPassword":     {reason: "a password or a managed one", change: func(in *rds.CreateDBClusterInput) { in.ManageMasterUserPassword = nil }, code: codeInvalidValue},
		"BothPasswords":  {reason: "not both", change: func(in *rds.CreateDBClusterInput) { in.MasterUserPassword = ptr("longenough") }, code: codeInvalidCombination},
		"Password": {reason: "a plain password works", change: func(in *rds.CreateDBClusterInput) {
			in.ManageMasterUserPassword, in.MasterUserPassword = nil, ptr("longenough")
		}},
		"ShortPassword": {reason: "8 characters at least", change: func(in *rds.CreateDBClusterInput) {
			in.ManageMasterUserPassword, in.MasterUserPassword = nil, ptr("short")
		}, code: codeInvalidValue},
		"SlashPassword": {reason: "no slash in passwords", change: func(in *rds.CreateDBClusterInput) {
			in.ManageMasterUserPassword, in.MasterUserPassword = nil, ptr("long/enough")
		}, code: codeInvalidValue},
		"BadDatabaseName": {reason: "database names are identifiers", change: func(in *rds.CreateDBClusterInput) { in.DatabaseName = ptr("key-cloak") }, code: codeInvalidValue},
		"BadRetention":    {reason: "backups are kept 1 to 35 days", change: func(in *rds.CreateDBClusterInput) { in.BackupRetentionPeriod = ptr[int32](0) }, code: codeInvalidValue},
		"NoSubnetGroup":   {reason: "the subnet group must exist", change: func(in *rds.CreateDBClusterInput) { in.DBSubnetGroupName = ptr("nope") }, code: codeSubnetGroupNotFound},
		"UnknownGroup":    {reason: "security groups must exist", change: func(in *rds.CreateDBClusterInput) { in.VpcSecurityGroupIds = []string{"sg-nope"} }, code: codeInvalidValue},
		"GroupOtherVPC":   {reason: "security groups must be in the subnet group's VPC", change: func(in *rds.CreateDBClusterInput) { in.VpcSecurityGroupIds = []string{"sg-2"} }, code: codeInvalidValue},
		"Exists":          {reason: "identifiers are unique, case-insensitively", change: func(in *rds.CreateDBClusterInput) { in.DBClusterIdentifier = ptr("Existing") }, code: codeClusterExists},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			w := newWorld()
			mustCluster(t, w, "existing")
			in := clusterInput("new-cluster")
			tc.change(in)
			_, err := createDBCluster(w.call("CreateDBCluster"), in)
			if got := errCode(t, err); got != tc.code {
				t.Errorf("%s: error code: want %q, got %q (%v)", tc.reason, tc.code, got, err)
			}
		})
	}
}

func TestCreateDBCluster(t *testing.T) {
	w := newWorld()
	mustSubnetGroup(t, w, "db", "subnet-a", "subnet-b", "subnet-c")
	in := clusterInput("Keycloak-DB")
	in.StorageEncrypted, in.DatabaseName, in.DeletionProtection = ptr(true), ptr("keycloak"), ptr(true)
	in.Tags = []types.Tag{{Key: ptr("kcstack:stack"), Value: ptr("prod")}}
	out, err := createDBCluster(w.call("CreateDBCluster"), in)
	if err != nil {
		t.Fatal(err)
	}
	cl := out.DBCluster
	r := w.rds().Regions["eu-west-1"]
	suffix := r.EndpointID + ".eu-west-1.rds.amazonaws.com"
	want := map[string]string{
		"DBClusterIdentifier": "keycloak-db",
		"DBClusterArn":        "arn:aws:rds:eu-west-1:123456789012:cluster:keycloak-db",
		"Endpoint":            "keycloak-db.cluster-" + suffix,
		"ReaderEndpoint":      "keycloak-db.cluster-ro-" + suffix,
		"Status":              "creating",
		"DBSubnetGroup":       "db",
		"KmsKeyId":            r.RDSKeyARN,
		"VpcSecurityGroup":    "sg-default",
		"EngineVersion":       "16.6",
		"ParameterGroup":      "default.aurora-postgresql16",
	}
	got := map[string]string{
		"DBClusterIdentifier": deref(cl.DBClusterIdentifier), "DBClusterArn": deref(cl.DBClusterArn),
		"Endpoint": deref(cl.Endpoint), "ReaderEndpoint": deref(cl.ReaderEndpoint), "Status": deref(cl.Status),
		"DBSubnetGroup": deref(cl.DBSubnetGroup), "KmsKeyId": deref(cl.KmsKeyId),
		"VpcSecurityGroup": deref(cl.VpcSecurityGroups[0].VpcSecurityGroupId), "EngineVersion": deref(cl.EngineVersion),
		"ParameterGroup": deref(cl.DBClusterParameterGroup),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("cluster: -want +got:\n%s", diff)
	}
	if !regexp.MustCompile(`^[a-z0-9]{12}$`).MatchString(r.EndpointID) || !regexp.MustCompile(`^cluster-[A-Z0-9]{26}$`).MatchString(deref(cl.DbClusterResourceId)) {
		t.Errorf("endpoint id %q or resource id %q not in AWS's form", r.EndpointID, deref(cl.DbClusterResourceId))
	}
	if deref(cl.Port) != 5432 || !deref(cl.StorageEncrypted) || !deref(cl.DeletionProtection) || deref(cl.BackupRetentionPeriod) != 1 {
		t.Errorf("defaults: port %d, encrypted %v, protection %v, retention %d", deref(cl.Port), deref(cl.StorageEncrypted), deref(cl.DeletionProtection), deref(cl.BackupRetentionPeriod))
	}
	checkManagedSecret(t, w, cl)
	w.wait()
	later := describeCluster(t, w, "keycloak-db")
	if got := []string{deref(later.Status), deref(later.MasterUserSecret.SecretStatus)}; !cmp.Equal(got, []string{statusAvailable, secretActive}) {
		t.Errorf("after the create delay: status and secret status %v, want available and active", got)
	}
	if later.EarliestRestorableTime == nil || !deref(later.LatestRestorableTime).Equal(w.now) {
		t.Errorf("an available cluster is restorable up to now: earliest %v, latest %v", later.EarliestRestorableTime, later.LatestRestorableTime)
	}
}

// checkManagedSecret verifies the secret RDS created for the cluster.
func checkManagedSecret(t *testing.T, w *fakeWorld, cl *types.DBCluster) {
	t.Helper()
	ms := cl.MasterUserSecret
	if ms == nil || deref(ms.SecretStatus) != secretCreating || deref(ms.KmsKeyId) != w.rds().Regions["eu-west-1"].SecretsKeyARN {
		t.Fatalf("MasterUserSecret %+v", ms)
	}
	op := smstate.Service().Ops["DescribeSecret"].Fn.(func(*api.Call, *secretsmanager.DescribeSecretInput) (*secretsmanager.DescribeSecretOutput, error))
	desc, err := op(w.call("DescribeSecret"), &secretsmanager.DescribeSecretInput{SecretId: ms.SecretArn})
	if err != nil {
		t.Fatalf("describe managed secret: %v", err)
	}
	if !regexp.MustCompile(`^rds!cluster-[0-9a-f-]{36}$`).MatchString(deref(desc.Name)) || deref(desc.OwningService) != "rds" {
		t.Errorf("managed secret name %q, owner %q", deref(desc.Name), deref(desc.OwningService))
	}
	get := smstate.Service().Ops["GetSecretValue"].Fn.(func(*api.Call, *secretsmanager.GetSecretValueInput) (*secretsmanager.GetSecretValueOutput, error))
	val, err := get(w.call("GetSecretValue"), &secretsmanager.GetSecretValueInput{SecretId: ms.SecretArn})
	if err != nil {
		t.Fatalf("get managed secret: %v", err)
	}
	var creds map[string]string
	if err := json.Unmarshal([]byte(deref(val.SecretString)), &creds); err != nil || creds["username"] != "keycloak" || len(creds["password"]) < 16 {
		t.Errorf("managed secret is not {username, password} for keycloak (err %v)", err)
	}
}

func TestClusterLifecycle(t *testing.T) {
	w := newWorld()
	mustCluster(t, w, "aurora")
	mustInstance(t, w, "aurora", "aurora-1")
	second := mustInstance(t, w, "aurora", "aurora-2")
	if deref(second.AvailabilityZone) == "eu-west-1a" {
		t.Errorf("the second instance should go to another zone than the first")
	}
	if diff := cmp.Diff(map[string]bool{"aurora-1": true, "aurora-2": false}, writers(describeCluster(t, w, "aurora"))); diff != "" {
		t.Errorf("members: -want +got:\n%s", diff)
	}
	steps := []struct {
		name   string
		run    func() error
		code   string
		status int
	}{
		{name: "DeleteWithInstances", code: codeClusterState, status: http.StatusBadRequest, run: func() error {
			_, err := deleteDBCluster(w.call(""), &rds.DeleteDBClusterInput{DBClusterIdentifier: ptr("aurora"), SkipFinalSnapshot: ptr(true)})
			return err
		}},
		{name: "DeleteWriter", run: func() error {
			_, err := deleteDBInstance(w.call(""), &rds.DeleteDBInstanceInput{DBInstanceIdentifier: ptr("aurora-1")})
			return err
		}},
		{name: "DeleteWriterAgain", code: codeInstanceState, status: http.StatusBadRequest, run: func() error {
			_, err := deleteDBInstance(w.call(""), &rds.DeleteDBInstanceInput{DBInstanceIdentifier: ptr("aurora-1")})
			return err
		}},
		{name: "DeleteReader", run: func() error {
			_, err := deleteDBInstance(w.call(""), &rds.DeleteDBInstanceInput{DBInstanceIdentifier: ptr("aurora-2")})
			return err
		}},
		{name: "NoFinalSnapshotChoice", code: codeInvalidCombination, status: http.StatusBadRequest, run: func() error {
			_, err := deleteDBCluster(w.call(""), &rds.DeleteDBClusterInput{DBClusterIdentifier: ptr("aurora")})
			return err
		}},
		{name: "Protect", run: func() error {
			_, err := modifyDBCluster(w.call(""), &rds.ModifyDBClusterInput{DBClusterIdentifier: ptr("aurora"), DeletionProtection: ptr(true)})
			return err
		}},
		{name: "DeleteProtected", code: codeInvalidCombination, status: http.StatusBadRequest, run: func() error {
			_, err := deleteDBCluster(w.call(""), &rds.DeleteDBClusterInput{DBClusterIdentifier: ptr("aurora"), SkipFinalSnapshot: ptr(true)})
			return err
		}},
		{name: "Unprotect", run: func() error {
			_, err := modifyDBCluster(w.call(""), &rds.ModifyDBClusterInput{DBClusterIdentifier: ptr("aurora"), DeletionProtection: ptr(false)})
			return err
		}},
		{name: "DeleteWithSnapshot", run: func() error {
			_, err := deleteDBCluster(w.call(""), &rds.DeleteDBClusterInput{DBClusterIdentifier: ptr("aurora"), FinalDBSnapshotIdentifier: ptr("aurora-final")})
			return err
		}},
		{name: "DeleteAgain", code: codeClusterState, status: http.StatusBadRequest, run: func() error {
			_, err := deleteDBCluster(w.call(""), &rds.DeleteDBClusterInput{DBClusterIdentifier: ptr("aurora"), SkipFinalSnapshot: ptr(true)})
			return err
		}},
	}
	for _, s := range steps {
		e := apiError(t, s.run())
		if s.code == "" && e != nil {
			t.Fatalf("%s: %v", s.name, e)
		}
		if s.code != "" && (e == nil || e.Code != s.code || e.HTTPStatus() != s.status) {
			t.Fatalf("%s: want %s (%d), got %v", s.name, s.code, s.status, e)
		}
		if s.name == "DeleteWriter" {
			if diff := cmp.Diff(map[string]bool{"aurora-1": false, "aurora-2": true}, writers(describeCluster(t, w, "aurora"))); diff != "" {
				t.Errorf("failover: -want +got:\n%s", diff)
			}
		}
	}
	secretARN := deref(w.rds().Regions["eu-west-1"].Clusters["aurora"].DB.DBClusterArn)
	w.wait()
	_, err := describeDBClusters(w.call(""), &rds.DescribeDBClustersInput{DBClusterIdentifier: ptr("aurora")})
	if e := apiError(t, err); e == nil || e.Code != codeClusterNotFound || e.HTTPStatus() != http.StatusNotFound {
		t.Errorf("deleted cluster: want %s 404, got %v", codeClusterNotFound, e)
	}
	if res := w.secrets().TaggedResources(); len(res) != 0 {
		t.Errorf("the managed secret of %s outlived its cluster: %v", secretARN, res)
	}
	snaps, err := describeDBClusterSnapshots(w.call(""), &rds.DescribeDBClusterSnapshotsInput{DBClusterIdentifier: ptr("aurora")})
	if err != nil || len(snaps.DBClusterSnapshots) != 1 || deref(snaps.DBClusterSnapshots[0].Status) != statusAvailable {
		t.Fatalf("final snapshot: %+v, %v", snaps, err)
	}
}

func TestFinalSnapshots(t *testing.T) {
	w := newWorld()
	mustCluster(t, w, "one")
	mustCluster(t, w, "two")
	if _, err := deleteDBCluster(w.call(""), &rds.DeleteDBClusterInput{DBClusterIdentifier: ptr("one"), FinalDBSnapshotIdentifier: ptr("final")}); err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct {
		reason string
		run    func() error
		code   string
	}{
		"SnapshotExists": {reason: "final snapshot identifiers are unique", code: codeSnapshotExists, run: func() error {
			_, err := deleteDBCluster(w.call(""), &rds.DeleteDBClusterInput{DBClusterIdentifier: ptr("two"), FinalDBSnapshotIdentifier: ptr("final")})
			return err
		}},
		"SkipAndName": {reason: "skipping and naming a snapshot contradict", code: codeInvalidCombination, run: func() error {
			_, err := deleteDBCluster(w.call(""), &rds.DeleteDBClusterInput{DBClusterIdentifier: ptr("two"), FinalDBSnapshotIdentifier: ptr("x"), SkipFinalSnapshot: ptr(true)})
			return err
		}},
		"DeleteCreatingSnapshot": {reason: "a snapshot being created cannot be deleted", code: codeSnapshotState, run: func() error {
			_, err := deleteDBClusterSnapshot(w.call(""), &rds.DeleteDBClusterSnapshotInput{DBClusterSnapshotIdentifier: ptr("final")})
			return err
		}},
		"DeleteMissingSnapshot": {reason: "unknown snapshots are not found", code: codeSnapshotNotFound, run: func() error {
			_, err := deleteDBClusterSnapshot(w.call(""), &rds.DeleteDBClusterSnapshotInput{DBClusterSnapshotIdentifier: ptr("nope")})
			return err
		}},
		"UnknownFilter": {reason: "filters are checked", code: codeInvalidValue, run: func() error {
			_, err := describeDBClusterSnapshots(w.call(""), &rds.DescribeDBClusterSnapshotsInput{Filters: []types.Filter{{Name: ptr("colour"), Values: []string{"x"}}}})
			return err
		}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if got := errCode(t, tc.run()); got != tc.code {
				t.Errorf("%s: want %q, got %q", tc.reason, tc.code, got)
			}
		})
	}
	w.wait()
	out, err := deleteDBClusterSnapshot(w.call(""), &rds.DeleteDBClusterSnapshotInput{DBClusterSnapshotIdentifier: ptr("arn:aws:rds:eu-west-1:123456789012:cluster-snapshot:final")})
	if err != nil || deref(out.DBClusterSnapshot.DBClusterIdentifier) != "one" {
		t.Fatalf("delete snapshot by ARN: %+v, %v", out, err)
	}
}

func TestModifyDBCluster(t *testing.T) {
	cases := map[string]struct {
		reason  string
		in      rds.ModifyDBClusterInput
		code    string
		status  string
		version string
		pending string
	}{
		"MinorNow":      {reason: "a minor upgrade applied at once upgrades", in: rds.ModifyDBClusterInput{EngineVersion: ptr("16.8"), ApplyImmediately: ptr(true)}, status: statusUpgrading, version: "16.8"},
		"MinorLater":    {reason: "without ApplyImmediately it waits for the window", in: rds.ModifyDBClusterInput{EngineVersion: ptr("16.8")}, status: statusAvailable, version: "16.6", pending: "16.8"},
		"MajorNoFlag":   {reason: "major upgrades need AllowMajorVersionUpgrade", in: rds.ModifyDBClusterInput{EngineVersion: ptr("17.4"), ApplyImmediately: ptr(true)}, code: codeInvalidCombination},
		"Major":         {reason: "with the flag a major upgrade runs", in: rds.ModifyDBClusterInput{EngineVersion: ptr("17.4"), ApplyImmediately: ptr(true), AllowMajorVersionUpgrade: ptr(true)}, status: statusUpgrading, version: "17.4"},
		"Downgrade":     {reason: "no downgrades", in: rds.ModifyDBClusterInput{EngineVersion: ptr("15.10"), ApplyImmediately: ptr(true)}, code: codeInvalidCombination},
		"Retention":     {reason: "retention applies at once", in: rds.ModifyDBClusterInput{BackupRetentionPeriod: ptr[int32](7)}, status: statusAvailable, version: "16.6"},
		"BadRetention":  {reason: "retention is 1 to 35", in: rds.ModifyDBClusterInput{BackupRetentionPeriod: ptr[int32](36)}, code: codeInvalidValue},
		"StopManaging":  {reason: "turning off the managed secret needs a password", in: rds.ModifyDBClusterInput{ManageMasterUserPassword: ptr(false)}, code: codeInvalidCombination},
		"PasswordMixup": {reason: "a managed password cannot be set by hand", in: rds.ModifyDBClusterInput{MasterUserPassword: ptr("longenough")}, code: codeInvalidCombination},
		"Unmanage":      {reason: "with a password the secret goes", in: rds.ModifyDBClusterInput{ManageMasterUserPassword: ptr(false), MasterUserPassword: ptr("longenough")}, status: statusModifying, version: "16.6"},
		"Rename":        {reason: "renames are not emulated", in: rds.ModifyDBClusterInput{NewDBClusterIdentifier: ptr("other")}, code: codeInvalidValue},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			w := newWorld()
			mustCluster(t, w, "aurora")
			mustInstance(t, w, "aurora", "aurora-1")
			in := tc.in
			in.DBClusterIdentifier = ptr("aurora")
			out, err := modifyDBCluster(w.call(""), &in)
			if got := errCode(t, err); got != tc.code {
				t.Fatalf("%s: want %q, got %q (%v)", tc.reason, tc.code, got, err)
			}
			if err != nil {
				return
			}
			cl := out.DBCluster
			pending := ""
			if cl.PendingModifiedValues != nil {
				pending = deref(cl.PendingModifiedValues.EngineVersion)
			}
			got := []string{deref(cl.Status), deref(cl.EngineVersion), pending}
			if diff := cmp.Diff([]string{tc.status, tc.version, pending}, got); diff != "" || pending != tc.pending {
				t.Errorf("%s: status, version, pending -want +got:\n%s (pending %q)", tc.reason, diff, pending)
			}
			inst := w.rds().Regions["eu-west-1"].Instances["aurora-1"]
			if deref(inst.DB.EngineVersion) != tc.version {
				t.Errorf("%s: instance version %s, want %s", tc.reason, deref(inst.DB.EngineVersion), tc.version)
			}
			if in.ManageMasterUserPassword != nil && cl.MasterUserSecret != nil {
				t.Errorf("%s: MasterUserSecret still set", tc.reason)
			}
			w.wait()
			if got := deref(describeCluster(t, w, "aurora").Status); got != statusAvailable {
				t.Errorf("%s: after the delay status is %s", tc.reason, got)
			}
		})
	}
}

func TestModifyDBClusterManage(t *testing.T) {
	w := newWorld()
	mustSubnetGroup(t, w, "db", "subnet-a", "subnet-b")
	in := clusterInput("plain")
	in.ManageMasterUserPassword, in.MasterUserPassword = nil, ptr("longenough")
	if _, err := createDBCluster(w.call(""), in); err != nil {
		t.Fatal(err)
	}
	w.wait()
	out, err := modifyDBCluster(w.call(""), &rds.ModifyDBClusterInput{DBClusterIdentifier: ptr("plain"), ManageMasterUserPassword: ptr(true), ApplyImmediately: ptr(true)})
	if err != nil {
		t.Fatal(err)
	}
	checkManagedSecret(t, w, out.DBCluster)
}
