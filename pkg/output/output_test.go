package output

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	goldenfile "github.com/kcstack/kcstack/internal/testutil/golden"

	"github.com/kcstack/kcstack/pkg/resource"
	"github.com/kcstack/kcstack/pkg/state"
)

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	goldenfile.Check(t, filepath.Join("testdata", name), got)
}

var descriptors = map[resource.Kind]resource.Descriptor{
	resource.KindDBCluster: {Outputs: []resource.Output{
		{Name: "writer_endpoint", Attr: "endpoint", Description: "writer"},
		{Name: "port", Attr: "port", Description: "port"},
		{Name: "master_user_secret_arn", Attr: "master_user_secret_arn", Description: "secret ARN"},
	}},
	resource.KindLoadBalancer: {Outputs: []resource.Output{{Name: "load_balancer_dns_name", Attr: "dns_name", Description: "DNS", Host: true}}},
	resource.KindPeering:      {Outputs: []resource.Output{{Name: "peering_id", Attr: "id", Description: "peering"}}},
}

var desired = []resource.Desired{
	{Address: "database.vpc", Kind: resource.KindVPC},
	{Address: "database.cluster", Kind: resource.KindDBCluster},
	{Address: "targets.ecs-main.load-balancer", Kind: resource.KindLoadBalancer},
	{Address: "targets.ecs-main.peering", Kind: resource.KindPeering},
	{Address: "targets.rosa-a.vpc", Kind: resource.KindVPC, Lookup: &resource.Lookup{ID: "vpc-1"}},
	{Address: "targets.rosa-a.peering", Kind: resource.KindPeering},
}

func snapshot(obs ...resource.Observation) *state.Snapshot {
	s := &state.Snapshot{Stack: "sso", Observations: map[string]resource.Observation{}}
	for _, o := range obs {
		o.Exists, o.Owned = true, true
		s.Observations[o.Address] = o
	}
	return s
}

var applied = snapshot(
	resource.Observation{Address: "database.cluster", Attrs: map[string]string{"endpoint": "kc.cluster-x.rds.amazonaws.com", "port": "5432", "master_user_secret_arn": "arn:aws:secretsmanager:eu-west-1:1:secret:rds!cluster-1"}},
	resource.Observation{Address: "targets.ecs-main.load-balancer", Attrs: map[string]string{"dns_name": "lb-1.elb.amazonaws.com"}},
	resource.Observation{Address: "targets.ecs-main.peering", Attrs: map[string]string{"id": "pcx-1"}},
)

func TestRender(t *testing.T) {
	cases := map[string]struct {
		reason string
		in     Input
	}{
		"applied": {
			reason: "every value read; the URLs from the hostnames; a peering not created yet says so",
			in:     Input{Snapshot: applied, Hostname: "auth.example.com", AdminHostname: "https://admin.example.com"},
		},
		"no-hostname": {
			reason: "without a hostname Keycloak's URL is the load balancer's DNS name; a missing attribute is not reported",
			in: Input{Snapshot: snapshot(
				resource.Observation{Address: "database.cluster", Attrs: map[string]string{"endpoint": "kc.cluster-x.rds.amazonaws.com"}},
				resource.Observation{Address: "targets.ecs-main.load-balancer", Attrs: map[string]string{"dns_name": "lb-1.elb.amazonaws.com"}},
			), Notes: []string{"the in-cluster part of target rosa-a was not read: no kubeconfig."}},
		},
		"nothing-owned": {
			reason: "a stack that owns nothing gets a note, and every value is not created",
			in:     Input{Snapshot: snapshot()},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			tc.in.Stack, tc.in.Region, tc.in.Desired, tc.in.Descriptors = "sso", "eu-west-1", desired, descriptors
			o := Build(tc.in)
			var text, js bytes.Buffer
			if err := Text(&text, o); err != nil {
				t.Fatal(err)
			}
			if err := JSON(&js, o); err != nil {
				t.Fatal(err)
			}
			golden(t, name+".txt", text.String())
			golden(t, name+".json", js.String())
			var doc map[string]any
			if err := json.Unmarshal(js.Bytes(), &doc); err != nil || doc["format_version"] != FormatVersion {
				t.Errorf("%s: JSON without format_version %s: %v", tc.reason, FormatVersion, err)
			}
		})
	}
}

func TestLookup(t *testing.T) {
	o := Build(Input{Stack: "sso", Region: "eu-west-1", Desired: desired, Descriptors: descriptors, Snapshot: applied, Hostname: "auth.example.com"})
	v, err := o.Lookup("database.writer_endpoint")
	if err != nil {
		t.Fatal(err)
	}
	var raw bytes.Buffer
	if err := Raw(&raw, v); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff("kc.cluster-x.rds.amazonaws.com\n", raw.String()); diff != "" {
		t.Errorf("raw value (-want +got):\n%s", diff)
	}
	_, err = o.Lookup("database.password")
	if err == nil || !strings.Contains(err.Error(), "targets.ecs-main.keycloak_url") {
		t.Errorf("an unknown name must be an error listing the names, got %v", err)
	}
}

func TestDuplicateNamesTakeTheAddress(t *testing.T) {
	ds := append(append([]resource.Desired(nil), desired...), resource.Desired{Address: "targets.ecs-main.peering-2", Kind: resource.KindPeering})
	snap := snapshot(resource.Observation{Address: "targets.ecs-main.peering-2", Attrs: map[string]string{"id": "pcx-2"}})
	o := Build(Input{Stack: "sso", Desired: ds, Descriptors: descriptors, Snapshot: snap})
	v, err := o.Lookup("targets.ecs-main.peering-2.peering_id")
	if err != nil || v.Value == nil || *v.Value != "pcx-2" {
		t.Errorf("the second peering of a group is named after its address: %+v %v", v, err)
	}
}

func TestNoURLsWithoutHostname(t *testing.T) {
	o := Build(Input{Stack: "sso", Desired: desired, Descriptors: descriptors, Snapshot: applied, HostnameUnknown: true})
	if v, err := o.Lookup("targets.ecs-main.keycloak_url"); err == nil {
		t.Errorf("without the stack file (a saved plan) no Keycloak URL is derived, got %+v", v)
	}
	if _, err := o.Lookup("targets.ecs-main.load_balancer_dns_name"); err != nil {
		t.Errorf("the load balancer's DNS name stays: %v", err)
	}
}

func TestGroup(t *testing.T) {
	cases := map[string]struct {
		reason, address, want string
	}{
		"Database":    {"a database resource is in the database group", "database.cluster", "database"},
		"Target":      {"a target's resource is in the target's group", "targets.ecs-main.load-balancer", "targets.ecs-main"},
		"Redis":       {"the replication group is in the redis group", "redis.replication-group", "redis"},
		"Application": {"a Redis application's secret is in the application's group", "redis.secret[shop-dev]", "redis.shop-dev"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if got := Group(tc.address); got != tc.want {
				t.Errorf("%s\nGroup(%q) = %q, want %q", tc.reason, tc.address, got, tc.want)
			}
		})
	}
}
