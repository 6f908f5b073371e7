package secrets

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"unicode"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/kcstack/kcstack/pkg/aws/awstest"
	"github.com/kcstack/kcstack/pkg/aws/clients"
	"github.com/kcstack/kcstack/pkg/plan"
	"github.com/kcstack/kcstack/pkg/resource"
	"github.com/kcstack/kcstack/pkg/sandbox"
	"github.com/kcstack/kcstack/pkg/sandbox/sandboxtest"
)

const testStack = "kc"

// env is a sandbox with the cycle of the secrets handler and a raw
// Secrets Manager client for checks.
type env struct {
	srv   *sandbox.Server
	sm    *sm.Client
	cycle *awstest.Cycle
}

func newEnv(t *testing.T) *env {
	t.Helper()
	srv := sandboxtest.New(t)
	c := clients.New(sandboxtest.AWSConfig(t, srv))
	cycle, _ := awstest.NewSetCycle(t, testStack, c, Register)
	return &env{srv: srv, sm: c.Secrets, cycle: cycle}
}

// desired is the secret of application shop-dev, as pkg/desired makes it.
func desired() []resource.Desired {
	ds := []resource.Desired{{
		Address: "redis.secret[shop-dev]", Kind: resource.KindSecret, Component: "redis", Name: "shop-dev",
		Props: resource.Props{propName: "kcstack/kc/redis/shop-dev", propDescription: "Redis user shop-dev of stack kc",
			propUsername: "shop-dev", propPasswordLength: int64(32)},
		Options: map[string]string{"recovery_window_days": "7"},
	}}
	return awstest.Tagged(ds, testStack, awstest.OfKinds(resource.KindSecret))
}

// value reads the secret's JSON value; a test never prints the password.
func (e *env) value(t *testing.T, name string) (username, password, version string) {
	t.Helper()
	out, err := e.sm.GetSecretValue(context.Background(), &sm.GetSecretValueInput{SecretId: aws.String(name)})
	if err != nil {
		t.Fatalf("get the value of %s: %v", name, err)
	}
	var v struct{ Username, Password string }
	if err := json.Unmarshal([]byte(aws.ToString(out.SecretString)), &v); err != nil {
		t.Fatalf("the value of %s is not a JSON object", name)
	}
	return v.Username, v.Password, aws.ToString(out.VersionId)
}

// alphanumeric reports whether s is only ASCII letters and digits.
func alphanumeric(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return r > unicode.MaxASCII || !unicode.IsLetter(r) && !unicode.IsDigit(r) }) < 0
}

func TestLifecycle(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ds := desired()
	name := "kcstack/kc/redis/shop-dev"

	p := e.cycle.Plan(ds, false)
	e.cycle.Apply(p)
	e.cycle.NoChanges(ds, "after apply")
	user, pw, version := e.value(t, name)
	if user != "shop-dev" || len(pw) != 32 || !alphanumeric(pw) {
		t.Errorf("the secret holds user %q and a password of %d characters (alphanumeric %v), want shop-dev and 32 letters and digits", user, len(pw), alphanumeric(pw))
	}
	ob := awstest.Observed(t, e.cycle.Plan(ds, false), ds[0].Address)
	if ob.Attrs[attrVersionID] != version || !strings.HasPrefix(ob.Attrs[attrARN], "arn:aws:secretsmanager:") || ob.ID != ob.Attrs[attrARN] {
		t.Errorf("observed attrs %v (id %s), want the ARN as id and the current version %s", ob.Attrs, ob.ID, version)
	}
	if _, ok := ob.Tags[tagUsername]; ok || ob.Props[propUsername] != "shop-dev" {
		t.Errorf("observed tags %v props %v: the user name is a prop, never a tag", ob.Tags, ob.Props)
	}
	arn := ob.ID

	// A new password length is a rotation: a new current version.
	ds[0].Props[propPasswordLength] = int64(40)
	e.cycle.Update(ds, map[string]plan.Action{ds[0].Address: plan.ActionUpdate}, "password length")
	_, pw2, version2 := e.value(t, name)
	if len(pw2) != 40 || pw2 == pw || version2 == version {
		t.Errorf("after the rotation: a password of %d characters (changed %v), version changed %v; want 40, a new password and version", len(pw2), pw2 != pw, version2 != version)
	}

	ds[0].Props[propDescription] = "shop's Redis user"
	e.cycle.Update(ds, map[string]plan.Action{ds[0].Address: plan.ActionUpdate}, "description")

	awstest.ApplyRetag(t, e.cycle, awstest.Retag(ds, awstest.OfKinds(resource.KindSecret)), awstest.OfKinds(resource.KindSecret))

	// Destroy schedules the deletion; applying again restores the same
	// secret, tagged for the same address, with its password.
	e.cycle.DestroyAll(ds)
	d, err := e.sm.DescribeSecret(context.Background(), &sm.DescribeSecretInput{SecretId: aws.String(arn)})
	if err != nil || d.DeletedDate == nil {
		t.Fatalf("after destroy: %v, deleted date %v; want the secret scheduled for deletion", err, d.DeletedDate)
	}
	e.cycle.Apply(e.cycle.Plan(ds, false))
	if ob := awstest.Observed(t, e.cycle.Plan(ds, false), ds[0].Address); ob.ID != arn {
		t.Errorf("after applying again: secret %s, want %s restored", ob.ID, arn)
	}
	if _, pw3, _ := e.value(t, name); pw3 != pw2 {
		t.Errorf("the restored secret holds another password than before its deletion")
	}
}

// TestNotOurs: a secret of the desired name that is not the stack's is
// left alone, and the create says what to do.
func TestNotOurs(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ds := desired()
	if _, err := e.sm.CreateSecret(context.Background(), &sm.CreateSecretInput{Name: aws.String("kcstack/kc/redis/shop-dev"), SecretString: aws.String("x")}); err != nil {
		t.Fatal(err)
	}
	h := &Handler{clients.NewBase[API](descriptor, e.sm, clients.Options{Stack: testStack})}
	_, err := h.Create(context.Background(), ds[0])
	if err == nil || !strings.Contains(err.Error(), "the name is taken by a secret kcstack does not own for redis.secret[shop-dev]") {
		t.Fatalf("Create over someone else's secret: %v, want an error naming the address", err)
	}
}

// TestNoCalls: a stack without secrets makes no Secrets Manager call.
func TestNoCalls(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := &Observer{API: e.sm}
	e.srv.ResetCalls()
	obs, err := o.ObserveTagged(context.Background(), resource.Query{Stack: testStack}, map[string]map[string]string{})
	if err != nil || len(obs) != 0 || len(e.srv.Calls()) != 0 {
		t.Errorf("ObserveTagged without secrets: %v, %d observations, calls %v; want none", err, len(obs), e.srv.Calls())
	}
}
