package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	tagging "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi"
	taggingtypes "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi/types"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"gopkg.in/yaml.v3"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/dynamic"

	kubetest "github.com/kcstack/kcstack/internal/testutil/kube"
	"github.com/kcstack/kcstack/internal/testutil/moto"
	"github.com/kcstack/kcstack/pkg/apply"
	"github.com/kcstack/kcstack/pkg/aws/awserr"
	"github.com/kcstack/kcstack/pkg/aws/provider"
	"github.com/kcstack/kcstack/pkg/desired"
	"github.com/kcstack/kcstack/pkg/kube"
	"github.com/kcstack/kcstack/pkg/kube/cluster"
	"github.com/kcstack/kcstack/pkg/plan"
	"github.com/kcstack/kcstack/pkg/resource"
	"github.com/kcstack/kcstack/pkg/sandbox/fixture"
	"github.com/kcstack/kcstack/pkg/sandbox/sandboxtest"
	"github.com/kcstack/kcstack/pkg/stack"
	"github.com/kcstack/kcstack/pkg/state"
)

// transitionBound is how long one apply of a transition may take. The
// sandbox's state transitions take milliseconds, so an apply that needs
// longer is stuck (a DependencyViolation retry, a wait that never ends).
const transitionBound = 90 * time.Second

// transitionWorkers is how many transitions run at once on the sandbox:
// the runs mostly wait, and each has its own sandbox.
const transitionWorkers = 4

// TestTransitions is issue 11's transition test on the sandbox: for every
// edit of transitions, on a sandbox of its own, apply the base stack, plan
// and apply the edit within transitionBound, then check that the next plan
// says No changes and that the edit's plan was honest (checkHonest).
//
//	go test ./e2e -run TestTransitions -v
//
// The transitions of a base with ROSA targets (base.cluster) also plan and
// apply the targets' in-cluster objects, on the API server the package's
// tests share, each transition under a stack name and namespaces of its
// own (inClusterRun).
func TestTransitions(t *testing.T) {
	t.Parallel()
	inParallel(t, slices.Sorted(maps.Keys(transitions)), transitionWorkers, func(t *testing.T, name string) {
		e, _ := newSandbox(t)
		var k *inClusterRun
		if tr := transitions[name]; bases[tr.base].cluster {
			k = newInClusterRun(t, e, name)
		}
		runTransition(t, e, name, transitions[name], nil, k)
	})
}

// TestTransitionsMoto runs the transitions marked moto against a moto
// server of its own (moto.Own), one after the other on the server emptied
// before each (the stacks share names, ranges and ROSA networks). Its plans may hold what moto's
// departures from AWS explain and nothing else: see TestECSExamplesMoto for
// the departures (motoExplains), and checkHonest for the kinds moto's
// tagging API does not list.
func TestTransitionsMoto(t *testing.T) {
	t.Parallel()
	url := moto.Own(t)
	for _, name := range slices.Sorted(maps.Keys(transitions)) {
		tr := transitions[name]
		if !tr.moto {
			continue
		}
		t.Run(name, func(t *testing.T) {
			moto.Reset(t, url)
			e := &env{URL: url, Dir: t.TempDir(), cfg: sandboxtest.Config(t, url)}
			runTransition(t, e, name, tr, motoWorld(t, e), nil)
		})
	}
}

// transition is one edit of a stack file.
type transition struct {
	reason string
	// base names the stack file the transition starts from (bases).
	base string
	edit edit
	// moto also runs the transition in TestTransitionsMoto.
	moto bool
	// order, when set, checks the order the edit's plan gives its
	// changes, returning what is out of order.
	order func(p *plan.Plan) []string
}

// base is a stack file transitions start from.
type base struct {
	// file is the stack file, from the repository's root.
	file string
	// prepare edits it before anything else: an unprotected database, so
	// that replacing the cluster is allowed.
	prepare edit
	// networks are the existing VPCs (ROSA clusters, peers) to make first,
	// by cluster name: fixture.EnsureROSANetwork tags each <cluster>-vpc.
	networks map[string]string
	// cluster marks a base with ROSA targets whose in-cluster objects the
	// transitions on the sandbox plan and apply too.
	cluster bool
}

// unprotect lets a transition replace or delete the database.
var unprotect = all(
	set("spec.database.aurora.deletionProtection", false),
	set("spec.database.aurora.skipFinalSnapshot", true),
)

// rosaNetworks are the networks of examples/aurora-rosa.yaml's clusters,
// one for a third cluster and one for a peer.
var rosaNetworks = map[string]string{
	"gh-keycloak-a": "10.0.0.0/16", "gh-keycloak-b": "10.1.0.0/16", "gh-keycloak-c": "10.2.0.0/16", "app": "10.3.0.0/16",
}

// bases are the stack files the transitions start from.
var bases = map[string]base{
	"ecs-jdbc":    {file: "examples/ecs-jdbc-ping.yaml", prepare: unprotect},
	"ecs-dns":     {file: "examples/ecs-dns-ping.yaml", prepare: unprotect},
	"ecs-s3":      {file: "examples/ecs-s3-ping.yaml", prepare: unprotect},
	"rosa":        {file: "examples/aurora-rosa.yaml", prepare: unprotect, networks: rosaNetworks, cluster: true},
	"two-targets": {file: "e2e/testdata/ecs-two-targets.yaml", prepare: unprotect},
	"ecs-redis":   {file: "examples/ecs-redis.yaml", prepare: unprotect},
	"ecs-jdbc-single-nat": {file: "examples/ecs-jdbc-ping.yaml",
		prepare: all(unprotect, set("spec.targets.ecs-main.ecs.natGateways", "single"))},
}

// otherCertificate is a second certificate ARN for the listener edit.
const otherCertificate = "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-9999-8888-7777-666655554444"

// transitions are the edits, by name: every field of the schema that can
// change, on the examples that have it.
var transitions = map[string]transition{
	// The database and its network.
	"aurora/vpc-cidr": {reason: "a new database VPC: everything in it, the peering and the routes to it are replaced",
		base: "ecs-jdbc", edit: set("spec.database.aurora.vpc.cidr", "192.168.4.0/24")},
	"aurora/vpc-cidr-rosa": {reason: "a new database VPC peered with two ROSA VPCs",
		base: "rosa", edit: set("spec.database.aurora.vpc.cidr", "192.168.1.0/24")},
	"aurora/zones": {reason: "the DB subnet group loses a zone, and its subnet",
		base: "rosa", edit: set("spec.database.aurora.zones", []any{"eu-west-1a", "eu-west-1b"})},
	"aurora/cluster-identifier": {reason: "a renamed cluster is a new cluster: the tasks must get its endpoint in the same apply",
		base: "ecs-jdbc", edit: set("spec.database.aurora.clusterIdentifier", "sso-prod-db2")},
	"aurora/cluster-identifier-rosa": {reason: "a renamed cluster with nothing but peerings around it",
		base: "rosa", edit: set("spec.database.aurora.clusterIdentifier", "kc-aurora-2"), moto: true},
	"aurora/engine-minor": {reason: "a minor engine upgrade is made in place",
		base: "rosa", edit: set("spec.database.aurora.engineVersion", "16.9")},
	"aurora/engine-major": {reason: "a major engine upgrade",
		base: "ecs-jdbc", edit: set("spec.database.aurora.engineVersion", "17.4")},
	"aurora/instance-class": {reason: "a new instance class, in place",
		base: "rosa", edit: set("spec.database.aurora.instanceClass", "db.r7g.xlarge"), moto: true},
	"aurora/instances-up": {reason: "a third instance",
		base: "rosa", edit: set("spec.database.aurora.instances", 3), moto: true},
	"aurora/instances-down": {reason: "the reader goes",
		base: "ecs-jdbc", edit: set("spec.database.aurora.instances", 1)},
	"aurora/backup-retention": {reason: "backup retention, in place",
		base: "ecs-jdbc", edit: set("spec.database.aurora.backupRetentionDays", 7)},
	"aurora/port": {reason: "a new database port: the cluster, the ingress rules and the tasks' JDBC URL",
		base: "ecs-dns", edit: set("spec.database.aurora.port", 5433)},

	// An ECS target's network.
	"ecs/vpc-cidr": {reason: "a new target VPC: the load balancer, the gateways, the service and the peering move with it",
		base: "ecs-jdbc", edit: set("spec.targets.ecs-main.ecs.vpc.cidr", "10.11.0.0/16")},
	"ecs/zones": {reason: "other zones: new subnets for the load balancer and the tasks",
		base: "ecs-dns", edit: set("spec.targets.ecs.ecs.zones", []any{"eu-west-1b", "eu-west-1c"})},
	"ecs/nat-per-zone": {reason: "one NAT gateway per zone instead of one: the new gateways and tables route before the subnets move, the old gateway goes last",
		base: "ecs-jdbc-single-nat", edit: set("spec.targets.ecs-main.ecs.natGateways", "perZone"), order: natOrder},
	"ecs/nat-single": {reason: "back to one NAT gateway: its table routes before the subnets move, the zones' gateways go last",
		base: "ecs-jdbc", edit: set("spec.targets.ecs-main.ecs.natGateways", "single"), order: natOrder},
	"ecs/private-subnets": {reason: "smaller task subnets: replaced under the running service",
		base: "ecs-dns", edit: set("spec.targets.ecs.ecs.subnets.private", []any{
			map[string]any{"zone": "eu-west-1a", "cidr": "10.20.0.0/20"},
			map[string]any{"zone": "eu-west-1b", "cidr": "10.20.32.0/20"},
		})},

	// Redis.
	"redis/added": {reason: "Redis added to a running stack: its users, secrets and group, the tasks get the connection",
		base: "ecs-jdbc", edit: set("spec.redis", map[string]any{"applications": []any{
			map[string]any{"name": "shop", "environment": "prod", "keyPrefix": "shop", "from": []any{"ecs-main"}}}})},
	"redis/removed": {reason: "Redis removed: the replication group (final snapshot), users, secrets and rules go, the tasks lose the connection",
		base: "ecs-redis", edit: remove("spec.redis")},
	"redis/node-type": {reason: "a larger node type is an update in place", base: "ecs-redis", edit: set("spec.redis.nodeType", "cache.r7g.xlarge")},
	"redis/replicas":  {reason: "a second replica is an update in place", base: "ecs-redis", edit: set("spec.redis.replicas", 2)},

	// Targets added, removed, renamed.
	"targets/ecs-added": {reason: "a second ECS target beside the first",
		base: "ecs-jdbc", edit: appendTo("spec.targets", map[string]any{"name": "ecs-second", "ecs": map[string]any{
			"vpc": map[string]any{"cidr": "10.40.0.0/16"}, "tasks": 3,
			"loadBalancer": map[string]any{"certificateArn": exampleCertificate},
		}})},
	"targets/ecs-removed": {reason: "one of two ECS targets goes, with its VPC and peering",
		base: "two-targets", edit: remove("spec.targets.ecs-b")},
	"targets/ecs-renamed": {reason: "a renamed ECS target is a new target and a deleted one",
		base: "two-targets", edit: set("spec.targets.ecs-b.name", "ecs-c")},
	"targets/ecs-added-to-rosa": {reason: "an ECS target joins two ROSA targets",
		base: "rosa", edit: appendTo("spec.targets", map[string]any{"name": "ecs", "ecs": map[string]any{
			"vpc": map[string]any{"cidr": "10.40.0.0/16"}, "tasks": 2,
			"loadBalancer": map[string]any{"certificateArn": exampleCertificate},
		}})},

	// Discovery modes.
	"discovery/jdbc-to-dns": {reason: "jdbc-ping to dns-ping: a Cloud Map namespace and service, the service registers its tasks",
		base: "ecs-jdbc", edit: set("spec.discovery.mode", "dns-ping")},
	"discovery/jdbc-to-s3": {reason: "jdbc-ping to s3-ping: a bucket, and a task role allowed to use it",
		base: "ecs-jdbc", edit: set("spec.discovery.mode", "s3-ping")},
	"discovery/dns-to-jdbc": {reason: "dns-ping to jdbc-ping: the Cloud Map namespace and service go",
		base: "ecs-dns", edit: all(set("spec.discovery.mode", "jdbc-ping"), remove("spec.discovery.dnsPing"))},
	"discovery/dns-to-s3": {reason: "dns-ping to s3-ping: Cloud Map goes, a bucket comes",
		base: "ecs-dns", edit: all(set("spec.discovery.mode", "s3-ping"), remove("spec.discovery.dnsPing"))},
	"discovery/s3-to-dns": {reason: "s3-ping to dns-ping: the bucket goes, Cloud Map comes",
		base: "ecs-s3", edit: all(set("spec.discovery.mode", "dns-ping"), remove("spec.discovery.s3Ping"))},
	"discovery/s3-to-jdbc": {reason: "s3-ping to jdbc-ping, with the Keycloak version jdbc-ping needs",
		base: "ecs-s3", edit: all(set("spec.discovery.mode", "jdbc-ping"), remove("spec.discovery.s3Ping"),
			set("spec.keycloak.version", "26.1.4"), set("spec.keycloak.image", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/keycloak-s3ping:26.1.4"))},
	"discovery/dns-ttl": {reason: "a shorter TTL of the discovery records",
		base: "ecs-dns", edit: set("spec.discovery.dnsPing.ttl", 5)},
	"discovery/rosa-jdbc-to-kube": {reason: "kube-ping on ROSA: the ServiceAccount, Role, RoleBinding and cache ConfigMap come, the custom resource changes; nothing on AWS",
		base: "rosa", edit: set("spec.discovery.mode", "kube-ping")},

	// Keycloak.
	"keycloak/version-patch": {reason: "a patch release: a new image in a new task definition revision",
		base: "ecs-jdbc", edit: set("spec.keycloak.version", "26.4.5"), moto: true},
	"keycloak/version-minor-down": {reason: "back to 26.1, the first with jdbc-ping",
		base: "ecs-jdbc", edit: set("spec.keycloak.version", "26.1.4")},
	"keycloak/version-25": {reason: "Keycloak 25 on dns-ping",
		base: "ecs-dns", edit: set("spec.keycloak.version", "25.0.6")},
	"keycloak/image": {reason: "another image of the same version",
		base: "ecs-s3", edit: set("spec.keycloak.image", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/keycloak-s3ping:26.0.8-1")},
	"keycloak/hostname": {reason: "a new public host name",
		base: "ecs-jdbc", edit: set("spec.keycloak.hostname", "login.example.com"), moto: true},
	"keycloak/admin-hostname-removed": {reason: "the admin console back on the public host",
		base: "ecs-jdbc", edit: remove("spec.keycloak.adminHostname")},
	"keycloak/admin-hostname-added": {reason: "the admin console on its own host",
		base: "ecs-dns", edit: set("spec.keycloak.adminHostname", "admin.auth.example.com")},
	"keycloak/features": {reason: "one more feature",
		base: "ecs-jdbc", edit: set("spec.keycloak.features", []any{"token-exchange", "admin-fine-grained-authz"})},
	"keycloak/features-disabled": {reason: "a disabled feature",
		base: "ecs-dns", edit: set("spec.keycloak.featuresDisabled", []any{"impersonation"})},
	"keycloak/extra-options": {reason: "another log level",
		base: "ecs-jdbc", edit: set("spec.keycloak.extraOptions.log-level", "DEBUG")},
	"keycloak/pool-size": {reason: "a smaller connection pool",
		base: "ecs-jdbc", edit: set("spec.keycloak.db.poolSize", 20)},
	"keycloak/proxy-headers": {reason: "RFC 7239 proxy headers",
		base: "ecs-dns", edit: set("spec.keycloak.proxyHeaders", "forwarded")},
	"keycloak/bootstrap-admin": {reason: "a bootstrap admin whose password is a secret of the task",
		base: "ecs-jdbc", edit: set("spec.keycloak.bootstrapAdmin", map[string]any{
			"passwordSecretArn": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:sso-prod/admin-AbCdEf",
		})},

	// Caches and the size of an ECS target.
	"caches/owners": {reason: "three owners of each cache entry",
		base: "ecs-jdbc", edit: set("spec.caches.owners", 3), moto: true},
	"ecs/tasks-up": {reason: "a fourth task in the same three zones",
		base: "ecs-jdbc", edit: set("spec.targets.ecs-main.ecs.tasks", 4), moto: true},
	"ecs/tasks-down": {reason: "two tasks: the default zones drop to two, a subnet of each kind goes",
		base: "ecs-jdbc", edit: set("spec.targets.ecs-main.ecs.tasks", 2)},
	"ecs/tasks-up-zones": {reason: "three tasks: the default zones grow to three, a subnet of each kind comes",
		base: "ecs-dns", edit: set("spec.targets.ecs.ecs.tasks", 3)},
	"ecs/cpu-memory": {reason: "a smaller Fargate size",
		base: "ecs-jdbc", edit: all(set("spec.targets.ecs-main.ecs.cpu", 1024), set("spec.targets.ecs-main.ecs.memory", 3072)), moto: true},
	"ecs/memory": {reason: "more memory at the same CPU",
		base: "ecs-dns", edit: set("spec.targets.ecs.ecs.memory", 4096)},
	"ecs/log-retention": {reason: "a longer log retention, in place",
		base: "ecs-jdbc", edit: set("spec.targets.ecs-main.ecs.logRetentionDays", 90), moto: true},

	// The load balancer.
	"lb/internal": {reason: "an internal load balancer: AWS cannot change a scheme in place",
		base: "ecs-jdbc", edit: set("spec.targets.ecs-main.ecs.loadBalancer.internal", true)},
	"lb/sticky-sessions": {reason: "stickiness on the target group, in place",
		base: "ecs-jdbc", edit: set("spec.targets.ecs-main.ecs.loadBalancer.stickySessions", true), moto: true},
	"lb/certificate": {reason: "another certificate on the HTTPS listener",
		base: "ecs-jdbc", edit: set("spec.targets.ecs-main.ecs.loadBalancer.certificateArn", otherCertificate)},

	// Tags.
	"tags/added": {reason: "tags on a stack that had none: every taggable resource",
		base: "ecs-dns", edit: set("spec.tags", map[string]any{"team": "identity"})},
	"tags/changed": {reason: "a tag value changes on every resource",
		base: "ecs-jdbc", edit: set("spec.tags.cost-center", "4712"), moto: true},
	"tags/removed": {reason: "the stack's tags go from every resource",
		base: "ecs-jdbc", edit: remove("spec.tags")},

	// ROSA targets and peers.
	"rosa/machine-cidr": {reason: "a smaller machine network: routes and ingress, not the peering",
		base: "rosa", edit: set("spec.targets.rosa-a.rosa.machineCidr", "10.0.0.0/17"), moto: true},
	"rosa/target-added": {reason: "a third ROSA cluster peered",
		base: "rosa", edit: appendTo("spec.targets", map[string]any{"name": "rosa-c", "rosa": map[string]any{
			"cluster": "gh-keycloak-c", "vpc": map[string]any{"tags": map[string]any{"Name": "gh-keycloak-c-vpc"}},
			"machineCidr": "10.2.0.0/16", "instances": 3,
		}}), moto: true},
	"rosa/target-removed": {reason: "one ROSA cluster's peering, routes and ingress go",
		base: "rosa", edit: remove("spec.targets.rosa-b"), moto: true},
	"rosa/target-renamed": {reason: "a renamed ROSA target: a new peering of the same VPCs",
		base: "rosa", edit: set("spec.targets.rosa-b.name", "rosa-z")},
	"rosa/instances": {reason: "fewer pods: an update of the custom resource, nothing on AWS",
		base: "rosa", edit: set("spec.targets.rosa-a.rosa.instances", 2)},
	// In-cluster edits of the ROSA targets.
	"rosa/namespace":             inCluster("another namespace: every object of the target is made anew there, the old ones and their namespace go", set("spec.targets.rosa-a.rosa.namespace", "sso")),
	"rosa/owners":                inCluster("three owners: options of the custom resources (Keycloak 26.4)", set("spec.caches.owners", 3)),
	"rosa/hostname":              inCluster("a new host name in the custom resources", set("spec.keycloak.hostname", "login.example.com")),
	"rosa/version-26-0":          inCluster("Keycloak 26.0 on dns-ping: a cache ConfigMap holds the owners, a headless Service the members", all(set("spec.keycloak.version", "26.0.8"), set("spec.discovery.mode", "dns-ping"))),
	"discovery/rosa-jdbc-to-dns": inCluster("dns-ping on ROSA: a headless Service comes, the custom resources change; nothing on AWS", set("spec.discovery.mode", "dns-ping")),
	"peers/added": {reason: "an application VPC peered with the database",
		base: "rosa", edit: set("spec.peers", []any{map[string]any{
			"name": "app", "vpc": map[string]any{"tags": map[string]any{"Name": "app-vpc"}}, "cidr": "10.3.0.0/16",
		}})},
}

// inCluster is a transition of the rosa base whose edit changes only
// in-cluster objects.
func inCluster(reason string, ed edit) transition {
	return transition{reason: reason, base: "rosa", edit: ed}
}

// world is what differs between the sandbox and moto's server.
type world struct {
	// adapt rewrites a stack file's text for the endpoint.
	adapt func(string) string
	// explains names the departure from AWS that explains a change of a
	// plan made right after an apply, or "".
	explains func(st *stack.Stack, c plan.Change) string
}

// motoWorld requests a certificate from moto (the examples' exists in no
// account) and explains plans with moto's departures.
func motoWorld(t *testing.T, e *env) *world {
	t.Helper()
	var cert struct{ CertificateArn string }
	decode(t, "acm request-certificate", awsJSON(t, e, "acm", "request-certificate", "--domain-name", "auth.example.com"), &cert)
	return &world{
		adapt: func(s string) string { return strings.ReplaceAll(s, exampleCertificate, cert.CertificateArn) },
		explains: func(st *stack.Stack, c plan.Change) string {
			var mc motoChange
			raw, _ := json.Marshal(c)
			if err := json.Unmarshal(raw, &mc); err != nil {
				return ""
			}
			for _, tg := range st.Spec.Targets {
				if why := motoExplains(mc, ecsExample{target: tg.Name}); why != "" {
					return why
				}
			}
			return ""
		},
	}
}

// runTransition applies tr's base, then its edit, and checks the result.
// w is nil on the sandbox; k, when not nil, reaches the ROSA targets'
// clusters.
func runTransition(t *testing.T, e *env, name string, tr transition, w *world, k *inClusterRun) {
	b, ok := bases[tr.base]
	if !ok {
		t.Fatalf("transition %s: no base %q", name, tr.base)
	}
	for cluster, cidr := range b.networks {
		if _, err := fixture.EnsureROSANetwork(context.Background(), e.ec2(), cluster, cidr); err != nil {
			t.Fatalf("create the network of %s: %v", cluster, err)
		}
	}
	var scope edit
	kubeconfig := ""
	if k != nil {
		scope, kubeconfig = scopedByCluster(k.stack), k.kubeconfig
	}
	from := loadEdited(t, e, b, scope, w)
	to := loadEdited(t, e, b, all(tr.edit, scope), w)
	if from.Digest() == to.Digest() {
		t.Fatalf("transition %s: the edit leaves the stack as it is", name)
	}
	cfg := clientConfig(e)
	fail := func(format string, args ...any) {
		t.Helper()
		t.Fatalf("transition %s (%s): %s", name, tr.reason, fmt.Sprintf(format, args...))
	}

	if _, err := boundedApply(cfg, from, transitionBound, kubeconfig); err != nil {
		fail("apply the base: %v", err)
	}
	settled, _, err := planWithClusters(context.Background(), cfg, from, false, kubeconfig)
	if err != nil {
		fail("plan the base after its apply: %v", err)
	}
	if left := unexplained(settled, from, w); len(left) > 0 {
		fail("the base does not converge: the plan after its apply is not empty:\n%s", strings.Join(left, "\n"))
	}
	before := e.identities(t, from.Metadata.Name, settled)
	objectsBefore := k.objects(t)

	edited, err := boundedApply(cfg, to, transitionBound, kubeconfig)
	if edited == nil {
		fail("plan the edit: %v", err)
	}
	if len(unexplained(edited, to, w)) == 0 {
		fail("the plan of the edit changes nothing")
	}
	if err != nil {
		fail("apply the edit: %v\nplan of the edit:\n%s", err, describePlan(edited))
	}
	if tr.order != nil {
		if wrong := tr.order(edited); len(wrong) > 0 {
			fail("the plan of the edit is out of order:\n  %s\nplan of the edit:\n%s", strings.Join(wrong, "\n  "), describePlan(edited))
		}
	}
	final, _, err := planWithClusters(context.Background(), cfg, to, false, kubeconfig)
	if err != nil {
		fail("plan after the edit's apply: %v", err)
	}
	if left := unexplained(final, to, w); len(left) > 0 {
		fail("one apply does not converge: the plan after it is not `No changes.`:\n%s\nplan of the edit:\n%s",
			strings.Join(left, "\n"), describePlan(edited))
	}
	after := e.identities(t, to.Metadata.Name, final)
	lies := checkHonest(edited, before, after)
	if k != nil {
		lies = append(lies, k.checkObjects(t, edited, to, objectsBefore)...)
	}
	if len(lies) > 0 {
		fail("the plan of the edit was not honest:\n  %s\nplan of the edit:\n%s", strings.Join(lies, "\n  "), describePlan(edited))
	}
	t.Logf("%s: %d changes, converged, honest", name, len(edited.Effective()))
}

// loadEdited writes b's stack file, prepared and edited by ed, to e.Dir
// and loads it as kcstack does: schema, defaults and rules. An edit the
// schema or the rules refuse fails the test, as a mistake of the test.
func loadEdited(t *testing.T, e *env, b base, ed edit, w *world) *stack.Stack {
	t.Helper()
	path := writeEdited(t, e, b, ed, w)
	st, ds, err := stack.LoadFile(path)
	if err != nil || ds.HasErrors() {
		text, _ := os.ReadFile(path)
		t.Fatalf("the edited %s is not a valid stack file: %v\n%s\n%s", b.file, err, ds, text)
	}
	return st
}

// writeEdited writes b's stack file, prepared and edited by ed (nil for
// none) and adapted to w's endpoint (w nil: the sandbox), to e.Dir and
// returns its path.
func writeEdited(t *testing.T, e *env, b base, ed edit, w *world) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	raw, err := os.ReadFile(filepath.Join(filepath.Dir(file), "..", b.file))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("%s: %v", b.file, err)
	}
	for _, ed := range []edit{b.prepare, ed} {
		if ed == nil {
			continue
		}
		if err := ed(doc); err != nil {
			t.Fatalf("edit %s: %v", b.file, err)
		}
	}
	out, err := yaml.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	text := string(out)
	if w != nil {
		text = w.adapt(text)
	}
	path := filepath.Join(e.Dir, fmt.Sprintf("stack-%d.yaml", time.Now().UnixNano()))
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// boundedApply is one kcstack apply of st (lock, plan, apply, unlock) that
// must finish within bound. It returns the plan it applied (nil when
// planning failed) and an error that says what failed or, past the bound,
// which changes were still running. A stuck apply is left running against
// an endpoint the test closes.
func boundedApply(cfg aws.Config, st *stack.Stack, bound time.Duration, kubeconfig string) (*plan.Plan, error) {
	ctx, cancel := context.WithTimeout(context.Background(), bound)
	defer cancel()
	lock, err := apply.Acquire(ctx, ssm.NewFromConfig(cfg), st.Metadata.Name, "kcstack apply (e2e transitions)", 0)
	if err != nil {
		return nil, fmt.Errorf("lock: %w", err)
	}
	p, prov, err := planWithClusters(ctx, cfg, st, false, kubeconfig)
	if err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	var running inFlight
	done := make(chan *apply.Result, 1)
	start := time.Now()
	go func() {
		done <- apply.Apply(ctx, p, apply.Options{Stack: st.Metadata.Name, Handlers: prov.Registry, Retryable: awserr.IsAmbiguous,
			Retry: apply.Backoff{First: 5 * time.Millisecond, Max: 50 * time.Millisecond}, OnEvent: running.record})
	}()
	select {
	case res := <-done:
		if rerr := lock.Release(); rerr != nil {
			return p, fmt.Errorf("release the lock: %w", rerr)
		}
		if ctx.Err() != nil {
			return p, fmt.Errorf("apply did not finish within %s, and stopped %s", bound, describeResult(res))
		}
		if !res.OK() {
			return p, fmt.Errorf("apply failed after %s %s", time.Since(start).Round(time.Millisecond), describeResult(res))
		}
		return p, nil
	case <-time.After(bound + 5*time.Second):
		return p, fmt.Errorf("apply did not finish within %s; still running:\n%s", bound, running.String())
	}
}

// inFlight follows an apply's events: the changes started and not yet
// done, with the last error each was retrying on.
type inFlight struct {
	mu      sync.Mutex
	started map[string]apply.Event
}

func (f *inFlight) record(ev apply.Event) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.started == nil {
		f.started = map[string]apply.Event{}
	}
	key := ev.Address + " " + ev.Step
	switch ev.Phase {
	case apply.PhaseStarted, apply.PhaseRetry:
		f.started[key] = ev
	default:
		delete(f.started, key)
	}
}

// String lists the changes in flight, one a line, with how long since
// each started or last retried and the error it retries on.
func (f *inFlight) String() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var lines []string
	for _, ev := range f.started {
		line := fmt.Sprintf("  %s %s %s (%s, attempt %d, since %s)", ev.Action, ev.Address, ev.Step, ev.Phase, ev.Attempt, time.Since(ev.At).Round(time.Second))
		if ev.Err != nil {
			line += ": " + ev.Err.Error()
		}
		lines = append(lines, line)
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n")
}

// inClusterRun is what a transition needs to plan and apply the
// in-cluster objects of its ROSA targets: a kubeconfig whose contexts (the
// clusters of rosaNetworks) reach the API server the package's tests
// share, a client of that server, and the stack name that scopes the
// transition's objects there (scopedByCluster).
type inClusterRun struct {
	kubeconfig string
	dyn        dynamic.Interface
	stack      string
}

// newInClusterRun prepares transition name's run against the shared API
// server, its kubeconfig in e.Dir.
func newInClusterRun(t *testing.T, e *env, name string) *inClusterRun {
	t.Helper()
	srv := kubetest.Shared(t)
	srv.InstallKeycloakCRD(t)
	h := fnv.New32a()
	h.Write([]byte(name))
	k := &inClusterRun{kubeconfig: filepath.Join(e.Dir, "kubeconfig"), stack: fmt.Sprintf("tr-%08x", h.Sum32())}
	if err := srv.WriteKubeconfig(k.kubeconfig, slices.Sorted(maps.Keys(rosaNetworks))...); err != nil {
		t.Fatal(err)
	}
	dyn, err := dynamic.NewForConfig(srv.Config())
	if err != nil {
		t.Fatal(err)
	}
	k.dyn = dyn
	return k
}

// objects reads the live in-cluster objects of k's stack (liveObjects);
// nil for a run without clusters.
func (k *inClusterRun) objects(t *testing.T) map[string]types.UID {
	t.Helper()
	if k == nil {
		return nil
	}
	return liveObjects(t, k.dyn, k.stack)
}

// checkObjects compares the in-cluster objects before the apply of p, the
// plan of the edit to st, with those after it (checkUIDs), and finds the
// objects of ROSA targets no longer in st left behind.
func (k *inClusterRun) checkObjects(t *testing.T, p *plan.Plan, st *stack.Stack, before map[string]types.UID) []string {
	t.Helper()
	after := k.objects(t)
	actions := map[string]string{}
	for _, c := range p.Changes {
		actions[c.Address] = string(c.Action)
	}
	lies := checkUIDs(actions, before, after)
	targets := map[string]bool{}
	for _, tg := range st.Spec.Targets {
		targets[tg.Name] = true
	}
	for _, a := range slices.Sorted(maps.Keys(after)) {
		if target, _, _ := strings.Cut(strings.TrimPrefix(a, "targets."), "."); !targets[target] {
			lies = append(lies, fmt.Sprintf("%s is left in the cluster: its target %s is no longer in the file", a, target))
		}
	}
	return lies
}

// planWithClusters is planWithProvider that, with a kubeconfig, also plans
// the in-cluster objects of the ROSA targets and of those no longer in the
// file (cluster.Former), as kcstack plan --kubeconfig does; a target the
// kubeconfig does not reach is an error.
func planWithClusters(ctx context.Context, cfg aws.Config, st *stack.Stack, destroy bool, kubeconfig string) (*plan.Plan, *provider.Provider, error) {
	ds, err := desired.Resources(st)
	if err != nil {
		return nil, nil, err
	}
	var opts []provider.Option
	if kubeconfig != "" {
		access := cluster.Access{Kubeconfig: kubeconfig}
		clusters, unread := cluster.Connect(access, st)
		if len(unread) > 0 {
			return nil, nil, fmt.Errorf("target %s: %s", unread[0].Target, unread[0].Reason)
		}
		in, err := desired.InCluster(st)
		if err != nil {
			return nil, nil, err
		}
		ds = append(ds, in...)
		opts = append(opts, provider.WithKinds(cluster.New(clusters, secretsmanager.NewFromConfig(cfg), cluster.WithFormer(cluster.NewFormer(access)))))
	}
	prov, err := provider.New(cfg, st.Metadata.Name, opts...)
	if err != nil {
		return nil, nil, fmt.Errorf("provider: %w", err)
	}
	snap, err := state.Observe(ctx, st.Metadata.Name, ds, prov.Observers)
	if err != nil {
		return nil, nil, err
	}
	p, err := plan.Compute(plan.Input{
		Stack: st.Metadata.Name, Region: cfg.Region, StackDigest: st.Digest(),
		Desired: ds, Snapshot: snap, Registry: prov.Registry, Destroy: destroy, Now: time.Now(),
	})
	return p, prov, err
}

// unexplained lists the changes of p that do something, but those w's
// departures explain (w nil: none), as the plan shows them.
func unexplained(p *plan.Plan, st *stack.Stack, w *world) []string {
	var out []string
	for _, c := range p.Effective() {
		if w != nil && w.explains(st, c) != "" {
			continue
		}
		line := fmt.Sprintf("  %s %s", c.Action, c.Address)
		for _, d := range c.Diffs {
			line += fmt.Sprintf(" [%s: %v → %v]", d.Path, d.Before, d.After)
		}
		out = append(out, line)
	}
	return out
}

// identity is what tells one resource from another at an address.
type identity struct {
	kind resource.Kind
	// tagged are the ARNs the tagging API lists with the address, sorted;
	// AWS keeps listing some kinds for a while after their deletion
	// (NAT gateways, peerings, deregistered task definition revisions),
	// so a replacement adds an ARN and keeps the old one.
	tagged []string
	// observed is the id of the plan's observation, for the kinds the
	// tagging API does not list (routes, associations, rules).
	observed string
	// found marks a resource the stack only looks up (a ROSA VPC): it
	// appears and goes with the reference, never created nor deleted.
	found bool
}

// key is the identity in one string; a task definition is its family: an
// update registers a new revision (pkg/aws/compute's contract), and the
// revision is checked apart (revisionMoved).
func (id identity) key() string {
	if id.kind != resource.KindECSTaskDefinition {
		return strings.Join(id.tagged, " ") + " | " + id.observed
	}
	families := map[string]bool{}
	for _, arn := range append(slices.Clone(id.tagged), id.observed) {
		if arn != "" {
			families[taskFamily(arn)] = true
		}
	}
	return strings.Join(slices.Sorted(maps.Keys(families)), " ")
}

// taskFamily is arn:...:task-definition/<family> without its revision.
func taskFamily(arn string) string {
	if i := strings.LastIndex(arn, ":"); i > strings.Index(arn, "task-definition/") {
		if _, err := strconv.Atoi(arn[i+1:]); err == nil {
			return arn[:i]
		}
	}
	return arn
}

// identities reads the identity of every resource of the stack: the
// tagging API's ARNs by kcstack:address tag, and the ids of settled's
// observations (a plan made right after an apply) for every address it
// observed.
func (e *env) identities(t *testing.T, stackName string, settled *plan.Plan) map[string]identity {
	t.Helper()
	ids := map[string]identity{}
	for _, c := range settled.Changes {
		if _, inCluster := kube.Descriptor(c.Kind); inCluster {
			continue // identified by UID: inClusterRun.checkObjects
		}
		if c.Observed != nil && c.Observed.Exists {
			ids[c.Address] = identity{kind: c.Kind, observed: c.Observed.ID, found: c.Observed.Found || c.Desired != nil && c.Desired.Lookup != nil}
		}
	}
	p := tagging.NewGetResourcesPaginator(tagging.NewFromConfig(e.robust()), &tagging.GetResourcesInput{
		TagFilters: []taggingtypes.TagFilter{{Key: aws.String(resource.TagStack), Values: []string{stackName}}},
	})
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		check(t, "get resources tagged "+stackName, err)
		for _, m := range page.ResourceTagMappingList {
			addr := "(no address tag) " + aws.ToString(m.ResourceARN)
			for _, tag := range m.Tags {
				if aws.ToString(tag.Key) == resource.TagAddress {
					addr = aws.ToString(tag.Value)
				}
			}
			id := ids[addr]
			id.tagged = append(id.tagged, aws.ToString(m.ResourceARN))
			slices.Sort(id.tagged)
			ids[addr] = id
		}
	}
	return ids
}

// checkHonest compares the identities before and after an apply of p with
// what p said of each address, and returns every mismatch:
//   - an address whose identity changed was planned as a replacement;
//   - one that went was planned as a delete, one that came as a create;
//   - one planned as update or no-op kept its identity, and a task
//     definition planned as no-op kept its revision;
//   - a resource only looked up (found) kept its identity.
func checkHonest(p *plan.Plan, before, after map[string]identity) []string {
	actions := map[string]plan.Action{}
	for _, c := range p.Changes {
		actions[c.Address] = c.Action
	}
	addresses := map[string]bool{}
	for a := range before {
		addresses[a] = true
	}
	for a := range after {
		addresses[a] = true
	}
	var lies []string
	for _, a := range slices.Sorted(maps.Keys(addresses)) {
		if lie := honest(a, actions[a], before, after); lie != "" {
			lies = append(lies, lie)
		}
	}
	return lies
}

// honest checks one address; action is "" when the plan did not name it.
// An address exists when the plan after the apply observed it, or when the
// tagging API lists an ARN for it that it did not list before: an ARN it
// keeps listing after a deletion does not make the resource live.
func honest(a string, action plan.Action, before, after map[string]identity) string {
	was, is := before[a], after[a]
	existed := was.observed != "" || len(was.tagged) > 0
	exists := is.observed != "" || slices.ContainsFunc(is.tagged, func(arn string) bool { return !slices.Contains(was.tagged, arn) })
	planned := string(action)
	if planned == "" {
		planned = "nothing"
	}
	switch {
	case was.found || is.found:
		if existed && exists && was.observed != is.observed {
			return fmt.Sprintf("%s, found and never owned, moved from %s to %s", a, was.observed, is.observed)
		}
	case existed && !exists && action != plan.ActionDelete:
		return fmt.Sprintf("%s was deleted (%s) but planned as %s", a, was.key(), planned)
	case !existed && exists && action != plan.ActionCreate:
		return fmt.Sprintf("%s was created (%s) but planned as %s", a, is.key(), planned)
	case existed && exists && was.key() != is.key() && action == plan.ActionUpdate && idUpdatedInPlace(was.kind):
		// An update in place that AWS answers with a new id: honest.
	case existed && exists && was.key() != is.key() && action != plan.ActionReplace:
		return fmt.Sprintf("%s changed identity (%s → %s) but was planned as %s", a, was.key(), is.key(), planned)
	case existed && exists && action == plan.ActionNoOp && was.observed != is.observed:
		return fmt.Sprintf("%s moved from %s to %s but was planned as no-op", a, was.observed, is.observed)
	}
	return ""
}

// idUpdatedInPlace reports whether an update of kind in place gives the
// resource a new id, as its descriptor declares (UpdatedAttrs): a route
// table association moved to another table.
func idUpdatedInPlace(kind resource.Kind) bool {
	prov, err := provider.New(aws.Config{Region: "eu-west-1"}, "probe")
	if err != nil {
		return false
	}
	d, _ := prov.Registry.Descriptor(kind)
	return slices.Contains(d.UpdatedAttrs, "id")
}

// inParallel runs fn as subtests named by names, up to workers at a time.
// Transitions mostly wait, on state transitions and retries, so they
// overlap beyond go test's -parallel (the number of CPUs by default).
func inParallel(t *testing.T, names []string, workers int, fn func(t *testing.T, name string)) {
	t.Helper()
	queue := make(chan string)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for name := range queue {
				t.Run(name, func(t *testing.T) { fn(t, name) })
			}
		}()
	}
	for _, name := range names {
		queue <- name
	}
	close(queue)
	wg.Wait()
}

// edit changes a stack file's document (as yaml.v3 decodes it: maps,
// slices and scalars).
type edit func(doc map[string]any) error

// all applies edits in order; a nil edit changes nothing.
func all(edits ...edit) edit {
	return func(doc map[string]any) error {
		for _, ed := range edits {
			if ed == nil {
				continue
			}
			if err := ed(doc); err != nil {
				return err
			}
		}
		return nil
	}
}

// set sets the field at path (dot-separated; a list element is named by
// its index or, for lists of named objects such as spec.targets, by its
// name), making the maps on the way.
func set(path string, value any) edit {
	return func(doc map[string]any) error {
		parent, step, err := parentOf(doc, path, true)
		if err != nil {
			return err
		}
		return put(parent, step, value)
	}
}

// remove deletes the field or list element at path, which must exist.
func remove(path string) edit {
	return func(doc map[string]any) error {
		parent, step, err := parentOf(doc, path, false)
		if err != nil {
			return err
		}
		switch p := parent.(type) {
		case map[string]any:
			if _, ok := p[step]; !ok {
				return fmt.Errorf("remove %s: no such field", path)
			}
			delete(p, step)
			return nil
		case []any:
			i, err := element(p, step)
			if err != nil {
				return fmt.Errorf("remove %s: %w", path, err)
			}
			listPath, _ := splitLast(path)
			return set(listPath, slices.Delete(p, i, i+1))(doc)
		}
		return fmt.Errorf("remove %s: the parent is a %T", path, parent)
	}
}

// appendTo appends value to the list at path.
func appendTo(path string, value any) edit {
	return func(doc map[string]any) error {
		list, err := lookup(doc, path)
		if err != nil {
			return err
		}
		l, ok := list.([]any)
		if !ok {
			return fmt.Errorf("append to %s: a %T, not a list", path, list)
		}
		return set(path, append(l, value))(doc)
	}
}

// parentOf returns the node holding path's last step, and that step,
// making missing maps on the way when create is set.
func parentOf(doc map[string]any, path string, create bool) (any, string, error) {
	parentPath, step := splitLast(path)
	var node any = doc
	if parentPath == "" {
		return node, step, nil
	}
	for _, s := range strings.Split(parentPath, ".") {
		next, err := child(node, s)
		if m, isMap := node.(map[string]any); err != nil && create && isMap {
			next, err = map[string]any{}, nil
			m[s] = next
		}
		if err != nil {
			return nil, "", fmt.Errorf("%s: %w", path, err)
		}
		node = next
	}
	return node, step, nil
}

// put sets step of parent (a map or a list) to value.
func put(parent any, step string, value any) error {
	switch n := parent.(type) {
	case map[string]any:
		n[step] = value
		return nil
	case []any:
		i, err := element(n, step)
		if err != nil {
			return err
		}
		n[i] = value
		return nil
	}
	return fmt.Errorf("set %s: the parent is a %T", step, parent)
}

// lookup returns the value at path, which must exist.
func lookup(doc map[string]any, path string) (any, error) {
	var node any = doc
	for _, step := range strings.Split(path, ".") {
		next, err := child(node, step)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		node = next
	}
	return node, nil
}

// child is one step down from node.
func child(node any, step string) (any, error) {
	switch n := node.(type) {
	case map[string]any:
		v, ok := n[step]
		if !ok {
			return nil, fmt.Errorf("no field %s", step)
		}
		return v, nil
	case []any:
		i, err := element(n, step)
		if err != nil {
			return nil, err
		}
		return n[i], nil
	}
	return nil, fmt.Errorf("cannot step into a %T at %s", node, step)
}

// element finds a list element by index or by its name field.
func element(list []any, step string) (int, error) {
	if i, err := strconv.Atoi(step); err == nil {
		if i < 0 || i >= len(list) {
			return 0, fmt.Errorf("index %d out of %d elements", i, len(list))
		}
		return i, nil
	}
	for i, v := range list {
		if m, ok := v.(map[string]any); ok && m["name"] == step {
			return i, nil
		}
	}
	return 0, fmt.Errorf("no element named %s", step)
}

func splitLast(path string) (string, string) {
	i := strings.LastIndex(path, ".")
	if i < 0 {
		return "", path
	}
	return path[:i], path[i+1:]
}
