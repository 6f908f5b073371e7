package e2e

import (
	"strings"
	"testing"
)

// checkNATPerZone checks through the aws CLI the default NAT layout of an
// applied ECS example (natGateways: perZone): one available NAT gateway in
// each zone's public subnet, and every private subnet's route table
// sending 0.0.0.0/0 to the NAT gateway of the subnet's own zone.
func checkNATPerZone(t *testing.T, e *env, ex ecsExample) {
	t.Helper()
	vpc := ex.stack + "-" + ex.target
	var subnets struct {
		Subnets []struct {
			SubnetID         string `json:"SubnetId"`
			AvailabilityZone string
			Tags             []struct{ Key, Value string }
		}
	}
	decode(t, "describe-subnets", awsJSON(t, e, "ec2", "describe-subnets", "--filters", "Name=tag:kcstack:stack,Values="+ex.stack), &subnets)
	zoneOf, private := map[string]string{}, map[string]string{}
	for _, s := range subnets.Subnets {
		zoneOf[s.SubnetID] = s.AvailabilityZone
		for _, tag := range s.Tags {
			if tag.Key == "Name" && strings.HasPrefix(tag.Value, vpc+"-private-") {
				private[s.SubnetID] = s.AvailabilityZone
			}
		}
	}
	var nats struct {
		NatGateways []struct{ NatGatewayID, SubnetID, State string } `json:"NatGateways"`
	}
	decode(t, "describe-nat-gateways", awsJSON(t, e, "ec2", "describe-nat-gateways", "--filter", "Name=tag:kcstack:stack,Values="+ex.stack), &nats)
	natZone := map[string]string{}
	perZone := map[string]int{}
	for _, n := range nats.NatGateways {
		if n.State != "available" {
			continue
		}
		natZone[n.NatGatewayID] = zoneOf[n.SubnetID]
		perZone[zoneOf[n.SubnetID]]++
	}
	if len(private) == 0 {
		t.Fatalf("no private subnet tagged %s-private-*", vpc)
	}
	for _, zone := range private {
		if perZone[zone] != 1 {
			t.Errorf("zone %s has %d available NAT gateways, want 1 (NAT gateways by zone: %v)", zone, perZone[zone], perZone)
		}
	}
	var tables struct {
		RouteTables []struct {
			Associations []struct{ SubnetID string } `json:"Associations"`
			Routes       []struct{ DestinationCidrBlock, NatGatewayID string }
		}
	}
	decode(t, "describe-route-tables", awsJSON(t, e, "ec2", "describe-route-tables", "--filters", "Name=tag:kcstack:stack,Values="+ex.stack), &tables)
	routed := 0
	for _, rt := range tables.RouteTables {
		for _, a := range rt.Associations {
			zone, ok := private[a.SubnetID]
			if !ok {
				continue
			}
			routed++
			nat := ""
			for _, r := range rt.Routes {
				if r.DestinationCidrBlock == "0.0.0.0/0" {
					nat = r.NatGatewayID
				}
			}
			if natZone[nat] != zone {
				t.Errorf("private subnet %s in %s routes 0.0.0.0/0 to NAT gateway %q in zone %q, want its own zone's", a.SubnetID, zone, nat, natZone[nat])
			}
		}
	}
	if routed != len(private) {
		t.Errorf("%d of %d private subnets have a route table of their own", routed, len(private))
	}
}
