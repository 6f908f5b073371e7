package network

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/kcstack/kcstack/pkg/aws/ownership"
	"github.com/kcstack/kcstack/pkg/resource"
)

// ZonesAPI is the EC2 call ZoneObserver makes.
type ZonesAPI interface {
	DescribeAvailabilityZones(context.Context, *ec2.DescribeAvailabilityZonesInput, ...func(*ec2.Options)) (*ec2.DescribeAvailabilityZonesOutput, error)
}

// ZoneObserver checks, in round 1, that every zone the stack's new subnets
// name is an available zone of the region: zones default to the region's
// a, b and c, which not every region offers every account, and a wrong
// zone found by CreateSubnet halfway through an apply leaves a half-built
// network. It observes nothing; it fails the plan, naming the subnets,
// the zones the region has and the field to set.
type ZoneObserver struct{ API ZonesAPI }

var _ resource.Observer = (*ZoneObserver)(nil)

// Round is 1.
func (o *ZoneObserver) Round() int { return 1 }

// Observe makes one DescribeAvailabilityZones call when the stack creates
// subnets, none otherwise.
func (o *ZoneObserver) Observe(ctx context.Context, q resource.Query) ([]resource.Observation, error) {
	wanted := map[string][]string{} // zone → subnet addresses
	for _, d := range ownership.DesiredOfKind(q, resource.KindSubnet) {
		if d.Lookup != nil {
			continue
		}
		r := resource.Read(d.Props)
		if z := r.OptString(propAvailabilityZone); z != "" {
			wanted[z] = append(wanted[z], d.Address)
		}
		if err := r.Err(); err != nil {
			return nil, propErr(d.Address, err)
		}
	}
	if len(wanted) == 0 {
		return nil, nil
	}
	out, err := o.API.DescribeAvailabilityZones(ctx, &ec2.DescribeAvailabilityZonesInput{})
	if err != nil {
		return nil, fmt.Errorf("describe availability zones: %w", err)
	}
	var available []string
	for _, z := range out.AvailabilityZones {
		// Local and Wavelength Zones take no Aurora or Fargate subnets.
		regular := z.ZoneType == nil || aws.ToString(z.ZoneType) == "availability-zone"
		if z.State == types.AvailabilityZoneStateAvailable && regular {
			available = append(available, aws.ToString(z.ZoneName))
		}
	}
	slices.Sort(available)
	var problems []string
	for _, z := range resource.SortedKeys(wanted) {
		if slices.Contains(available, z) {
			continue
		}
		problems = append(problems, fmt.Sprintf("availability zone %s (for %s) is not an available zone of this region; set %s",
			z, strings.Join(wanted[z], ", "), zoneField(wanted[z][0])))
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("%s (available: %s)", strings.Join(problems, "; "), strings.Join(available, ", "))
	}
	return nil, nil
}

// zoneField names the stack file field that chose a subnet's zone.
func zoneField(address string) string {
	if target, ok := strings.CutPrefix(address, "targets."); ok {
		name, _, _ := strings.Cut(target, ".")
		return "the zones of target " + name + " (spec.targets[].ecs.zones)"
	}
	return "spec.database.aurora.zones"
}
