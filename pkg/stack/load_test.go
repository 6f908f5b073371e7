package stack

import (
	"errors"
	"io/fs"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func mustLoad(t *testing.T, path string) *Stack {
	t.Helper()
	st, ds, err := LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if ds.HasErrors() {
		t.Fatalf("%s:\n%s", path, ds)
	}
	return st
}

func TestDefaultsAurora(t *testing.T) {
	a := mustLoad(t, "../../examples/aurora-rosa.yaml").Spec.Database.Aurora
	yes := true
	want := Aurora{
		ClusterIdentifier: "kc-aurora", EngineVersion: "16.8", InstanceClass: "db.r7g.large", Instances: 2,
		VPC:   VPCRef{CIDR: "192.168.0.0/24"},
		Zones: []string{"eu-west-1a", "eu-west-1b", "eu-west-1c"},
		Subnets: []Subnet{
			{Zone: "eu-west-1a", CIDR: "192.168.0.0/26"},
			{Zone: "eu-west-1b", CIDR: "192.168.0.64/26"},
			{Zone: "eu-west-1c", CIDR: "192.168.0.128/26"},
		},
		DatabaseName: "keycloak", MasterUsername: "keycloak", Port: 5432,
		DeletionProtection: &yes, BackupRetentionDays: 7, StorageEncrypted: &yes,
		FinalSnapshotIdentifier: "kc-aurora-final",
	}
	if diff := cmp.Diff(want, a); diff != "" {
		t.Errorf("aurora (-want +got):\n%s", diff)
	}
}

func TestDefaultsECS(t *testing.T) {
	st := mustLoad(t, "../../examples/ecs-jdbc-ping.yaml")
	e := st.Spec.Targets[0].ECS
	want := ECSSubnets{
		Private: []Subnet{
			{Zone: "eu-west-1a", CIDR: "10.10.0.0/19"},
			{Zone: "eu-west-1b", CIDR: "10.10.32.0/19"},
			{Zone: "eu-west-1c", CIDR: "10.10.64.0/19"},
		},
		Public: []Subnet{
			{Zone: "eu-west-1a", CIDR: "10.10.128.0/19"},
			{Zone: "eu-west-1b", CIDR: "10.10.160.0/19"},
			{Zone: "eu-west-1c", CIDR: "10.10.192.0/19"},
		},
	}
	if diff := cmp.Diff(want, e.Subnets); diff != "" {
		t.Errorf("subnets (-want +got):\n%s", diff)
	}
	if e.LogRetentionDays != 30 || st.Spec.Keycloak.Image != "quay.io/keycloak/keycloak:26.4.2" {
		t.Errorf("logRetentionDays %d, image %q", e.LogRetentionDays, st.Spec.Keycloak.Image)
	}
	db := st.Spec.Keycloak.DB
	if db.PoolInitialSize != 40 || db.PoolMinSize != 40 || db.PoolMaxSize != 40 {
		t.Errorf("pool = %+v, want 40 everywhere", db)
	}
}

func TestDefaultsDiscovery(t *testing.T) {
	cases := map[string]struct {
		reason, version, extra string
		want                   Discovery
	}{
		"jdbc from 26.1": {
			reason: "jdbc-ping is the default from 26.1", version: "26.1.0",
			want: Discovery{Mode: DiscoveryJDBCPing},
		},
		"dns before 26.1": {
			reason: "before 26.1 the default is dns-ping, with Cloud Map defaults on ECS", version: "26.0.8",
			want: Discovery{Mode: DiscoveryDNSPing, DNSPing: &DNSPing{Namespace: "t.kcstack.internal", ServiceName: "keycloak-discovery", TTL: 10}},
		},
		"s3 bucket": {
			reason: "the s3-ping bucket is derived from stack and region", version: "26.0.8", extra: "  discovery: {mode: s3-ping}\n",
			want: Discovery{Mode: DiscoveryS3Ping, S3Ping: &S3Ping{Bucket: "t-eu-west-1-jgroups"}},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			doc := minimalStack(tc.version) + tc.extra
			st, ds, err := Load("t.yaml", []byte(doc))
			if err != nil || ds.HasErrors() {
				t.Fatalf("%v\n%s", err, ds)
			}
			if diff := cmp.Diff(tc.want, st.Spec.Discovery); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}

// minimalStack is the smallest valid stack: everything else defaults.
func minimalStack(version string) string {
	return `apiVersion: kcstack.io/v1alpha1
kind: Stack
metadata: {name: t}
spec:
  region: eu-west-1
  keycloak: {version: "` + version + `", hostname: auth.example.com}
  database:
    aurora: {clusterIdentifier: db, engineVersion: "16.8", instanceClass: db.r7g.large, vpc: {cidr: 192.168.0.0/24}}
  targets:
    - name: ecs
      ecs: {vpc: {cidr: 10.0.0.0/16}, loadBalancer: {certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/x"}}
`
}

func TestMinimalStackOwnersDefault(t *testing.T) {
	doc := strings.Replace(minimalStack("26.4.2"), "ecs: {vpc", "ecs: {tasks: 1, vpc", 1)
	st, ds, err := Load("t.yaml", []byte(doc))
	if err != nil || ds.HasErrors() {
		t.Fatalf("%v\n%s", err, ds)
	}
	if st.Spec.Caches.Owners != 1 {
		t.Errorf("owners = %d, want 1: the default never exceeds the node count", st.Spec.Caches.Owners)
	}
}

func TestDigest(t *testing.T) {
	a, _, _ := Load("a.yaml", []byte(minimalStack("26.4.2")))
	// Same stack, written differently: block style, comments, defaults spelt out.
	b, ds, _ := Load("b.yaml", []byte(strings.Replace(minimalStack("26.4.2"),
		"  targets:\n", "  # the one target\n  caches: {owners: 2}\n  discovery:\n    mode: jdbc-ping\n  targets:\n", 1)))
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	c, _, _ := Load("c.yaml", []byte(strings.Replace(minimalStack("26.4.2"), "auth.example.com", "sso.example.com", 1)))
	if a.Digest() != b.Digest() {
		t.Errorf("equivalent stacks differ: %s vs %s", a.Digest(), b.Digest())
	}
	if a.Digest() == c.Digest() {
		t.Errorf("different stacks share digest %s", a.Digest())
	}
	if !strings.HasPrefix(a.Digest(), "sha256:") || len(a.Digest()) != len("sha256:")+64 {
		t.Errorf("digest %q", a.Digest())
	}
}

func TestParseVersion(t *testing.T) {
	cases := map[string]struct {
		in      string
		want    Version
		wantErr bool
	}{
		"full":      {in: "26.4.2", want: Version{26, 4, 2}},
		"two parts": {in: "26.4", wantErr: true},
		"letters":   {in: "26.4.x", wantErr: true},
		"negative":  {in: "26.-1.0", wantErr: true},
	}
	for name, tc := range cases {
		got, err := ParseVersion(tc.in)
		if (err != nil) != tc.wantErr || got != tc.want {
			t.Errorf("%s: ParseVersion(%q) = %v, %v", name, tc.in, got, err)
		}
	}
	v := Version{26, 1, 0}
	if !v.AtLeast(26, 1) || v.AtLeast(26, 2) || !v.AtLeast(25, 9) {
		t.Errorf("AtLeast wrong for %s", v)
	}
}

func TestLoadDocumentProblems(t *testing.T) {
	cases := map[string]struct {
		reason string
		doc    string
		want   []string
	}{
		"empty": {
			reason: "an empty file says where to start",
			doc:    "",
			want:   []string{"x.yaml:1:1: error: the file is empty; start from one of the files in examples/"},
		},
		"two documents": {
			reason: "one stack per file",
			doc:    minimalStack("26.4.2") + "---\nfoo: bar\n",
			want:   []string{"x.yaml:12:1: error: the file holds more than one YAML document; keep one stack per file and remove the second document"},
		},
		"scalar": {
			reason: "a stack is a mapping",
			doc:    "hello\n",
			want:   []string{"x.yaml:1:1: error: the document is a scalar, not a mapping; a stack file is a mapping with apiVersion, kind, metadata and spec"},
		},
		"list key": {
			reason: "keys are strings",
			doc:    "? [a]\n: b\n",
			want: []string{
				`x.yaml:1:1: error: apiVersion: missing required key "apiVersion"; add apiVersion to the top level`,
				`x.yaml:1:1: error: kind: missing required key "kind"; add kind to the top level`,
				`x.yaml:1:1: error: metadata: missing required key "metadata"; add metadata to the top level`,
				`x.yaml:1:1: error: spec: missing required key "spec"; add spec to the top level`,
				"x.yaml:1:3: error: a key must be a string, not a list; use a plain string as the key",
			},
		},
		"alias bomb": {
			reason: "alias expansion is bounded",
			doc:    aliasBomb(),
			want:   []string{"x.yaml:1:32: error: e[3][3][8][8][8]: the document is too large or too deeply nested; write the stack without deep nesting or alias expansion"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, ds, err := Load("x.yaml", []byte(tc.doc))
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			if diff := cmp.Diff(tc.want, lines(ds)); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}

// aliasBomb nests aliases so that expanding them would build 10^9 values.
func aliasBomb() string {
	var b strings.Builder
	b.WriteString("a: &a [x, x, x, x, x, x, x, x, x, x]\n")
	prev := "a"
	for _, n := range []string{"b", "c", "d", "e", "f", "g", "h", "i"} {
		b.WriteString(n + ": &" + n + " [*" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + "]\n")
		prev = n
	}
	return b.String()
}

func TestLoadAnchorsAndMerges(t *testing.T) {
	doc := minimalStack("26.4.2") + `    - name: ecs-b
      ecs:
        <<: &lb {loadBalancer: {certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/x"}}
        vpc: {cidr: 10.0.0.0/16}
`
	_, ds, err := Load("x.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	got := lines(ds)
	wantOverlap := "x.yaml:15:21: error: spec.targets[1].ecs.vpc.cidr: 10.0.0.0/16 overlaps the VPC of target ecs 10.0.0.0/16; choose a non-overlapping range"
	if diff := cmp.Diff([]string{wantOverlap}, got); diff != "" {
		t.Errorf("merge keys are applied and positions kept (-want +got):\n%s", diff)
	}
}

func TestLoadFileMissing(t *testing.T) {
	_, _, err := LoadFile("testdata/does-not-exist.yaml")
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("err = %v, want fs.ErrNotExist", err)
	}
}

func TestIsSecretKey(t *testing.T) {
	cases := map[string]bool{
		"password": true, "masterPassword": true, "db-password": true, "client_secret": true,
		"API_TOKEN": true, "apiKey": true, "privateKey": true, "https-key-store-password": true,
		"passwordSecretArn": false, "actionTokens": false, "hostname": false, "tokens": false,
		"credentials": true, "tokenTtl": true,
		"spi-email-smtp-auth-key": true, "spi-x-signing-key": true, "cache-remote-secret-key": true,
		"https-certificate-key-file": false, "https-key-store-file": false, "https-key-store-type": false,
		"https-management-certificate-key-file": false, "key": false, "keycloak": false,
	}
	for key, want := range cases {
		if got := isSecretKey(key); got != want {
			t.Errorf("isSecretKey(%q) = %v, want %v", key, got, want)
		}
	}
}

// TestCredentialsInValues checks which option values count as holding a
// password: user:password@ in a URL, or a password-like parameter.
func TestCredentialsInValues(t *testing.T) {
	cases := map[string]bool{
		"http://bob:hunter2@proxy:3128":                          true,
		".*\\.example\\.com;https://u:p@proxy.internal:8080":     true,
		"jdbc:postgresql://db/kc?user=kc&password=hunter2":       true,
		"socks5://:pw@proxy":                                     true,
		"http://proxy.internal:3128":                             false,
		"https://bob@proxy.internal":                             false,
		"http://host:8080/path@v1":                               false,
		"jdbc:postgresql://db:5432/keycloak?sslmode=require":     false,
		"arn:aws:secretsmanager:eu-west-1:123456789012:secret:x": false,
	}
	for value, want := range cases {
		if got := credentials.MatchString(value); got != want {
			t.Errorf("credentials.MatchString(%q) = %v, want %v", value, got, want)
		}
	}
}

func TestSuggest(t *testing.T) {
	candidates := []string{"machineCidr", "namespace", "instances", "cluster", "vpc"}
	cases := map[string]string{
		"machine_cidr": "machineCidr", "machineCIDR": "machineCidr", "namespce": "namespace",
		"instance": "instances", "zzz": "", "clustr": "cluster",
	}
	for got, want := range cases {
		if s := suggest(got, candidates); s != want {
			t.Errorf("suggest(%q) = %q, want %q", got, s, want)
		}
	}
}

func TestDiagnosticString(t *testing.T) {
	d := Diagnostic{Severity: SeverityError, File: "x.yaml", Line: 12, Column: 7,
		Path: "spec.targets[1].rosa.machineCidr", Message: "10.0.0.0/16 overlaps the Aurora VPC 10.0.0.0/24", Hint: "choose a non-overlapping range"}
	want := "x.yaml:12:7: error: spec.targets[1].rosa.machineCidr: 10.0.0.0/16 overlaps the Aurora VPC 10.0.0.0/24; choose a non-overlapping range"
	if got := d.String(); got != want {
		t.Errorf("String() (-want +got):\n%s", cmp.Diff(want, got))
	}
}

func TestExistingVPCs(t *testing.T) {
	doc := `apiVersion: kcstack.io/v1alpha1
kind: Stack
metadata: {name: t}
spec:
  region: eu-west-1
  keycloak: {version: "26.4.2", hostname: auth.example.com}
  database:
    aurora:
      clusterIdentifier: db
      engineVersion: "16.8"
      instanceClass: db.r7g.large
      vpc: {id: vpc-0123456789abcdef0}
      subnets: [{id: subnet-0123456789abcdef0}, {id: subnet-0123456789abcdef1}]
  targets:
    - name: ecs
      ecs:
        vpc: {id: vpc-0123456789abcdef2}
        subnets:
          private: [{id: subnet-0123456789abcdef2}, {id: subnet-0123456789abcdef3}]
          public: [{id: subnet-0123456789abcdef4}, {id: subnet-0123456789abcdef5}]
        loadBalancer: {certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/x"}
`
	_, ds, err := Load("x.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 0 {
		t.Errorf("existing VPCs with subnets by id are valid, got:\n%s", ds)
	}
	_, ds, _ = Load("x.yaml", []byte(strings.Replace(doc, "      subnets: [{id: subnet-0123456789abcdef0}, {id: subnet-0123456789abcdef1}]\n", "", 1)))
	want := []string{"x.yaml:8:5: error: spec.database.aurora.subnets: an existing VPC needs its subnets listed; list the existing subnets by id, one per zone"}
	if diff := cmp.Diff(want, lines(ds)); diff != "" {
		t.Errorf("existing VPC without subnets (-want +got):\n%s", diff)
	}
	_, ds, _ = Load("x.yaml", []byte(strings.Replace(doc, ", {id: subnet-0123456789abcdef5}", "", 1)))
	want = []string{"x.yaml:20:11: error: spec.targets[0].ecs.subnets.public: 1 subnet given; AWS needs subnets in two zones or more; list subnets in at least two zones"}
	if diff := cmp.Diff(want, lines(ds)); diff != "" {
		t.Errorf("one public subnet (-want +got):\n%s", diff)
	}
}

func TestPaths(t *testing.T) {
	cases := map[string]struct {
		build  string
		tokens []token
		parent string
	}{
		"plain":  {build: index(field(field("", "spec"), "targets"), 1), tokens: []token{{key: "spec"}, {key: "targets"}, {idx: 1, isIndex: true}}, parent: "spec.targets"},
		"quoted": {build: field("spec.tags", `a.b"]c`), tokens: []token{{key: "spec"}, {key: "tags"}, {key: `a.b"]c`}}, parent: "spec.tags"},
		"dashes": {build: field("spec.keycloak.extraOptions", "log-level"), tokens: []token{{key: "spec"}, {key: "keycloak"}, {key: "extraOptions"}, {key: "log-level"}}, parent: "spec.keycloak.extraOptions"},
		"digit":  {build: field("x", "9lives"), tokens: []token{{key: "x"}, {key: "9lives"}}, parent: "x"},
	}
	for name, tc := range cases {
		got, ok := splitPath(tc.build)
		if !ok {
			t.Errorf("%s: splitPath(%q) failed", name, tc.build)
		}
		if diff := cmp.Diff(tc.tokens, got, cmp.AllowUnexported(token{})); diff != "" {
			t.Errorf("%s: splitPath(%q) (-want +got):\n%s", name, tc.build, diff)
		}
		if p := parent(tc.build); p != tc.parent {
			t.Errorf("%s: parent(%q) = %q, want %q", name, tc.build, p, tc.parent)
		}
	}
}

func TestSecretInMergedMapping(t *testing.T) {
	doc := strings.Replace(minimalStack("26.4.2"), "  keycloak: {version", "  x: &opts {clientSecret: abc}\n  keycloak: {extraOptions: {<<: *opts}, version", 1)
	_, ds, _ := Load("x.yaml", []byte(doc))
	got := lines(ds)
	// The merged key sits in the anchored mapping on line 6: every
	// diagnostic about it points there, whichever path reached it.
	want := []string{
		`x.yaml:6:3: error: spec.x: unknown key "x"; expected one of caches, database, discovery, keycloak, peers, redis, region, tags, targets`,
		`x.yaml:6:13: error: spec.keycloak.extraOptions.clientSecret: "clientSecret" is not a Keycloak option name; write the option name as in keycloak.conf, without -- or KC_: client-secret`,
		`x.yaml:6:27: error: spec.keycloak.extraOptions.clientSecret: "clientSecret" holds a literal secret; secrets never go in the stack file; store the value in AWS Secrets Manager and write the secret's ARN here (arn:aws:secretsmanager:<region>:<account>:secret:<name>)`,
		`x.yaml:6:27: error: spec.x.clientSecret: "clientSecret" holds a literal secret; secrets never go in the stack file; store the value in AWS Secrets Manager and write the secret's ARN here (arn:aws:secretsmanager:<region>:<account>:secret:<name>)`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
