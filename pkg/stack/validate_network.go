package stack

import (
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// clusterIdentifier is AWS's rule for DB cluster identifiers.
var clusterIdentifier = regexp.MustCompile(`^[A-Za-z](-?[A-Za-z0-9])*$`)

const auroraPath = "spec.database.aurora"

// Aurora PostgreSQL majors kcstack knows; older are refused, newer warned.
const (
	minAuroraMajor   = 15
	knownAuroraMajor = 17
	// maxAuroraInstances is a writer and 15 readers.
	maxAuroraInstances = 16
)

func checkAurora(s *Stack) Diagnostics {
	a := s.Spec.Database.Aurora
	var ds Diagnostics
	if !clusterIdentifier.MatchString(a.ClusterIdentifier) || len(a.ClusterIdentifier) > 63 {
		ds = append(ds, errorf(auroraPath+".clusterIdentifier",
			"use 1 to 63 letters, digits and hyphens, starting with a letter, without a trailing or double hyphen",
			"%q is not a valid DB cluster identifier", a.ClusterIdentifier))
	}
	ds = append(ds, checkEngineVersion(a.EngineVersion)...)
	ds = append(ds, checkCount(auroraPath+".instances", a.Instances)...)
	if a.Instances > maxAuroraInstances {
		ds = append(ds, errorf(auroraPath+".instances", "use at most 16: one writer and 15 readers",
			"an Aurora cluster holds at most %d instances, not %d", maxAuroraInstances, a.Instances))
	}
	if a.StorageEncrypted != nil && !*a.StorageEncrypted {
		ds = append(ds, errorf(auroraPath+".storageEncrypted", "remove it: kcstack always encrypts Aurora storage",
			"storage encryption cannot be turned off"))
	}
	for _, reserved := range []string{"postgres", "rdsadmin", "rdsrepladmin", "admin"} {
		if strings.EqualFold(a.MasterUsername, reserved) {
			ds = append(ds, errorf(auroraPath+".masterUsername", "choose another name such as keycloak",
				"%q is reserved by Aurora PostgreSQL", a.MasterUsername))
		}
	}
	derived := a.FinalSnapshotIdentifier == a.ClusterIdentifier+"-final"
	if !a.SkipFinalSnapshot && !derived && !clusterIdentifier.MatchString(a.FinalSnapshotIdentifier) {
		ds = append(ds, errorf(auroraPath+".finalSnapshotIdentifier", "use letters, digits and single hyphens, starting with a letter",
			"%q is not a valid snapshot identifier", a.FinalSnapshotIdentifier))
	}
	ds = append(ds, checkWriterZone(a)...)
	if a.SkipFinalSnapshot && a.FinalSnapshotIdentifier != "" && !derived {
		ds = append(ds, errorf(auroraPath+".finalSnapshotIdentifier", "remove it, or set skipFinalSnapshot: false",
			"a final snapshot identifier is set but skipFinalSnapshot is true"))
	}
	return ds
}

// checkWriterZone checks that the writer's zone is one of the database's.
func checkWriterZone(a Aurora) Diagnostics {
	if a.WriterZone == "" || slices.Contains(a.Zones, a.WriterZone) {
		return nil
	}
	return Diagnostics{errorf(auroraPath+".writerZone", "use one of the database zones: "+strings.Join(a.Zones, ", "),
		"%q is not a zone of the database (spec.database.aurora.zones)", a.WriterZone)}
}

func checkEngineVersion(v string) Diagnostics {
	const path = auroraPath + ".engineVersion"
	major, _, ok := strings.Cut(v, ".")
	n, err := strconv.Atoi(major)
	if !ok || err != nil {
		return Diagnostics{errorf(path, `write a quoted MAJOR.MINOR such as "16.8"`, "%q is not an engine version", v)}
	}
	if n < minAuroraMajor {
		return Diagnostics{errorf(path, fmt.Sprintf("choose Aurora PostgreSQL %d or later, such as \"16.8\"", minAuroraMajor),
			"Aurora PostgreSQL %d is not supported by Keycloak", n)}
	}
	if n > knownAuroraMajor {
		return Diagnostics{warnf(path, "check that Keycloak supports it", "Aurora PostgreSQL %d is newer than kcstack knows", n)}
	}
	return nil
}

func checkCount(path string, n int) Diagnostics {
	if n < 1 {
		return Diagnostics{errorf(path, "", "must be at least 1, not %d", n)}
	}
	return nil
}

// checkAuroraNetwork checks the Aurora VPC, zones and subnets.
func checkAuroraNetwork(s *Stack) Diagnostics {
	a := s.Spec.Database.Aurora
	vpcPath := auroraPath + ".vpc"
	ds := checkVPCRef(vpcPath, a.VPC, true)
	ds = append(ds, checkZones(auroraPath+".zones", a.Zones, s.Spec.Region, "an Aurora DB subnet group")...)
	if a.VPC.CIDR == "" {
		return append(ds, checkExistingSubnets(auroraPath+".subnets", a.Subnets)...)
	}
	vpc, err := parseCIDR(a.VPC.CIDR)
	if err != nil {
		return ds
	}
	if len(a.Subnets) == 0 {
		return append(ds, cannotCarve(vpcPath+".cidr", vpc, len(a.Zones), auroraCarveBits))
	}
	return append(ds, checkNewSubnets(auroraPath+".subnets", a.Subnets, vpc, a.Zones)...)
}

// checkVPCRef checks that exactly one of cidr, id and tags is set, and cidr
// only where kcstack may create the VPC.
func checkVPCRef(path string, v VPCRef, creatable bool) Diagnostics {
	set := 0
	for _, b := range []bool{v.CIDR != "", v.ID != "", len(v.Tags) > 0} {
		if b {
			set++
		}
	}
	hint := "set cidr for a new VPC, or id or tags for an existing one"
	if !creatable {
		hint = "find the existing VPC with id or tags"
	}
	switch {
	case set == 0:
		return Diagnostics{errorf(path, hint, "no VPC given")}
	case set > 1:
		return Diagnostics{errorf(path, hint, "set only one of cidr, id and tags")}
	case v.CIDR != "" && !creatable:
		return Diagnostics{errorf(path+".cidr", hint, "kcstack does not create this VPC; it only finds it")}
	}
	if v.CIDR == "" {
		return nil
	}
	p, err := parseCIDR(v.CIDR)
	if err != nil {
		return Diagnostics{errorf(path+".cidr", "write the network address, such as 10.0.0.0/16", "%v", err)}
	}
	if p.Bits() < 16 || p.Bits() > 28 {
		return Diagnostics{errorf(path+".cidr", "choose a prefix from /16 to /28", "a VPC CIDR of /%d is not allowed by AWS", p.Bits())}
	}
	return nil
}

func checkZones(path string, zones []string, region, what string) Diagnostics {
	var ds Diagnostics
	if len(zones) < 2 {
		ds = append(ds, errorf(path, "list at least two zones, such as "+region+"a and "+region+"b",
			"%s needs at least two availability zones", what))
	}
	for i, z := range zones {
		if !strings.HasPrefix(z, region) || len(z) != len(region)+1 {
			ds = append(ds, errorf(index(path, i), "use a zone of "+region+", such as "+region+"a",
				"%q is not a zone of region %s", z, region))
		}
	}
	return ds
}

// checkExistingSubnets checks subnets of an existing VPC: given by id.
func checkExistingSubnets(path string, subnets []Subnet) Diagnostics {
	if len(subnets) == 0 {
		return Diagnostics{errorf(path, "list the existing subnets by id, one per zone",
			"an existing VPC needs its subnets listed")}
	}
	var ds Diagnostics
	if len(subnets) < 2 {
		ds = append(ds, errorf(path, "list subnets in at least two zones",
			"%d subnet given; AWS needs subnets in two zones or more", len(subnets)))
	}
	for i, sn := range subnets {
		if sn.ID == "" || sn.CIDR != "" {
			ds = append(ds, errorf(index(path, i), "give the id of an existing subnet",
				"subnets of an existing VPC are found by id, not created"))
		}
	}
	return ds
}

// cannotCarve explains why no default subnets could be carved.
func cannotCarve(path string, vpc netip.Prefix, zones, bits int) Diagnostic {
	if zones > maxCarvedZones {
		return errorf(path, "list the subnets yourself", "default subnets cover at most %d zones, not %d", maxCarvedZones, zones)
	}
	return errorf(path, fmt.Sprintf("use a /%d or larger VPC, or list the subnets yourself", 28-bits),
		"%s is too small to carve %d subnets of at least /28", vpc, 1<<bits)
}

// checkNewSubnets checks subnets kcstack creates: a zone and cidr each,
// inside the VPC, not overlapping, one per zone.
func checkNewSubnets(path string, subnets []Subnet, vpc netip.Prefix, zones []string) Diagnostics {
	var ds Diagnostics
	var seen []netip.Prefix
	covered := map[string]bool{}
	for i, sn := range subnets {
		p := index(path, i)
		d, prefix := checkNewSubnet(p, sn, vpc, zones)
		ds = append(ds, d...)
		covered[sn.Zone] = true
		if !prefix.IsValid() {
			continue
		}
		for _, other := range seen {
			if overlaps(prefix, other) {
				ds = append(ds, errorf(p+".cidr", "give each subnet its own range", "%s overlaps subnet %s", prefix, other))
			}
		}
		seen = append(seen, prefix)
	}
	for _, z := range zones {
		if !covered[z] {
			ds = append(ds, errorf(path, "add a subnet in "+z+" or remove the zone", "no subnet in zone %s", z))
		}
	}
	return ds
}

func checkNewSubnet(path string, sn Subnet, vpc netip.Prefix, zones []string) (Diagnostics, netip.Prefix) {
	if sn.ID != "" {
		return Diagnostics{errorf(path+".id", "give zone and cidr for a subnet kcstack creates in its new VPC",
			"a new VPC has no existing subnets")}, netip.Prefix{}
	}
	var ds Diagnostics
	if !slices.Contains(zones, sn.Zone) {
		ds = append(ds, errorf(path+".zone", "use one of "+strings.Join(zones, ", "), "%q is not one of the listed zones", sn.Zone))
	}
	p, err := parseCIDR(sn.CIDR)
	switch {
	case err != nil:
		return append(ds, errorf(path+".cidr", "write the network address, such as 10.0.0.0/24", "%v", err)), netip.Prefix{}
	case !containsPrefix(vpc, p):
		return append(ds, errorf(path+".cidr", "choose a range inside "+vpc.String(), "%s is outside the VPC %s", p, vpc)), netip.Prefix{}
	case p.Bits() > 28:
		return append(ds, errorf(path+".cidr", "use /28 or larger", "a /%d subnet is smaller than AWS allows", p.Bits())), netip.Prefix{}
	}
	return ds, p
}
