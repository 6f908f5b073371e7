package network_test

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/kcstack/kcstack/pkg/aws/network"
	"github.com/kcstack/kcstack/pkg/resource"
	"github.com/kcstack/kcstack/pkg/sandbox/sandboxtest"
)

func subnetIn(address, zone string) resource.Desired {
	return resource.Desired{Address: address, Kind: resource.KindSubnet, Props: resource.Props{"availability_zone": zone, "cidr_block": "10.0.0.0/24"}}
}

// TestZoneObserver: the sandbox's eu-west-1 has zones a, b and c.
func TestZoneObserver(t *testing.T) {
	cases := map[string]struct {
		reason  string
		desired []resource.Desired
		want    []string // substrings of the error; none: no error
		calls   int
	}{
		"offered": {
			reason:  "zones the region offers pass with one call",
			desired: []resource.Desired{subnetIn("database.subnet[eu-west-1a]", "eu-west-1a"), subnetIn("targets.ecs.subnet[private-eu-west-1c]", "eu-west-1c")},
			calls:   1,
		},
		"no subnets": {
			reason: "a stack creating no subnet costs no call",
			desired: []resource.Desired{{Address: "database.subnet[x]", Kind: resource.KindSubnet, Lookup: &resource.Lookup{ID: "subnet-1"}},
				{Address: "database.vpc", Kind: resource.KindVPC, Props: resource.Props{"cidr_block": "10.0.0.0/16"}}},
		},
		"missing": {
			reason: "each zone the region lacks is named with its subnets and the field to set, and the zones there are",
			desired: []resource.Desired{subnetIn("database.subnet[eu-west-1d]", "eu-west-1d"), subnetIn("targets.ecs.subnet[public-eu-west-1e]", "eu-west-1e"),
				subnetIn("targets.ecs.subnet[private-eu-west-1e]", "eu-west-1e"), subnetIn("database.subnet[eu-west-1a]", "eu-west-1a")},
			want: []string{
				"availability zone eu-west-1d (for database.subnet[eu-west-1d]) is not an available zone of this region; set spec.database.aurora.zones",
				"availability zone eu-west-1e (for targets.ecs.subnet[public-eu-west-1e], targets.ecs.subnet[private-eu-west-1e]) is not an available zone of this region; set the zones of target ecs",
				"(available: eu-west-1a, eu-west-1b, eu-west-1c)",
			},
			calls: 1,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			srv := sandboxtest.New(t)
			o := &network.ZoneObserver{API: ec2.NewFromConfig(sandboxtest.AWSConfig(t, srv))}
			obs, err := o.Observe(t.Context(), resource.Query{Stack: "s", Desired: tc.desired})
			if len(obs) != 0 {
				t.Errorf("%s: observed %+v, want nothing", tc.reason, obs)
			}
			switch {
			case len(tc.want) == 0 && err != nil:
				t.Errorf("%s: %v", tc.reason, err)
			case len(tc.want) > 0 && err == nil:
				t.Errorf("%s: no error", tc.reason)
			}
			for _, w := range tc.want {
				if err != nil && !strings.Contains(err.Error(), w) {
					t.Errorf("%s: error %q lacks %q", tc.reason, err, w)
				}
			}
			if got := srv.Calls()["ec2"]["DescribeAvailabilityZones"]; got != tc.calls {
				t.Errorf("%s: %d calls, want %d", tc.reason, got, tc.calls)
			}
		})
	}
}
