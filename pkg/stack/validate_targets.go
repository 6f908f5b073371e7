package stack

import (
	"fmt"
	"net/netip"
	"strings"
)

func checkTargets(s *Stack) Diagnostics {
	var ds Diagnostics
	seen := map[string]int{}
	places := map[string]int{}
	for i, t := range s.Spec.Targets {
		path := index("spec.targets", i)
		if j, dup := seen[t.Name]; dup {
			ds = append(ds, errorf(path+".name", "give every target its own name",
				"duplicate target name %q (also spec.targets[%d])", t.Name, j))
		}
		seen[t.Name] = i
		if t.ROSA != nil {
			place := t.ROSA.Cluster + "/" + t.ROSA.Namespace
			if j, dup := places[place]; dup {
				ds = append(ds, errorf(path+".rosa.namespace", "use another namespace or merge the two targets",
					"namespace %s of cluster %s is already used by spec.targets[%d]", t.ROSA.Namespace, t.ROSA.Cluster, j))
			}
			places[place] = i
		}
		ds = append(ds, checkTarget(path, t, s)...)
	}
	return ds
}

func checkTarget(path string, t Target, s *Stack) Diagnostics {
	switch {
	case t.ECS != nil && t.ROSA != nil:
		return Diagnostics{errorf(path, "split it into two targets", "a target is either ecs or rosa, not both")}
	case t.ECS != nil:
		return checkECS(path+".ecs", t.ECS, s.Spec.Region)
	case t.ROSA != nil:
		return checkROSA(path+".rosa", t.ROSA)
	}
	return Diagnostics{errorf(path, "add an ecs or a rosa block", "target %q says neither where nor how Keycloak runs", t.Name)}
}

func checkECS(path string, e *ECSTarget, region string) Diagnostics {
	ds := checkCount(path+".tasks", e.Tasks)
	ds = append(ds, checkFargateSize(path, e.CPU, e.Memory)...)
	ds = append(ds, checkVPCRef(path+".vpc", e.VPC, true)...)
	ds = append(ds, checkZones(path+".zones", e.Zones, region, "an application load balancer")...)
	ds = append(ds, checkECSSubnets(path, e)...)
	ds = append(ds, checkCertificate(path+".loadBalancer.certificateArn", e.LoadBalancer.CertificateARN, region)...)
	return append(ds, checkNATGateways(path+".natGateways", e)...)
}

// checkNATGateways checks the NAT layout of a new VPC, and refuses one
// for an existing VPC (SetDefaults leaves it empty there, so it was
// written): kcstack makes no NAT gateway in a VPC it does not own.
func checkNATGateways(path string, e *ECSTarget) Diagnostics {
	switch {
	case e.VPC.CIDR == "" && e.NATGateways != "":
		return Diagnostics{errorf(path, "remove it: the routing of an existing VPC is its owner's",
			"NAT gateways are made only in a VPC kcstack creates (vpc.cidr)")}
	case e.VPC.CIDR != "" && e.NATGateways != NATPerZone && e.NATGateways != NATSingle:
		return Diagnostics{errorf(path, "use perZone (one NAT gateway per zone) or single (one, cheaper, less available)",
			"%q is not a NAT gateway layout", e.NATGateways)}
	}
	return nil
}

// fargateMemory lists, per CPU size, the memory sizes Fargate accepts (MiB):
// from, to, step.
var fargateMemory = map[int][3]int{
	256:   {1024, 2048, 1024}, // and 512, handled apart
	512:   {1024, 4096, 1024},
	1024:  {2048, 8192, 1024},
	2048:  {4096, 16384, 1024},
	4096:  {8192, 30720, 1024},
	8192:  {16384, 61440, 4096},
	16384: {32768, 122880, 8192},
}

// checkFargateSize checks that cpu and memory are a Fargate task size.
func checkFargateSize(path string, cpu, memory int) Diagnostics {
	r, ok := fargateMemory[cpu]
	if !ok {
		return Diagnostics{errorf(path+".cpu", "use 256, 512, 1024, 2048, 4096, 8192 or 16384", "%d is not a Fargate CPU size", cpu)}
	}
	from, to, step := r[0], r[1], r[2]
	if cpu == 256 && memory == 512 {
		return memoryWarning(path, memory)
	}
	if memory < from || memory > to || (memory-from)%step != 0 {
		return Diagnostics{errorf(path+".memory",
			fmt.Sprintf("with cpu %d use %d to %d MiB in steps of %d", cpu, from, to, step),
			"%d MiB is not a valid Fargate memory size for cpu %d", memory, cpu)}
	}
	return memoryWarning(path, memory)
}

func memoryWarning(path string, memory int) Diagnostics {
	if memory >= 2048 {
		return nil
	}
	return Diagnostics{warnf(path+".memory", "give each task at least 2048 MiB",
		"%d MiB is too little for Keycloak to run reliably", memory)}
}

func checkCertificate(path, arn, region string) Diagnostics {
	parts := strings.Split(arn, ":")
	if len(parts) < 6 || parts[3] == region {
		return nil
	}
	return Diagnostics{errorf(path, "request or import the certificate in ACM in "+region,
		"the certificate is in %s, but an ALB in %s can only use certificates of its own region", parts[3], region)}
}

func checkECSSubnets(path string, e *ECSTarget) Diagnostics {
	sub := path + ".subnets"
	if e.VPC.CIDR == "" {
		ds := checkExistingSubnets(sub+".private", e.Subnets.Private)
		return append(ds, checkExistingSubnets(sub+".public", e.Subnets.Public)...)
	}
	vpc, err := parseCIDR(e.VPC.CIDR)
	if err != nil {
		return nil
	}
	if len(e.Subnets.Private) == 0 || len(e.Subnets.Public) == 0 {
		return Diagnostics{cannotCarve(path+".vpc.cidr", vpc, len(e.Zones), ecsCarveBits)}
	}
	ds := checkNewSubnets(sub+".private", e.Subnets.Private, vpc, e.Zones)
	ds = append(ds, checkNewSubnets(sub+".public", e.Subnets.Public, vpc, e.Zones)...)
	return append(ds, crossOverlaps(sub, e.Subnets)...)
}

// crossOverlaps reports public subnets overlapping private ones.
func crossOverlaps(path string, s ECSSubnets) Diagnostics {
	var ds Diagnostics
	for i, pub := range s.Public {
		p, err := parseCIDR(pub.CIDR)
		if err != nil {
			continue
		}
		for _, priv := range s.Private {
			q, err := parseCIDR(priv.CIDR)
			if err == nil && overlaps(p, q) {
				ds = append(ds, errorf(index(path+".public", i)+".cidr", "give each subnet its own range",
					"%s overlaps private subnet %s", p, q))
			}
		}
	}
	return ds
}

func checkROSA(path string, r *ROSATarget) Diagnostics {
	ds := checkCount(path+".instances", r.Instances)
	ds = append(ds, checkVPCRef(path+".vpc", r.VPC, false)...)
	if _, err := parseCIDR(r.MachineCIDR); err != nil {
		ds = append(ds, errorf(path+".machineCidr", "write the cluster's machine CIDR, such as 10.0.0.0/16", "%v", err))
	}
	return ds
}

func checkPeers(s *Stack) Diagnostics {
	var ds Diagnostics
	names := map[string]bool{}
	for _, t := range s.Spec.Targets {
		names[t.Name] = true
	}
	for i, p := range s.Spec.Peers {
		path := index("spec.peers", i)
		if names[p.Name] {
			ds = append(ds, errorf(path+".name", "give every peer and target its own name", "the name %q is already used", p.Name))
		}
		names[p.Name] = true
		ds = append(ds, checkVPCRef(path+".vpc", p.VPC, false)...)
		if _, err := parseCIDR(p.CIDR); err != nil {
			ds = append(ds, errorf(path+".cidr", "write the peer VPC's CIDR, such as 172.16.0.0/16", "%v", err))
		}
	}
	return ds
}

// network is one address range of the stack, for the overlap rule.
type network struct {
	path, what string
	prefix     netip.Prefix
}

// networks lists the ranges that are routed to each other: the Aurora VPC,
// new ECS VPCs, ROSA machine networks and peers.
func networks(s *Stack) []network {
	var out []network
	add := func(path, what, cidr string) {
		if p, err := parseCIDR(cidr); err == nil {
			out = append(out, network{path: path, what: what, prefix: p})
		}
	}
	add(auroraPath+".vpc.cidr", "the Aurora VPC", s.Spec.Database.Aurora.VPC.CIDR)
	for i, t := range s.Spec.Targets {
		path := index("spec.targets", i)
		if t.ECS != nil {
			add(path+".ecs.vpc.cidr", fmt.Sprintf("the VPC of target %s", t.Name), t.ECS.VPC.CIDR)
		}
		if t.ROSA != nil {
			add(path+".rosa.machineCidr", fmt.Sprintf("the machine network of target %s", t.Name), t.ROSA.MachineCIDR)
		}
	}
	for i, p := range s.Spec.Peers {
		add(index("spec.peers", i)+".cidr", "peer "+p.Name, p.CIDR)
	}
	return out
}

// checkOverlaps reports every network overlapping an earlier one: peered
// networks with overlapping ranges cannot route to each other.
func checkOverlaps(s *Stack) Diagnostics {
	nets := networks(s)
	var ds Diagnostics
	for i, n := range nets {
		for _, m := range nets[:i] {
			if overlaps(n.prefix, m.prefix) {
				ds = append(ds, errorf(n.path, "choose a non-overlapping range",
					"%s overlaps %s %s", n.prefix, m.what, m.prefix))
			}
		}
	}
	return ds
}
