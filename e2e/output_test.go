package e2e

import (
	"context"
	"regexp"
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
// the stack's at address. The filters are checked here again: moto
// answers every connection whatever the filters (see TestApplyCycleMoto).
func peeringID(t *testing.T, e *env, stack, address string) string {
	t.Helper()
	var got struct {
		VpcPeeringConnections []struct {
			VpcPeeringConnectionID string `json:"VpcPeeringConnectionId"`
			Status                 struct{ Code string }
			Tags                   []struct{ Key, Value string }
		}
	}
	decode(t, "ec2 describe-vpc-peering-connections", awsJSON(t, e, "ec2", "describe-vpc-peering-connections", "--filters",
		"Name=tag:kcstack:stack,Values="+stack, "Name=tag:kcstack:address,Values="+address, "Name=status-code,Values=active"), &got)
	var ids []string
	for _, pc := range got.VpcPeeringConnections {
		tags := map[string]string{}
		for _, tag := range pc.Tags {
			tags[tag.Key] = tag.Value
		}
		if pc.Status.Code == "active" && tags["kcstack:stack"] == stack && tags["kcstack:address"] == address {
			ids = append(ids, pc.VpcPeeringConnectionID)
		}
	}
	if len(ids) != 1 {
		t.Fatalf("active peerings of %s at %s: %v", stack, address, ids)
	}
	return ids[0]
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
// apply's own output too) every value; with noChange, an apply that finds
// nothing to change prints them too (checkNoChangeOutputs); destroy
// prints none.
func checkECSOutputs(t *testing.T, e *env, ex ecsExample, file string, noChange bool) {
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
	if noChange {
		k.checkNoChangeOutputs(t, file, want)
	}
	destroyed := k.do(t, "destroy", "-f", file, "--auto-approve")
	mustRun(t, "destroy", destroyed, 0, "Destroy complete!")
	if strings.Contains(destroyed.Stdout, "Outputs:") {
		t.Errorf("destroy printed outputs:\n%s", destroyed.Stdout)
	}
	noSecret(t, secret, k.seen)
}

// checkNoChangeOutputs is the acceptance item "outputs after a no-change
// apply": an apply that finds nothing to change prints No changes. and
// then every output, like Terraform, built from the plan's own
// observation: it makes exactly the AWS calls a plan makes (--trace).
func (k *kcrun) checkNoChangeOutputs(t *testing.T, file string, want map[string]string) {
	t.Helper()
	r := k.do(t, "apply", "-f", file, "--auto-approve", "--wait=false", "--trace")
	mustRun(t, "apply with nothing to change", r, 0, "No changes.", "\nOutputs:\n")
	for name, v := range want {
		if !lineMatches(r.Stdout, name, v) {
			t.Errorf("the no-change apply's outputs lack %s = %s:\n%s", name, v, r.Stdout)
		}
	}
	p := k.do(t, "plan", "-f", file, "--detailed-exitcode", "--trace")
	mustRun(t, "plan with nothing to change", p, 0, "No changes.")
	if len(tracedCalls(p.Stderr)) == 0 {
		t.Fatalf("plan --trace shows no AWS call:\n%s", p.Stderr)
	}
	if diff := cmp.Diff(tracedCalls(p.Stderr), tracedCalls(r.Stderr)); diff != "" {
		t.Errorf("AWS calls of the no-change apply against the plan's (-plan +apply):\n%s", diff)
	}
}

// tracedCalls are the "service operation" of each --trace line ("trace:
// <service id, maybe with spaces> <operation> <duration> <outcome>"),
// sorted (independent calls run in parallel).
func tracedCalls(stderr string) []string {
	var calls []string
	for _, line := range strings.Split(stderr, "\n") {
		if m := traceLine.FindStringSubmatch(line); m != nil {
			calls = append(calls, m[1])
		}
	}
	slices.Sort(calls)
	return calls
}

// traceLine is a line of --trace: the service and operation, then the
// call's duration.
var traceLine = regexp.MustCompile(`^trace: (.+? [A-Za-z0-9]+) [0-9.]+(?:ns|µs|ms|s|m[0-9.]+s|h[0-9hm.]+s) `)

// TestOutputECS: for each ECS example on its own sandbox, kcstack output
// (text, JSON and one NAME) after apply gives the endpoints, port and
// secret ARN the aws CLI describes, the load balancer's DNS name, the
// peering id and the Keycloak URLs; apply ends with them, a no-change
// apply too, destroy does not; the secret's value shows nowhere.
func TestOutputECS(t *testing.T) {
	t.Parallel()
	for name, ex := range ecsExamples {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e, _ := newSandbox(t)
			checkECSOutputs(t, e, ex, e.stackFile(t, ex.file, unprotectedECS...), true)
		})
	}
}

// TestOutputMoto is TestOutputECS, and the AWS part of the ROSA examples
// (no kubeconfig: the in-cluster outputs are left out with a note), against
// moto's server: each example of examples/ gives the endpoints, port and
// secret ARN the aws CLI describes, the load balancer's DNS name and each
// peering id, in text and JSON and at the end of apply. The examples have
// different stack names and ranges, so they run in parallel on one moto
// server of the test's own (moto.Own).
func TestOutputMoto(t *testing.T) {
	t.Parallel()
	url := moto.Own(t)
	e := &env{URL: url, Dir: t.TempDir(), cfg: sandboxtest.Config(t, url)}
	e.rosaNetworks(t)
	for name, ex := range ecsExamples {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := &env{URL: url, Dir: t.TempDir(), cfg: e.cfg}
			var cert struct{ CertificateArn string }
			decode(t, "acm request-certificate", awsJSON(t, e, "acm", "request-certificate", "--domain-name", "auth.example.com"), &cert)
			checkECSOutputs(t, e, ex, e.stackFile(t, ex.file, append(slices.Clone(unprotectedECS), exampleCertificate, cert.CertificateArn)...), false)
		})
	}
	for name, ex := range rosaExamples {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := &env{URL: url, Dir: t.TempDir(), cfg: e.cfg}
			k := &kcrun{run: e.kcstack}
			checkROSAOutputs(t, e, k, ex, e.stackFile(t, ex.file, ex.unprotected...), nil)
		})
	}
}

// rosaExample is a ROSA example of examples/: its stack, database and
// targets, and the edits that let destroy remove the database.
type rosaExample struct {
	file, stack, cluster string
	targets              []string
	unprotected          []string
}

var rosaExamples = map[string]rosaExample{
	"aurora-rosa": {file: "aurora-rosa.yaml", stack: stackName, cluster: "kc-aurora", targets: []string{"rosa-a", "rosa-b"}, unprotected: unprotected},
	"rosa-kube-ping": {file: "rosa-kube-ping.yaml", stack: "sso-kube", cluster: "sso-kube-db", targets: []string{"rosa"},
		unprotected: []string{"      vpc: {cidr: 192.168.30.0/24}", "      vpc: {cidr: 192.168.30.0/24}\n      deletionProtection: false\n      skipFinalSnapshot: true"}},
}

// checkROSAOutputs applies ROSA example ex on e through k and checks the
// outputs against the aws CLI: the database's, each target's peering id,
// and inCluster's (the in-cluster outputs; nil without a kubeconfig, when
// a note says the clusters were not read), in text and JSON and at the end
// of apply; then destroys, and checks that the secret's value showed
// nowhere.
func checkROSAOutputs(t *testing.T, e *env, k *kcrun, ex rosaExample, file string, inCluster map[string]string) {
	t.Helper()
	applied := k.do(t, "apply", "-f", file, "--auto-approve")
	mustRun(t, "apply from empty", applied, 0, "Apply complete!", "\nOutputs:\n")
	want, secret := databaseOutputs(t, e, ex.cluster)
	for _, target := range ex.targets {
		want["targets."+target+".peering_id"] = peeringID(t, e, ex.stack, "targets."+target+".peering")
	}
	for name, v := range inCluster {
		want[name] = v
	}
	doc := k.outputs(t, file)
	if diff := cmp.Diff(want, doc.values()); diff != "" {
		t.Errorf("outputs of %s (-aws CLI +kcstack output):\n%s", ex.file, diff)
	}
	if inCluster == nil {
		mustRun(t, "output without a kubeconfig", k.do(t, "output", "-f", file), 0, "was not read")
	}
	for name, v := range want {
		if !lineMatches(applied.Stdout, name, v) {
			t.Errorf("apply's output lacks %s = %s:\n%s", name, v, applied.Stdout)
		}
	}
	mustRun(t, "destroy", k.do(t, "destroy", "-f", file, "--auto-approve"), 0, "Destroy complete!")
	noSecret(t, secret, k.seen)
}

// TestOutputROSAKubePing: examples/rosa-kube-ping.yaml on the sandbox with
// a kubeconfig reaching its cluster (the package's shared API server, the
// namespace made its own): the database outputs and the peering id as the
// aws CLI describes them, and the Keycloak custom resource's hostname and
// status.
func TestOutputROSAKubePing(t *testing.T) {
	t.Parallel()
	c := newSharedROSA(t)
	ex := rosaExamples["rosa-kube-ping"]
	file := c.stackFile(t, ex.file, append(slices.Clone(ex.unprotected), "namespace: keycloak\n", "namespace: output-kube-ping\n")...)
	checkROSAOutputs(t, c.env, &kcrun{run: c.run}, ex, file, map[string]string{
		"targets.rosa.keycloak_hostname": "https://auth.apps.example.com", // the CR's spec.hostname.hostname
		"targets.rosa.keycloak_status":   "no status reported by the Keycloak Operator yet",
	})
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
