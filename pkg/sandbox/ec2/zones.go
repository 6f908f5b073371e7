package ec2

import (
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

// zoneLetters are the zones every sandbox region has.
var zoneLetters = []string{"a", "b", "c"}

// zone is one availability zone of a region.
type zone struct{ name, id, region string }

// zones lists the three zones of a region (eu-west-1a, euw1-az1, ...).
func zones(region string) []zone {
	out := make([]zone, 0, len(zoneLetters))
	for i, l := range zoneLetters {
		out = append(out, zone{name: region + l, id: zoneIDPrefix(region) + "-az" + string(rune('1'+i)), region: region})
	}
	return out
}

// directions abbreviates the middle word of region names as zone ids do.
var directions = map[string]string{
	"east": "e", "west": "w", "north": "n", "south": "s", "central": "c",
	"northeast": "ne", "northwest": "nw", "southeast": "se", "southwest": "sw",
}

// zoneIDPrefix abbreviates a region name the way AWS zone ids do:
// eu-west-1 → euw1, ap-southeast-2 → apse2, us-gov-west-1 → usgw1.
func zoneIDPrefix(region string) string {
	parts := strings.Split(region, "-")
	var b strings.Builder
	for i, p := range parts {
		switch {
		case i == 0 || i == len(parts)-1:
			b.WriteString(p)
		case directions[p] != "":
			b.WriteString(directions[p])
		case p != "":
			b.WriteString(p[:1])
		}
	}
	return b.String()
}

// findZone returns the zone of region named by name or id.
func findZone(region, name, id string) (zone, bool) {
	for _, z := range zones(region) {
		if (name != "" && z.name == name) || (id != "" && z.id == id) {
			return z, true
		}
	}
	return zone{}, false
}

var zoneFilters = filterSet[zone]{fields: fields[zone]{
	"zone-name":            func(z zone) []string { return one(z.name) },
	"zone-id":              func(z zone) []string { return one(z.id) },
	"region-name":          func(z zone) []string { return one(z.region) },
	"group-name":           func(z zone) []string { return one(z.region) },
	"state":                func(zone) []string { return one("available") },
	"opt-in-status":        func(zone) []string { return one("opt-in-not-required") },
	"zone-type":            func(zone) []string { return one("availability-zone") },
	"message":              func(zone) []string { return nil },
	"parent-zone-id":       func(zone) []string { return nil },
	"parent-zone-name":     func(zone) []string { return nil },
	"network-border-group": func(z zone) []string { return one(z.region) },
}}

// describeAvailabilityZones lists the region's zones.
func describeAvailabilityZones(e *env, in *ec2.DescribeAvailabilityZonesInput) (*ec2.DescribeAvailabilityZonesOutput, error) {
	all := zones(e.call.Region)
	selected, err := selectZones(all, in.ZoneNames, in.ZoneIds)
	if err != nil {
		return nil, err
	}
	selected, err = zoneFilters.apply(selected, in.Filters)
	if err != nil {
		return nil, err
	}
	out := &ec2.DescribeAvailabilityZonesOutput{AvailabilityZones: []types.AvailabilityZone{}}
	for _, z := range selected {
		out.AvailabilityZones = append(out.AvailabilityZones, z.sdk())
	}
	return out, nil
}

// selectZones keeps the zones named by names or ids (all when both are
// empty), answering InvalidParameterValue for an unknown one.
func selectZones(all []zone, names, ids []string) ([]zone, error) {
	if len(names) == 0 && len(ids) == 0 {
		return all, nil
	}
	var out []zone
	for _, z := range all {
		if slices.Contains(names, z.name) || slices.Contains(ids, z.id) {
			out = append(out, z)
		}
	}
	for _, n := range append(append([]string{}, names...), ids...) {
		if _, ok := findZone(all[0].region, n, n); !ok {
			return nil, api.Errorf("InvalidParameterValue", "Invalid availability zone: [%s]", n)
		}
	}
	return out, nil
}

func (z zone) sdk() types.AvailabilityZone {
	return types.AvailabilityZone{
		ZoneName: aws.String(z.name), ZoneId: aws.String(z.id), RegionName: aws.String(z.region),
		State: types.AvailabilityZoneStateAvailable, OptInStatus: types.AvailabilityZoneOptInStatusOptInNotRequired,
		ZoneType: aws.String("availability-zone"), GroupName: aws.String(z.region),
		NetworkBorderGroup: aws.String(z.region), Messages: []types.AvailabilityZoneMessage{},
	}
}

// regions are the regions DescribeRegions reports (the commercial ones
// that need no opt-in); the sandbox serves any region name.
var regions = []string{
	"ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-south-1", "ap-southeast-1", "ap-southeast-2",
	"ca-central-1", "eu-central-1", "eu-north-1", "eu-west-1", "eu-west-2", "eu-west-3", "sa-east-1",
	"us-east-1", "us-east-2", "us-west-1", "us-west-2",
}

var regionFilters = filterSet[string]{fields: fields[string]{
	"region-name":   func(r string) []string { return one(r) },
	"endpoint":      func(r string) []string { return one(endpoint(r)) },
	"opt-in-status": func(string) []string { return one("opt-in-not-required") },
}}

func endpoint(region string) string { return "ec2." + region + ".amazonaws.com" }

// describeRegions lists the regions, or the named ones.
func describeRegions(e *env, in *ec2.DescribeRegionsInput) (*ec2.DescribeRegionsOutput, error) {
	names := regions
	if len(in.RegionNames) > 0 {
		names = in.RegionNames
	}
	names, err := regionFilters.apply(names, in.Filters)
	if err != nil {
		return nil, err
	}
	out := &ec2.DescribeRegionsOutput{Regions: []types.Region{}}
	for _, r := range names {
		out.Regions = append(out.Regions, types.Region{RegionName: aws.String(r), Endpoint: aws.String(endpoint(r)), OptInStatus: aws.String("opt-in-not-required")})
	}
	return out, nil
}
