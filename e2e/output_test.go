package e2e

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/google/go-cmp/cmp"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	kubetest "github.com/kcstack/kcstack/internal/testutil/kube"
	"github.com/kcstack/kcstack/internal/testutil/moto"
	"github.com/kcstack/kcstack/pkg/sandbox/sandboxtest"
)

// outputDoc is kcstack output --format json.
type outputDoc struct {
	FormatVersion string `json:"format_version"`
	Stack         string `json:"stack"`
	Region        string `json:"region"`
	Outputs       map[string]struct {
		Value   *string `json:"value"`
		Missing string  `json:"missing"`
	} `json:"outputs"`
	Notes []string `json:"notes"`
}

// values are the outputs with a value, by name.
func (d outputDoc) values() map[string]string {
	out := map[string]string{}
	for name, o := range d.Outputs {
		if o.Value != nil {
			out[name] = *o.Value
		}
	}
	return out
}

// kcrun runs kcstack (with or without a kubeconfig) and keeps what it wrote.
type kcrun struct {
	run func(t *testing.T, args ...string) result
	// seen is every stdout and stderr of the runs.
	seen []string
}

func (k *kcrun) do(t *testing.T, args ...string) result {
	t.Helper()
	r := k.run(t, args...)
	k.seen = append(k.seen, r.Stdout, r.Stderr)
	return r
}

// outputs runs kcstack output in both forms: the JSON document, and
// checks that the text form prints each value under its name.
func (k *kcrun) outputs(t *testing.T, file string) outputDoc {
	t.Helper()
	r := k.do(t, "output", "-f", file, "--format", "json")
	mustRun(t, "output --format json", r, 0)
	var doc outputDoc
	decode(t, "output --format json", r.Stdout, &doc)
	if doc.FormatVersion != "1" || doc.Region != sandboxtest.Region {
		t.Errorf("output JSON: format_version %q region %q, want 1 and %s", doc.FormatVersion, doc.Region, sandboxtest.Region)
	}
	text := k.do(t, "output", "-f", file)
	mustRun(t, "output", text, 0)
	for name, v := range doc.values() {
		if !lineMatches(text.Stdout, name, v) {
			t.Errorf("output text has no line %q = %q:\n%s", name, v, text.Stdout)
		}
	}
	return doc
}

// lineMatches reports whether text has the line "name<spaces> = value".
func lineMatches(text, name, value string) bool {
	for _, line := range strings.Split(text, "\n") {
		n, v, ok := strings.Cut(line, " = ")
		if ok && strings.TrimSpace(n) == name && v == value {
			return true
		}
	}
	return false
}

// databaseOutputs are the database outputs as the aws CLI describes the
// Aurora cluster id, and the value of its master user secret, read
// with the SDK.
func databaseOutputs(t *testing.T, e *env, id string) (map[string]string, string) {
	t.Helper()
	var got struct {
		DBClusters []struct {
			Endpoint, ReaderEndpoint string
			Port                     int
			MasterUserSecret         struct{ SecretArn string }
		}
	}
	decode(t, "rds describe-db-clusters", awsJSON(t, e, "rds", "describe-db-clusters", "--db-cluster-identifier", id), &got)
	if len(got.DBClusters) != 1 {
		t.Fatalf("rds describe-db-clusters %s: %d clusters", id, len(got.DBClusters))
	}
	c := got.DBClusters[0]
	secret, err := secretsmanager.NewFromConfig(e.cfg).GetSecretValue(context.Background(), &secretsmanager.GetSecretValueInput{SecretId: aws.String(c.MasterUserSecret.SecretArn)})
	if err != nil {
		t.Fatal(err)
	}
	return map[string]string{
		"database.writer_endpoint": c.Endpoint, "database.reader_endpoint": c.ReaderEndpoint,
		"database.port": strconv.Itoa(c.Port), "database.master_user_secret_arn": c.MasterUserSecret.SecretArn,
	}, aws.ToString(secret.SecretString)
}

// loadBalancerDNS is the DNS name of the one load balancer the aws CLI
// describes whose name starts with prefix.
func loadBalancerDNS(t *testing.T, e *env, prefix string) string {
	t.Helper()
	var got struct {
		LoadBalancers []struct{ LoadBalancerName, DNSName string }
	}
	decode(t, "elbv2 describe-load-balancers", awsJSON(t, e, "elbv2", "describe-load-balancers"), &got)
	var names []string
	for _, lb := range got.LoadBalancers {
		if strings.HasPrefix(lb.LoadBalancerName, prefix) {
			names = append(names, lb.DNSName)
		}
	}
	if len(names) != 1 {
		t.Fatalf("load balancers named %s*: %v", prefix, got.LoadBalancers)
	}
	return names[0]
}

// peeringID is the id of the active peering the aws CLI describes as
// the stack's at address.
func peeringID(t *testing.T, e *env, stack, address string) string {
	t.Helper()
	var got struct {
		VpcPeeringConnections []struct {
			VpcPeeringConnectionID string `json:"VpcPeeringConnectionId"`
		}
	}
	decode(t, "ec2 describe-vpc-peering-connections", awsJSON(t, e, "ec2", "describe-vpc-peering-connections", "--filters",
		"Name=tag:kcstack:stack,Values="+stack, "Name=tag:kcstack:address,Values="+address, "Name=status-code,Values=active"), &got)
	if len(got.VpcPeeringConnections) != 1 {
		t.Fatalf("active peerings at %s: %v", address, got.VpcPeeringConnections)
	}
	return got.VpcPeeringConnections[0].VpcPeeringConnectionID
}

// noSecret fails t when the secret's value, or its password, shows in
// anything kcstack wrote.
func noSecret(t *testing.T, secret string, seen []string) {
	t.Helper()
	var fields map[string]string
	decode(t, "the master user secret", secret, &fields)
	for _, s := range seen {
		if strings.Contains(s, secret) || (fields["password"] != "" && strings.Contains(s, fields["password"])) {
			t.Fatalf("the master user's secret value shows in kcstack's output:\n%s", s)
		}
	}
}

// checkOnlyValue: NAME prints that value alone; an unknown NAME is an
// error naming the outputs.
func (k *kcrun) checkOnlyValue(t *testing.T, file, name, want string) {
	t.Helper()
	r := k.do(t, "output", "-f", file, name)
	if r.Code != 0 || r.Stdout != want+"\n" {
		t.Errorf("output %s: exit %d stdout %q, want 0 and %q", name, r.Code, r.Stdout, want+"\n")
	}
	mustRun(t, "output of an unknown name", k.do(t, "output", "-f", file, "database.password"), 1, "no output \"database.password\"", name)
}

// checkECSOutputs applies ECS example ex on e and checks its outputs
// against the aws CLI: before apply a note, after apply (at the end of
// apply's own output too) every value; destroy prints none.
func checkECSOutputs(t *testing.T, e *env, ex ecsExample, file string) {
	k := &kcrun{run: e.kcstack}
	mustRun(t, "output before apply", k.do(t, "output", "-f", file), 0, "owns nothing in eu-west-1 yet", "database.writer_endpoint", "(not created)")
	before := k.do(t, "output", "-f", file, "--format", "json", "database.writer_endpoint")
	mustRun(t, "one output before apply", before, 0, "database.writer_endpoint has no value: not created")
	if before.Stdout != "null\n" {
		t.Errorf("one output before apply in JSON: %q, want null", before.Stdout)
	}
	applied := k.do(t, "apply", "-f", file, "--auto-approve")
	mustRun(t, "apply from empty", applied, 0, "Apply complete!", "\nOutputs:\n")
	doc := k.outputs(t, file)
	want, secret := databaseOutputs(t, e, ex.stack+"-db")
	prefix := "targets." + ex.target + "."
	want[prefix+"load_balancer_dns_name"] = loadBalancerDNS(t, e, ex.stack+"-"+ex.target)
	want[prefix+"peering_id"] = peeringID(t, e, ex.stack, prefix+"peering")
	want[prefix+"keycloak_url"] = "https://auth.example.com"
	if ex.stack == "sso-prod" {
		want[prefix+"admin_url"] = "https://admin.auth.example.com"
	}
	got := doc.values()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("outputs (-aws CLI +kcstack output):\n%s", diff)
	}
	if !lineMatches(applied.Stdout, "database.writer_endpoint", want["database.writer_endpoint"]) {
		t.Errorf("apply's output ends without the outputs:\n%s", applied.Stdout)
	}
	k.checkOnlyValue(t, file, "database.writer_endpoint", want["database.writer_endpoint"])
	destroyed := k.do(t, "destroy", "-f", file, "--auto-approve")
	mustRun(t, "destroy", destroyed, 0, "Destroy complete!")
	if strings.Contains(destroyed.Stdout, "Outputs:") {
		t.Errorf("destroy printed outputs:\n%s", destroyed.Stdout)
	}
	noSecret(t, secret, k.seen)
}

// TestOutputECS: for each ECS example on its own sandbox, kcstack output
// (text, JSON and one NAME) after apply gives the endpoints, port and
// secret ARN the aws CLI describes, the load balancer's DNS name, the
// peering id and the Keycloak URLs; apply ends with them, destroy does
// not; the secret's value shows nowhere.
func TestOutputECS(t *testing.T) {
	t.Parallel()
	for name, ex := range ecsExamples {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e, _ := newSandbox(t)
			checkECSOutputs(t, e, ex, e.stackFile(t, ex.file, unprotectedECS...))
		})
	}
}

// TestOutputECSMoto is TestOutputECS for the JDBC_PING example against
// moto's server.
func TestOutputECSMoto(t *testing.T) {
	t.Parallel()
	url := moto.Own(t)
	e := &env{URL: url, Dir: t.TempDir(), cfg: sandboxtest.Config(t, url)}
	var cert struct{ CertificateArn string }
	decode(t, "acm request-certificate", awsJSON(t, e, "acm", "request-certificate", "--domain-name", "auth.example.com"), &cert)
	ex := ecsExamples["jdbc-ping"]
	checkECSOutputs(t, e, ex, e.stackFile(t, ex.file, append(slices.Clone(unprotectedECS), exampleCertificate, cert.CertificateArn)...))
}

// TestOutputROSA: after apply of aurora-rosa.yaml with a kubeconfig,
// kcstack output gives the database outputs the aws CLI describes, each
// target's peering id, and the Keycloak custom resource's hostname and
// status as the Operator reports it (written here through the status
// subresource); without a kubeconfig the in-cluster outputs are left out
// with a note, and the AWS ones stay.
func TestOutputROSA(t *testing.T) {
	t.Parallel()
	c := newROSACluster(t)
	file := c.stackFile(t, "aurora-rosa.yaml", append(slices.Clone(unprotected), secondNamespace...)...)
	with := &kcrun{run: c.run}
	mustRun(t, "apply from empty", with.do(t, "apply", "-f", file, "--auto-approve"), 0, "Apply complete!", "\nOutputs:\n", "targets.rosa-a.keycloak_status")
	want, secret := databaseOutputs(t, c.env, "kc-aurora")
	for _, target := range []string{"rosa-a", "rosa-b"} {
		want["targets."+target+".peering_id"] = peeringID(t, c.env, stackName, "targets."+target+".peering")
	}
	without := &kcrun{run: c.kcstack}
	r := without.do(t, "output", "-f", file, "--format", "json")
	mustRun(t, "output without a kubeconfig", r, 0, "was not read")
	var doc outputDoc
	decode(t, "output without a kubeconfig", r.Stdout, &doc)
	if diff := cmp.Diff(want, doc.values()); diff != "" {
		t.Errorf("outputs without a kubeconfig (-aws CLI +kcstack output):\n%s", diff)
	}

	hostname, _, _ := unstructured.NestedString(c.keycloak(t, "keycloak").Object, "spec", "hostname", "hostname")
	for _, target := range []string{"rosa-a", "rosa-b"} {
		want["targets."+target+".keycloak_hostname"] = hostname
		want["targets."+target+".keycloak_status"] = "no status reported by the Keycloak Operator yet"
	}
	got := with.outputs(t, file).values()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("outputs with a kubeconfig (-want +got):\n%s", diff)
	}
	u := c.keycloak(t, "keycloak")
	conditions := []any{
		map[string]any{"type": "Ready", "status": "True", "message": ""},
		map[string]any{"type": "HasErrors", "status": "False", "message": ""},
	}
	if err := unstructured.SetNestedSlice(u.Object, conditions, "status", "conditions"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.dyn.Resource(kubetest.KeycloakGVR).Namespace("keycloak").UpdateStatus(context.Background(), u, metav1.UpdateOptions{}); err != nil {
		t.Fatalf("write the Keycloak status: %v", err)
	}
	with.checkOnlyValue(t, file, "targets.rosa-a.keycloak_status", "Ready")
	mustRun(t, "destroy", with.do(t, "destroy", "-f", file, "--auto-approve"), 0, "Destroy complete!")
	noSecret(t, secret, append(with.seen, without.seen...))
}
