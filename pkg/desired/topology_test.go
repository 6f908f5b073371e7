package desired

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/resource"
	"github.com/kcstack/kcstack/pkg/stack"
)

// loadECS loads examples/ecs-jdbc-ping.yaml (three zones) after edit and
// returns its desired resources by address.
func loadECS(t *testing.T, edit func(*stack.Stack)) map[string]resource.Desired {
	t.Helper()
	st, ds, err := stack.LoadFile("../../examples/ecs-jdbc-ping.yaml")
	if err != nil || ds.HasErrors() {
		t.Fatalf("load example: %v %v", err, ds)
	}
	edit(st)
	all, err := Resources(st)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]resource.Desired{}
	for _, d := range all {
		out[d.Address] = d
	}
	return out
}

// TestNATGateways: perZone routes each zone's private subnet through the
// NAT gateway of its zone, single all of them through one; a subnet moves
// to its table only after the table's default route and the route to the
// database.
func TestNATGateways(t *testing.T) {
	cases := map[string]struct {
		reason string
		layout string
		want   map[string]string // association → NAT gateway its table routes to
	}{
		"perZone": {reason: "each zone's own gateway", layout: stack.NATPerZone, want: map[string]string{
			"eu-west-1a": "nat-gateway[eu-west-1a]", "eu-west-1b": "nat-gateway[eu-west-1b]", "eu-west-1c": "nat-gateway[eu-west-1c]"}},
		"single": {reason: "one gateway for every zone", layout: stack.NATSingle, want: map[string]string{
			"eu-west-1a": "nat-gateway", "eu-west-1b": "nat-gateway", "eu-west-1c": "nat-gateway"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			all := loadECS(t, func(st *stack.Stack) { st.Spec.Targets[0].ECS.NATGateways = tc.layout })
			const p = "targets.ecs-main."
			got := map[string]string{}
			for _, zone := range []string{"eu-west-1a", "eu-west-1b", "eu-west-1c"} {
				assoc := all[p+"route-table-association[private-"+zone+"]"]
				table := assoc.Props["route_table_id"].(resource.Ref).Address
				route := all[strings.Replace(table, ".route-table[", ".default-route[", 1)]
				got[zone] = strings.TrimPrefix(route.Props["nat_gateway_id"].(resource.Ref).Address, p)
				for _, need := range []string{route.Address, p + "routes-to-database"} {
					if !slices.Contains(assoc.DependsOn, need) {
						t.Errorf("%s does not wait for %s: %v", assoc.Address, need, assoc.DependsOn)
					}
				}
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s: NAT gateway of each zone's private subnets (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}

// TestWriterZone: instance 0, the writer, goes in writerZone with tier 0
// and the readers wait for it, in the zones after it with tiers 1 and 2.
func TestWriterZone(t *testing.T) {
	all := loadECS(t, func(st *stack.Stack) {
		st.Spec.Database.Aurora.Instances, st.Spec.Database.Aurora.WriterZone = 3, "eu-west-1b"
	})
	type inst struct {
		Zone   string
		Tier   int64
		Waits0 bool
	}
	var got []inst
	for i := range 3 {
		d := all[instanceAddr(i)]
		got = append(got, inst{d.Props["availability_zone"].(string), d.Props["promotion_tier"].(int64), slices.Contains(d.DependsOn, instanceAddr(0))})
	}
	want := []inst{{"eu-west-1b", 0, false}, {"eu-west-1c", 1, true}, {"eu-west-1a", 2, true}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("instances (-want +got):\n%s", diff)
	}
}
