package stack

import (
	"fmt"
	"net/netip"
	"strings"
)

// AWS limits on what kcstack derives from the stack; the schema bounds
// what is written, these bound what is built from it.
const (
	// maxLBName is the length of a load balancer or target group name,
	// which kcstack makes <stack>-<target>.
	maxLBName = 32
	// maxDBIdentifier is the length of a DB instance identifier, which
	// kcstack makes <clusterIdentifier>-<n>.
	maxDBIdentifier = 63
	// maxPeerings is the most active peering connections of a VPC (the
	// quota's ceiling): the Aurora VPC peers with every target and peer.
	maxPeerings = 125
	// maxOptionsSize bounds the extra options in all: an ECS task
	// definition holds at most 64 KiB, and kcstack's own settings, the
	// health check and the JSON around every variable need the rest.
	maxOptionsSize = 32 << 10
	// maxOptionValue is the schema's maxLength of one option value.
	maxOptionValue = 8192
	// deploymentPercent is the service's maximumPercent: during a
	// deployment twice the tasks run, each with an address of its own.
	deploymentPercent = 200
	// reservedAddresses are the addresses AWS keeps in every subnet.
	reservedAddresses = 5
)

// checkDerivedNames checks the names kcstack builds from the stack's
// names against the AWS rules for them.
func checkDerivedNames(s *Stack) Diagnostics {
	var ds Diagnostics
	for i, t := range s.Spec.Targets {
		name := s.Metadata.Name + "-" + t.Name
		if t.ECS == nil || len(name) <= maxLBName || len(s.Metadata.Name) > maxLBName || len(t.Name) > maxLBName {
			continue
		}
		ds = append(ds, errorf(index("spec.targets", i)+".name",
			fmt.Sprintf("shorten metadata.name or the target name so that %q has at most %d characters", "<stack>-<target>", maxLBName),
			"the load balancer and target group of target %q would be named %q (%d characters), but AWS allows at most %d",
			t.Name, name, len(name), maxLBName))
	}
	a := s.Spec.Database.Aurora
	if last := fmt.Sprintf("%s-%d", a.ClusterIdentifier, a.Instances); len(last) > maxDBIdentifier && len(a.ClusterIdentifier) <= maxDBIdentifier {
		ds = append(ds, errorf(auroraPath+".clusterIdentifier", "shorten the cluster identifier",
			"the DB instances are named <clusterIdentifier>-<n>, and %q has %d characters: RDS allows at most %d",
			last, len(last), maxDBIdentifier))
	}
	return ds
}

// checkPeerings bounds the peering connections of the Aurora VPC.
func checkPeerings(s *Stack) Diagnostics {
	n := len(s.Spec.Targets) + len(s.Spec.Peers)
	if n <= maxPeerings || len(s.Spec.Targets) > maxPeerings || len(s.Spec.Peers) > maxPeerings {
		return nil
	}
	return Diagnostics{errorf("spec.peers", "split the stack in two",
		"the Aurora VPC would have %d peering connections (one per target and peer), but a VPC has at most %d", n, maxPeerings)}
}

// checkOptionsSize bounds the extra options in all, as they go into the
// task definition as environment variables.
func checkOptionsSize(s *Stack) Diagnostics {
	total := 0
	for name, value := range s.Spec.Keycloak.ExtraOptions {
		if len(value) > maxOptionValue {
			return nil // the schema names that option; one mistake, one error
		}
		total += len(name) + len(value) + len(`{"name":"KC_","value":""},`)
	}
	if total <= maxOptionsSize {
		return nil
	}
	return Diagnostics{errorf("spec.keycloak.extraOptions", "pass large settings as files in a custom image (spec.keycloak.image)",
		"the extra options take %d bytes of the task definition; kcstack allows %d, as an ECS task definition holds at most 64 KiB",
		total, maxOptionsSize)}
}

// checkTaskAddresses checks that the private subnets of a new VPC hold an
// address for every task during a deployment.
func checkTaskAddresses(s *Stack) Diagnostics {
	var ds Diagnostics
	for i, t := range s.Spec.Targets {
		e := t.ECS
		if e == nil || e.VPC.CIDR == "" {
			continue
		}
		free, ok := usableAddresses(e.Subnets.Private)
		need := e.Tasks * deploymentPercent / 100
		if !ok || need <= free {
			continue
		}
		ds = append(ds, errorf(index("spec.targets", i)+".ecs.tasks", "use a larger VPC or fewer tasks",
			"%d tasks need up to %d addresses during a deployment (Fargate gives each task its own), but the private subnets hold %d",
			e.Tasks, need, free))
	}
	return ds
}

// usableAddresses counts the addresses AWS lets tasks use in subnets; ok
// is false when a CIDR does not parse (reported elsewhere).
func usableAddresses(subnets []Subnet) (int, bool) {
	total := 0
	for _, sn := range subnets {
		p, err := netip.ParsePrefix(sn.CIDR)
		if err != nil || !p.Addr().Is4() {
			return 0, false
		}
		total += 1<<(32-p.Bits()) - reservedAddresses
	}
	return total, true
}

// checkBucket applies the S3 bucket naming rules the schema's pattern
// cannot say, to the bucket written or defaulted.
func checkBucket(s *Stack) Diagnostics {
	p := s.Spec.Discovery.S3Ping
	if s.Spec.Discovery.Mode != DiscoveryS3Ping || p == nil || p.Bucket == "" {
		return nil
	}
	const path = discoveryPath + ".s3Ping.bucket"
	if why := bucketRule(p.Bucket); why != "" {
		return Diagnostics{errorf(path, "choose another bucket name (set s3Ping.bucket)", "%q is not a valid S3 bucket name: %s", p.Bucket, why)}
	}
	return nil
}

// bucketRule returns the S3 naming rule name breaks, or "".
func bucketRule(name string) string {
	switch {
	case len(name) < 3 || len(name) > 63:
		return fmt.Sprintf("it has %d characters, and a bucket name has 3 to 63", len(name))
	case strings.Contains(name, "..") || strings.Contains(name, ".-") || strings.Contains(name, "-."):
		return "a dot may not be next to another dot or a hyphen"
	case strings.ToLower(name) != name:
		return "bucket names are lower case"
	}
	if _, err := netip.ParseAddr(name); err == nil {
		return "a bucket name may not look like an IP address"
	}
	for _, prefix := range []string{"xn--", "sthree-", "amzn-s3-demo-"} {
		if strings.HasPrefix(name, prefix) {
			return fmt.Sprintf("names starting with %q are reserved", prefix)
		}
	}
	for _, suffix := range []string{"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"} {
		if strings.HasSuffix(name, suffix) {
			return fmt.Sprintf("names ending with %q are reserved", suffix)
		}
	}
	return ""
}
