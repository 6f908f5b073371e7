package secretsmanager

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
	"github.com/kcstack/kcstack/pkg/sandbox/api/apitest"
)

func mustCreate(t *testing.T, w *apitest.World, name, value string, tags ...types.Tag) *secretsmanager.CreateSecretOutput {
	t.Helper()
	out, err := createSecret(w.Call("CreateSecret"), &secretsmanager.CreateSecretInput{Name: aws.String(name), SecretString: aws.String(value), Tags: tags})
	if err != nil {
		t.Fatalf("create %s: %v", name, err)
	}
	return out
}

func TestCreateSecret(t *testing.T) {
	cases := map[string]struct {
		reason  string
		prepare func(t *testing.T, w *apitest.World)
		in      *secretsmanager.CreateSecretInput
		code    string
	}{
		"NewString": {
			reason: "a new name with a string value creates the secret with one version",
			in:     &secretsmanager.CreateSecretInput{Name: aws.String("app/db"), SecretString: aws.String("s3cret")},
		},
		"NoValue": {
			reason: "a secret may be created without a value",
			in:     &secretsmanager.CreateSecretInput{Name: aws.String("empty")},
		},
		"Exists": {
			reason:  "an existing name is ResourceExistsException",
			prepare: func(t *testing.T, w *apitest.World) { mustCreate(t, w, "app/db", "x") },
			in:      &secretsmanager.CreateSecretInput{Name: aws.String("app/db"), SecretString: aws.String("y")},
			code:    codeExists,
		},
		"ScheduledForDeletion": {
			reason: "a name scheduled for deletion cannot be reused until it is gone",
			prepare: func(t *testing.T, w *apitest.World) {
				mustCreate(t, w, "app/db", "x")
				if _, err := deleteSecret(w.Call("DeleteSecret"), &secretsmanager.DeleteSecretInput{SecretId: aws.String("app/db")}); err != nil {
					t.Fatal(err)
				}
			},
			in:   &secretsmanager.CreateSecretInput{Name: aws.String("app/db")},
			code: codeInvalidReq,
		},
		"BadName": {
			reason: "names allow letters, digits and -/_+=.@! only",
			in:     &secretsmanager.CreateSecretInput{Name: aws.String("bad name")},
			code:   codeInvalidParam,
		},
		"BothValues": {
			reason: "a secret is a string or a binary, not both",
			in:     &secretsmanager.CreateSecretInput{Name: aws.String("x"), SecretString: aws.String("a"), SecretBinary: []byte("b")},
			code:   codeInvalidParam,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			w := newWorld()
			if tc.prepare != nil {
				tc.prepare(t, w)
			}
			out, err := createSecret(w.Call("CreateSecret"), tc.in)
			if got := apitest.ErrCode(t, err); got != tc.code {
				t.Fatalf("%s: error code: want %q, got %q (%v)", tc.reason, tc.code, got, err)
			}
			if err != nil {
				return
			}
			prefix := "arn:aws:secretsmanager:eu-west-1:123456789012:secret:" + *tc.in.Name + "-"
			if arn := aws.ToString(out.ARN); !strings.HasPrefix(arn, prefix) || len(arn) != len(prefix)+6 {
				t.Errorf("%s: ARN %q is not %s plus six characters", tc.reason, arn, prefix)
			}
			if (out.VersionId != nil) != (tc.in.SecretString != nil) {
				t.Errorf("%s: VersionId %v for value %v", tc.reason, out.VersionId, tc.in.SecretString != nil)
			}
		})
	}
}

func TestPutAndGetSecretValue(t *testing.T) {
	w := newWorld()
	first := mustCreate(t, w, "app/db", "one")
	put, err := putSecretValue(w.Call("PutSecretValue"), &secretsmanager.PutSecretValueInput{
		SecretId: first.ARN, SecretString: aws.String("two"), ClientRequestToken: aws.String("token-two-00000000000000000000000"),
	})
	if err != nil {
		t.Fatalf("put: %v", err)
	}
	desc, err := describeSecret(w.Call("DescribeSecret"), &secretsmanager.DescribeSecretInput{SecretId: aws.String("app/db")})
	if err != nil {
		t.Fatalf("describe: %v", err)
	}
	wantStages := map[string][]string{*first.VersionId: {stagePrevious}, *put.VersionId: {stageCurrent}}
	if diff := cmp.Diff(wantStages, desc.VersionIdsToStages); diff != "" {
		t.Errorf("stages after put: -want +got:\n%s", diff)
	}
	cases := map[string]struct {
		reason string
		in     *secretsmanager.GetSecretValueInput
		want   string
		code   string
	}{
		"Current":  {reason: "AWSCURRENT is the new value", in: &secretsmanager.GetSecretValueInput{SecretId: aws.String("app/db")}, want: "two"},
		"Previous": {reason: "AWSPREVIOUS is the old value", in: &secretsmanager.GetSecretValueInput{SecretId: aws.String("app/db"), VersionStage: aws.String(stagePrevious)}, want: "one"},
		"ByID":     {reason: "a version id selects that version", in: &secretsmanager.GetSecretValueInput{SecretId: first.ARN, VersionId: first.VersionId}, want: "one"},
		"NoStage":  {reason: "an unknown stage is not found", in: &secretsmanager.GetSecretValueInput{SecretId: aws.String("app/db"), VersionStage: aws.String("NOPE")}, code: codeNotFound},
		"NoSecret": {reason: "an unknown secret is not found", in: &secretsmanager.GetSecretValueInput{SecretId: aws.String("other")}, code: codeNotFound},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			out, err := getSecretValue(w.Call("GetSecretValue"), tc.in)
			if got := apitest.ErrCode(t, err); got != tc.code {
				t.Fatalf("%s: error code: want %q, got %q", tc.reason, tc.code, got)
			}
			if err == nil && aws.ToString(out.SecretString) != tc.want {
				t.Errorf("%s: got a different value than expected", tc.reason)
			}
		})
	}
}

func TestPutSecretValueIdempotency(t *testing.T) {
	cases := map[string]struct {
		reason string
		value  string
		code   string
	}{
		"SameValue":  {reason: "retrying with the same token and value is a no-op", value: "two"},
		"OtherValue": {reason: "reusing a token with another value is refused", value: "three", code: codeExists},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			w := newWorld()
			mustCreate(t, w, "s", "one")
			in := &secretsmanager.PutSecretValueInput{SecretId: aws.String("s"), SecretString: aws.String("two"), ClientRequestToken: aws.String("tok")}
			if _, err := putSecretValue(w.Call("PutSecretValue"), in); err != nil {
				t.Fatal(err)
			}
			in.SecretString = aws.String(tc.value)
			_, err := putSecretValue(w.Call("PutSecretValue"), in)
			if got := apitest.ErrCode(t, err); got != tc.code {
				t.Errorf("%s: error code: want %q, got %q", tc.reason, tc.code, got)
			}
			if n := len(state(w.Call("")).Region("eu-west-1").Secrets["s"].Versions); n != 2 {
				t.Errorf("%s: %d versions, want 2", tc.reason, n)
			}
		})
	}
}

func TestDeleteSecret(t *testing.T) {
	days := func(n int64) *int64 { return &n }
	cases := map[string]struct {
		reason   string
		prepare  func(t *testing.T, w *apitest.World)
		in       *secretsmanager.DeleteSecretInput
		code     string
		deletion time.Time
		gone     bool
	}{
		"DefaultWindow": {
			reason: "without options the secret is scheduled 30 days out", in: &secretsmanager.DeleteSecretInput{SecretId: aws.String("s")},
			deletion: apitest.Now.Add(30 * 24 * time.Hour),
		},
		"Window": {
			reason: "RecoveryWindowInDays sets the deletion date", in: &secretsmanager.DeleteSecretInput{SecretId: aws.String("s"), RecoveryWindowInDays: days(7)},
			deletion: apitest.Now.Add(7 * 24 * time.Hour),
		},
		"WindowTooShort": {
			reason: "the window is 7 to 30 days", in: &secretsmanager.DeleteSecretInput{SecretId: aws.String("s"), RecoveryWindowInDays: days(3)},
			code: codeInvalidParam,
		},
		"Force": {
			reason: "ForceDeleteWithoutRecovery deletes at once", in: &secretsmanager.DeleteSecretInput{SecretId: aws.String("s"), ForceDeleteWithoutRecovery: aws.Bool(true)},
			deletion: apitest.Now, gone: true,
		},
		"ForceAndWindow": {
			reason: "force and a window together are refused",
			in:     &secretsmanager.DeleteSecretInput{SecretId: aws.String("s"), ForceDeleteWithoutRecovery: aws.Bool(true), RecoveryWindowInDays: days(7)},
			code:   codeInvalidParam,
		},
		"AlreadyScheduled": {
			reason: "deleting a secret already scheduled for deletion is InvalidRequestException",
			prepare: func(t *testing.T, w *apitest.World) {
				if _, err := deleteSecret(w.Call("DeleteSecret"), &secretsmanager.DeleteSecretInput{SecretId: aws.String("s")}); err != nil {
					t.Fatal(err)
				}
			},
			in: &secretsmanager.DeleteSecretInput{SecretId: aws.String("s")}, code: codeInvalidReq,
		},
		"Missing": {
			reason: "deleting an unknown secret is not found", in: &secretsmanager.DeleteSecretInput{SecretId: aws.String("nope")}, code: codeNotFound,
		},
		"ForceMissing": {
			reason: "a forced delete of an unknown secret succeeds, for retries",
			in:     &secretsmanager.DeleteSecretInput{SecretId: aws.String("nope"), ForceDeleteWithoutRecovery: aws.Bool(true)}, deletion: apitest.Now,
		},
		"Managed": {
			reason: "a secret owned by RDS cannot be deleted through Secrets Manager",
			prepare: func(t *testing.T, w *apitest.World) {
				if _, err := CreateManaged(w.Call("CreateDBCluster"), Managed{Name: "rds!cluster-1", Owner: "rds", Value: "{}"}); err != nil {
					t.Fatal(err)
				}
			},
			in: &secretsmanager.DeleteSecretInput{SecretId: aws.String("rds!cluster-1"), ForceDeleteWithoutRecovery: aws.Bool(true)}, code: codeInvalidReq,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			w := newWorld()
			mustCreate(t, w, "s", "v")
			if tc.prepare != nil {
				tc.prepare(t, w)
			}
			out, err := deleteSecret(w.Call("DeleteSecret"), tc.in)
			if got := apitest.ErrCode(t, err); got != tc.code {
				t.Fatalf("%s: error code: want %q, got %q (%v)", tc.reason, tc.code, got, err)
			}
			if err != nil {
				return
			}
			if got := aws.ToTime(out.DeletionDate); !got.Equal(tc.deletion) {
				t.Errorf("%s: DeletionDate: want %v, got %v", tc.reason, tc.deletion, got)
			}
			_, stillThere := state(w.Call("")).Region("eu-west-1").Secrets["s"]
			if stillThere == tc.gone {
				t.Errorf("%s: secret still there = %v", tc.reason, stillThere)
			}
		})
	}
}

func TestDeletedSecretLifecycle(t *testing.T) {
	w := newWorld()
	mustCreate(t, w, "s", "v")
	if _, err := deleteSecret(w.Call("DeleteSecret"), &secretsmanager.DeleteSecretInput{SecretId: aws.String("s"), RecoveryWindowInDays: aws.Int64(7)}); err != nil {
		t.Fatal(err)
	}
	if _, err := getSecretValue(w.Call("GetSecretValue"), &secretsmanager.GetSecretValueInput{SecretId: aws.String("s")}); apitest.ErrCode(t, err) != codeInvalidReq {
		t.Errorf("GetSecretValue on a deleted secret: want %s, got %v", codeInvalidReq, err)
	}
	desc, err := describeSecret(w.Call("DescribeSecret"), &secretsmanager.DescribeSecretInput{SecretId: aws.String("s")})
	if err != nil || !aws.ToTime(desc.DeletedDate).Equal(apitest.Now) {
		t.Errorf("DescribeSecret of a deleted secret: DeletedDate %v, err %v", desc, err)
	}
	if _, err := restoreSecret(w.Call("RestoreSecret"), &secretsmanager.RestoreSecretInput{SecretId: aws.String("s")}); err != nil {
		t.Fatal(err)
	}
	if _, err := getSecretValue(w.Call("GetSecretValue"), &secretsmanager.GetSecretValueInput{SecretId: aws.String("s")}); err != nil {
		t.Errorf("GetSecretValue after restore: %v", err)
	}
	if _, err := deleteSecret(w.Call("DeleteSecret"), &secretsmanager.DeleteSecretInput{SecretId: aws.String("s"), RecoveryWindowInDays: aws.Int64(7)}); err != nil {
		t.Fatal(err)
	}
	st := state(w.Call(""))
	st.Tick(apitest.Now.Add(6*24*time.Hour), api.Settings{})
	if _, ok := st.Region("eu-west-1").Secrets["s"]; !ok {
		t.Errorf("secret purged before its recovery window ended")
	}
	st.Tick(apitest.Now.Add(7*24*time.Hour), api.Settings{})
	if _, ok := st.Region("eu-west-1").Secrets["s"]; ok {
		t.Errorf("secret still there after its recovery window ended")
	}
}

func TestListSecrets(t *testing.T) {
	w := newWorld()
	tag := func(k, v string) types.Tag { return types.Tag{Key: aws.String(k), Value: aws.String(v)} }
	mustCreate(t, w, "prod/db", "v", tag("kcstack:stack", "prod"))
	mustCreate(t, w, "prod/api", "v", tag("team", "web"))
	mustCreate(t, w, "dev/db", "v", tag("kcstack:stack", "dev"))
	mustCreate(t, w, "gone", "v")
	if _, err := deleteSecret(w.Call("DeleteSecret"), &secretsmanager.DeleteSecretInput{SecretId: aws.String("gone")}); err != nil {
		t.Fatal(err)
	}
	filter := func(k types.FilterNameStringType, v ...string) types.Filter { return types.Filter{Key: k, Values: v} }
	cases := map[string]struct {
		reason string
		in     *secretsmanager.ListSecretsInput
		want   []string
	}{
		"All":            {reason: "without filters every live secret is listed", in: &secretsmanager.ListSecretsInput{SortBy: types.SortByTypeName}, want: []string{"dev/db", "prod/api", "prod/db"}},
		"PlannedDeletes": {reason: "IncludePlannedDeletion adds deleted secrets", in: &secretsmanager.ListSecretsInput{SortBy: types.SortByTypeName, IncludePlannedDeletion: aws.Bool(true)}, want: []string{"dev/db", "gone", "prod/api", "prod/db"}},
		"NamePrefix":     {reason: "name is a prefix match", in: &secretsmanager.ListSecretsInput{SortBy: types.SortByTypeName, Filters: []types.Filter{filter("name", "prod/")}}, want: []string{"prod/api", "prod/db"}},
		"Negation":       {reason: "! negates a value", in: &secretsmanager.ListSecretsInput{SortBy: types.SortByTypeName, Filters: []types.Filter{filter("name", "!prod/")}}, want: []string{"dev/db"}},
		"TagKeyAndValue": {reason: "filters are ANDed", in: &secretsmanager.ListSecretsInput{Filters: []types.Filter{filter("tag-key", "kcstack:stack"), filter("tag-value", "prod")}}, want: []string{"prod/db"}},
		"ValuesOred":     {reason: "values of one filter are ORed", in: &secretsmanager.ListSecretsInput{SortBy: types.SortByTypeName, Filters: []types.Filter{filter("tag-value", "web", "dev")}}, want: []string{"dev/db", "prod/api"}},
		"Desc":           {reason: "SortOrder desc reverses", in: &secretsmanager.ListSecretsInput{SortBy: types.SortByTypeName, SortOrder: types.SortOrderTypeDesc}, want: []string{"prod/db", "prod/api", "dev/db"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			out, err := listSecrets(w.Call("ListSecrets"), tc.in)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range out.SecretList {
				got = append(got, aws.ToString(e.Name))
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s: -want +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestListSecretsPages(t *testing.T) {
	w := newWorld()
	for _, n := range []string{"a", "b", "c", "d", "e"} {
		mustCreate(t, w, n, "v")
	}
	var got []string
	in := &secretsmanager.ListSecretsInput{MaxResults: aws.Int32(2), SortBy: types.SortByTypeName}
	for pages := 0; ; pages++ {
		out, err := listSecrets(w.Call("ListSecrets"), in)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range out.SecretList {
			got = append(got, *e.Name)
		}
		if out.NextToken == nil {
			break
		}
		in.NextToken = out.NextToken
	}
	if diff := cmp.Diff([]string{"a", "b", "c", "d", "e"}, got); diff != "" {
		t.Errorf("pages: -want +got:\n%s", diff)
	}
	if _, err := listSecrets(w.Call("ListSecrets"), &secretsmanager.ListSecretsInput{NextToken: aws.String("garbage")}); apitest.ErrCode(t, err) != codeBadToken {
		t.Errorf("bad token: want %s, got %v", codeBadToken, err)
	}
}

func TestTags(t *testing.T) {
	w := newWorld()
	tag := func(k, v string) types.Tag { return types.Tag{Key: aws.String(k), Value: aws.String(v)} }
	mustCreate(t, w, "s", "v", tag("a", "1"))
	if _, err := tagResource(w.Call("TagResource"), &secretsmanager.TagResourceInput{SecretId: aws.String("s"), Tags: []types.Tag{tag("a", "2"), tag("b", "3")}}); err != nil {
		t.Fatal(err)
	}
	if _, err := untagResource(w.Call("UntagResource"), &secretsmanager.UntagResourceInput{SecretId: aws.String("s"), TagKeys: []string{"b", "missing"}}); err != nil {
		t.Fatal(err)
	}
	desc, err := describeSecret(w.Call("DescribeSecret"), &secretsmanager.DescribeSecretInput{SecretId: aws.String("s")})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]types.Tag{tag("a", "2")}, desc.Tags, apitest.SDKOpts); diff != "" {
		t.Errorf("tags: -want +got:\n%s", diff)
	}
	res := state(w.Call("")).TaggedResources()
	want := []api.TaggedResource{{ARN: *desc.ARN, Type: "secretsmanager:secret", Region: "eu-west-1", Tags: map[string]string{"a": "2"}}}
	if diff := cmp.Diff(want, res); diff != "" {
		t.Errorf("TaggedResources: -want +got:\n%s", diff)
	}
	if _, err := tagResource(w.Call("TagResource"), &secretsmanager.TagResourceInput{SecretId: aws.String("nope")}); apitest.ErrCode(t, err) != codeNotFound {
		t.Errorf("tagging a missing secret: want %s, got %v", codeNotFound, err)
	}
}

func TestManaged(t *testing.T) {
	w := newWorld()
	c := w.Call("CreateDBCluster")
	arn, err := CreateManaged(c, Managed{Name: "rds!cluster-x", Owner: "rds", Value: `{"username":"u","password":"p"}`, Tags: map[string]string{"aws:rds:primaryDBClusterArn": "arn"}, RotationDays: 7})
	if err != nil {
		t.Fatal(err)
	}
	desc, err := describeSecret(w.Call("DescribeSecret"), &secretsmanager.DescribeSecretInput{SecretId: aws.String(arn)})
	if err != nil || aws.ToString(desc.OwningService) != "rds" {
		t.Fatalf("describe managed secret: OwningService %v, err %v", desc, err)
	}
	if !aws.ToBool(desc.RotationEnabled) || aws.ToInt64(desc.RotationRules.AutomaticallyAfterDays) != 7 {
		t.Errorf("managed secret rotation: enabled %v, rules %+v", desc.RotationEnabled, desc.RotationRules)
	}
	if _, err := putSecretValue(w.Call("PutSecretValue"), &secretsmanager.PutSecretValueInput{SecretId: aws.String(arn), SecretString: aws.String("x")}); apitest.ErrCode(t, err) != codeInvalidReq {
		t.Errorf("PutSecretValue on a managed secret: want %s, got %v", codeInvalidReq, err)
	}
	DeleteManaged(c, arn)
	if _, err := describeSecret(w.Call("DescribeSecret"), &secretsmanager.DescribeSecretInput{SecretId: aws.String(arn)}); apitest.ErrCode(t, err) != codeNotFound {
		t.Errorf("after DeleteManaged: want %s, got %v", codeNotFound, err)
	}
}

func TestStateRoundTrip(t *testing.T) {
	w := newWorld()
	mustCreate(t, w, "s", "v", types.Tag{Key: aws.String("k"), Value: aws.String("v")})
	apitest.CheckRoundTrip(t, state(w.Call("")), NewState())
}

func TestServiceOps(t *testing.T) {
	apitest.CheckOps(t, Service())
}
