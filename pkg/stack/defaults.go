package stack

import (
	"fmt"
	"strings"
)

// Defaults applied by SetDefaults.
const (
	DefaultImageRepository     = "quay.io/keycloak/keycloak"
	DefaultProxyHeaders        = "xforwarded"
	DefaultPoolSize            = 30
	DefaultAuroraInstances     = 2
	DefaultDatabaseName        = "keycloak"
	DefaultMasterUsername      = "keycloak"
	DefaultPostgresPort        = 5432
	DefaultBackupRetentionDays = 7
	DefaultECSTasks            = 2
	DefaultECSCPU              = 2048
	DefaultECSMemory           = 4096
	DefaultLogRetentionDays    = 30
	DefaultROSANamespace       = "keycloak"
	DefaultROSAInstances       = 2
	DefaultOwners              = 2
	DefaultDNSServiceName      = "keycloak-discovery"
	DefaultDNSTTL              = 10
	DefaultKubePingPortRange   = 1
	DefaultBootstrapAdmin      = "admin"
)

// Subnet carving: the Aurora VPC is split in 2^auroraCarveBits parts, a new
// ECS VPC in 2^ecsCarveBits parts (private subnets first, then public).
// The split does not depend on the number of zones, so adding a zone later
// never moves an existing subnet.
const (
	auroraCarveBits = 2
	ecsCarveBits    = 3
	maxCarvedZones  = 4
)

// SetDefaults fills in every field the file left out. It is idempotent and
// runs before Validate; values that are wrong are left for Validate.
func SetDefaults(s *Stack) {
	defaultKeycloak(&s.Spec.Keycloak)
	defaultAurora(&s.Spec.Database.Aurora, s.Spec.Region)
	for i := range s.Spec.Targets {
		defaultTarget(&s.Spec.Targets[i], s.Spec.Region)
	}
	defaultDiscovery(s)
	defaultRedis(s)
	if s.Spec.Caches.Owners == 0 {
		s.Spec.Caches.Owners = min(DefaultOwners, max(1, s.MinNodes()))
	}
}

func defaultKeycloak(k *Keycloak) {
	if k.Image == "" && k.Version != "" {
		k.Image = DefaultImageRepository + ":" + k.Version
	}
	if k.ProxyHeaders == "" {
		k.ProxyHeaders = DefaultProxyHeaders
	}
	if k.BootstrapAdmin != nil && k.BootstrapAdmin.Username == "" {
		k.BootstrapAdmin.Username = DefaultBootstrapAdmin
	}
	defaultPool(&k.DB)
}

// defaultPool gives the three pool sizes one value: poolSize, else the
// first size written, else DefaultPoolSize.
func defaultPool(db *KeycloakDB) {
	size := firstNonZero(db.PoolSize, db.PoolMaxSize, db.PoolMinSize, db.PoolInitialSize, DefaultPoolSize)
	for _, p := range []*int{&db.PoolInitialSize, &db.PoolMinSize, &db.PoolMaxSize} {
		if *p == 0 {
			*p = size
		}
	}
}

func defaultAurora(a *Aurora, region string) {
	setInt(&a.Instances, DefaultAuroraInstances)
	if len(a.Zones) == 0 {
		a.Zones = zonesFromSubnets(a.Subnets)
	}
	if len(a.Zones) == 0 {
		// Three zones whatever the instance count, so that changing the
		// count adds or removes instances and never touches the network.
		a.Zones = DefaultZones(region, 3)
	}
	if len(a.Subnets) == 0 {
		a.Subnets = carveSubnets(a.VPC.CIDR, a.Zones, auroraCarveBits, 0)
	}
	setString(&a.DatabaseName, DefaultDatabaseName)
	setString(&a.MasterUsername, DefaultMasterUsername)
	setInt(&a.Port, DefaultPostgresPort)
	setInt(&a.BackupRetentionDays, DefaultBackupRetentionDays)
	setBool(&a.DeletionProtection, true)
	setBool(&a.StorageEncrypted, true)
	if !a.SkipFinalSnapshot && a.ClusterIdentifier != "" {
		setString(&a.FinalSnapshotIdentifier, a.ClusterIdentifier+"-final")
	}
}

func defaultTarget(t *Target, region string) {
	if t.ECS != nil {
		defaultECS(t.ECS, region)
	}
	if t.ROSA != nil {
		setString(&t.ROSA.Namespace, DefaultROSANamespace)
		setInt(&t.ROSA.Instances, DefaultROSAInstances)
		setString(&t.ROSA.KubeContext, t.ROSA.Cluster)
	}
}

func defaultECS(e *ECSTarget, region string) {
	setInt(&e.Tasks, DefaultECSTasks)
	setInt(&e.CPU, DefaultECSCPU)
	setInt(&e.Memory, DefaultECSMemory)
	setInt(&e.LogRetentionDays, DefaultLogRetentionDays)
	if len(e.Zones) == 0 {
		e.Zones = zonesFromSubnets(e.Subnets.Private)
	}
	if len(e.Zones) == 0 {
		e.Zones = DefaultZones(region, e.Tasks)
	}
	if len(e.Subnets.Private) == 0 {
		e.Subnets.Private = carveSubnets(e.VPC.CIDR, e.Zones, ecsCarveBits, 0)
	}
	if len(e.Subnets.Public) == 0 {
		e.Subnets.Public = carveSubnets(e.VPC.CIDR, e.Zones, ecsCarveBits, maxCarvedZones)
	}
	// NAT gateways exist only in a VPC kcstack creates: an existing VPC
	// keeps the field empty, so that validation can refuse it when written.
	if e.VPC.CIDR != "" {
		setString(&e.NATGateways, NATPerZone)
	}
}

func defaultDiscovery(s *Stack) {
	d := &s.Spec.Discovery
	if d.Mode == "" {
		d.Mode = DiscoveryDNSPing
		if s.KeycloakVersion().AtLeast(26, 1) {
			d.Mode = DiscoveryJDBCPing
		}
	}
	switch d.Mode {
	case DiscoveryDNSPing:
		defaultDNSPing(s)
	case DiscoveryS3Ping:
		if d.S3Ping == nil {
			d.S3Ping = &S3Ping{}
		}
		setString(&d.S3Ping.Bucket, s.Metadata.Name+"-"+s.Spec.Region+"-jgroups")
	case DiscoveryKubePing:
		if d.KubePing == nil {
			d.KubePing = &KubePing{}
		}
		if len(d.KubePing.Labels) == 0 {
			d.KubePing.Labels = map[string]string{"app": "keycloak"}
		}
		setInt(&d.KubePing.PortRange, DefaultKubePingPortRange)
	}
}

func defaultDNSPing(s *Stack) {
	d := &s.Spec.Discovery
	if d.DNSPing == nil {
		d.DNSPing = &DNSPing{}
	}
	// The Cloud Map namespace and TTL mean something on ECS only: a ROSA-only
	// stack keeps them empty, so that validation can refuse them when written.
	if s.HasECS() {
		setString(&d.DNSPing.Namespace, s.Metadata.Name+".kcstack.internal")
		setInt(&d.DNSPing.TTL, DefaultDNSTTL)
	}
	setString(&d.DNSPing.ServiceName, DefaultDNSServiceName)
}

// DefaultZones returns the zones used when none are listed: <region>a and
// <region>b, plus <region>c for three or more nodes.
func DefaultZones(region string, nodes int) []string {
	if region == "" {
		return nil
	}
	n := 2
	if nodes >= 3 {
		n = 3
	}
	zones := make([]string, n)
	for i := range zones {
		zones[i] = region + string(rune('a'+i))
	}
	return zones
}

// carveSubnets returns one subnet per zone: zone i gets part offset+i of
// the CIDR split in 2^bits equal parts. It returns nil when the CIDR is
// missing or invalid, or too small; Validate reports why.
func carveSubnets(cidr string, zones []string, bits, offset int) []Subnet {
	p, err := parseCIDR(cidr)
	if err != nil || len(zones) > maxCarvedZones {
		return nil
	}
	subnets := make([]Subnet, 0, len(zones))
	for i, z := range zones {
		part, ok := carve(p, bits, offset+i)
		if !ok {
			return nil
		}
		subnets = append(subnets, Subnet{Zone: z, CIDR: part.String()})
	}
	return subnets
}

func zonesFromSubnets(subnets []Subnet) []string {
	var zones []string
	for _, s := range subnets {
		if s.Zone == "" {
			return nil
		}
		zones = append(zones, s.Zone)
	}
	return zones
}

// MinNodes returns the smallest node count of any target (ECS tasks or
// ROSA instances), 0 without targets.
func (s *Stack) MinNodes() int {
	least := 0
	for _, t := range s.Spec.Targets {
		n := t.Nodes()
		if n > 0 && (least == 0 || n < least) {
			least = n
		}
	}
	return least
}

// Nodes returns the number of Keycloak nodes of the target.
func (t Target) Nodes() int {
	switch {
	case t.ECS != nil:
		return t.ECS.Tasks
	case t.ROSA != nil:
		return t.ROSA.Instances
	}
	return 0
}

// Target kinds, as TargetOf names them.
const (
	TargetECS  = "ecs"
	TargetROSA = "rosa"
)

// KindName returns the target's kind: TargetECS, TargetROSA, or "" for
// neither.
func (t Target) KindName() string {
	switch {
	case t.ECS != nil:
		return TargetECS
	case t.ROSA != nil:
		return TargetROSA
	}
	return ""
}

// TargetOf returns the target of kind (TargetECS or TargetROSA) named name,
// or the first target of that kind when name is empty; the error lists the
// targets of the kind.
func (s *Stack) TargetOf(kind, name string) (Target, error) {
	var names []string
	for _, t := range s.Spec.Targets {
		if t.KindName() != kind {
			continue
		}
		if name == "" || t.Name == name {
			return t, nil
		}
		names = append(names, t.Name)
	}
	if len(names) == 0 {
		return Target{}, fmt.Errorf("stack %s has no %s target", s.Metadata.Name, kind)
	}
	return Target{}, fmt.Errorf("stack %s has no %s target %q; its %s targets: %s", s.Metadata.Name, kind, name, kind, strings.Join(names, ", "))
}

// HasECS reports whether any target runs on ECS.
func (s *Stack) HasECS() bool {
	for _, t := range s.Spec.Targets {
		if t.ECS != nil {
			return true
		}
	}
	return false
}

// HasROSA reports whether any target runs on ROSA.
func (s *Stack) HasROSA() bool {
	for _, t := range s.Spec.Targets {
		if t.ROSA != nil {
			return true
		}
	}
	return false
}

func firstNonZero(vs ...int) int {
	for _, v := range vs {
		if v != 0 {
			return v
		}
	}
	return 0
}

func setInt(p *int, v int) {
	if *p == 0 {
		*p = v
	}
}

func setString(p *string, v string) {
	if *p == "" {
		*p = v
	}
}

func setBool(p **bool, v bool) {
	if *p == nil {
		*p = &v
	}
}
