package desired

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/kcstack/kcstack/pkg/kube"
	"github.com/kcstack/kcstack/pkg/resource"
	"github.com/kcstack/kcstack/pkg/stack"
)

// Components group a plan's changes.
const (
	// ComponentDatabase groups the Aurora database and its network.
	ComponentDatabase = "database"
	componentTarget   = "target "
	componentPeer     = "peer "
)

// TargetComponent is the component of the resources of the target named
// name.
func TargetComponent(name string) string { return componentTarget + name }

// Addresses of the database's resources.
const (
	// AddrAuroraVPC is the Aurora VPC, owned or looked up.
	AddrAuroraVPC = "database.vpc"
	// AddrAuroraRouteTable is the route table of the Aurora subnets.
	AddrAuroraRouteTable = "database.route-table"
	// AddrAuroraSG is the security group of the Aurora cluster.
	AddrAuroraSG = "database.security-group"
	// AddrDBSubnetGroup is the DB subnet group of the Aurora subnets.
	AddrDBSubnetGroup = "database.subnet-group"
	// AddrDBCluster is the Aurora cluster.
	AddrDBCluster = "database.cluster"
)

// Resources returns every resource st describes, for a defaulted and valid
// stack, in dependency order. It never contacts AWS; it returns an error
// when the Keycloak task definition of an ECS target cannot be generated.
func Resources(st *stack.Stack) ([]resource.Desired, error) {
	b := &builder{s: st}
	b.database()
	b.redis()
	for _, t := range st.Spec.Targets {
		if t.ECS != nil {
			if err := b.ecsTarget(t); err != nil {
				return nil, err
			}
		}
		if t.ROSA != nil {
			b.peered(componentTarget+t.Name, "targets."+t.Name, t.ROSA.VPC, t.ROSA.MachineCIDR,
				fmt.Sprintf("ROSA cluster %s", t.ROSA.Cluster),
				fmt.Sprintf("the VPC of ROSA cluster %s must exist before kcstack peers it; check spec.targets (%s) and the cluster", t.ROSA.Cluster, t.Name))
			b.tagCluster("targets."+t.Name+".peering", t.ROSA)
		}
	}
	for _, p := range st.Spec.Peers {
		b.peered(componentPeer+p.Name, "peers."+p.Name, p.VPC, p.CIDR, "peer "+p.Name,
			fmt.Sprintf("peer VPC %s must exist; check spec.peers (%s)", p.Name, p.Name))
	}
	b.redisIngress()
	return b.out, nil
}

type builder struct {
	s   *stack.Stack
	out []resource.Desired
}

func (b *builder) add(d resource.Desired) {
	if d.Lookup == nil {
		d.Tags = b.tags(d.Address, d.Tags["Name"])
	}
	b.out = append(b.out, d)
}

// tags are the tags set at creation: the user's spec.tags, a Name, and the
// ownership tags, which win over anything the user set.
func (b *builder) tags(address, name string) map[string]string {
	t := map[string]string{}
	for k, v := range b.s.Spec.Tags {
		t[k] = v
	}
	if name != "" {
		t["Name"] = name
	}
	t[resource.TagStack] = b.s.Metadata.Name
	t[resource.TagAddress] = address
	return t
}

func ref(addr, attr string) resource.Ref { return resource.Ref{Address: addr, Attr: attr} }

func (b *builder) database() {
	a := b.s.Spec.Database.Aurora
	name := b.s.Metadata.Name + "-aurora"
	comp := ComponentDatabase
	b.vpc(comp, AddrAuroraVPC, name, a.VPC, "the Aurora VPC must exist; check spec.database.aurora.vpc")
	var subnetIDs []any
	for _, sn := range a.Subnets {
		id := b.subnet(comp, "database", name, sn)
		subnetIDs = append(subnetIDs, id)
	}
	b.add(resource.Desired{Address: AddrAuroraRouteTable, Kind: resource.KindRouteTable, Component: comp, Name: name,
		Props: resource.Props{"vpc_id": ref(AddrAuroraVPC, "id")}, DependsOn: []string{AddrAuroraVPC},
		Tags: map[string]string{"Name": name}})
	for _, sn := range a.Subnets {
		if sn.ID != "" {
			continue
		}
		sub := subnetAddr("database", sn)
		b.add(resource.Desired{Address: "database.route-table-association[" + sn.Zone + "]", Kind: resource.KindRouteTableAssoc, Component: comp, Name: sn.Zone,
			Props:     resource.Props{"route_table_id": ref(AddrAuroraRouteTable, "id"), "subnet_id": ref(sub, "id")},
			DependsOn: []string{AddrAuroraRouteTable, sub}})
	}
	b.add(resource.Desired{Address: AddrAuroraSG, Kind: resource.KindSecurityGroup, Component: comp, Name: name,
		Props: resource.Props{
			"vpc_id": ref(AddrAuroraVPC, "id"), "group_name": name,
			"description": fmt.Sprintf("Aurora PostgreSQL of kcstack stack %s", b.s.Metadata.Name),
		},
		DependsOn: []string{AddrAuroraVPC}, Tags: map[string]string{"Name": name}})
	b.add(resource.Desired{Address: AddrDBSubnetGroup, Kind: resource.KindDBSubnetGroup, Component: comp, Name: name,
		Props: resource.Props{
			"name": name, "description": fmt.Sprintf("Aurora subnets of kcstack stack %s", b.s.Metadata.Name),
			"subnet_ids": subnetIDs,
		},
		DependsOn: refAddrs(subnetIDs)})
	b.cluster(comp, name)
	zones := writerFirst(a.Zones, a.WriterZone)
	for i := 0; i < a.Instances; i++ {
		b.instance(comp, i, zones)
	}
}

// writerFirst returns zones starting at the writer's zone (unchanged when
// it is empty), so that instance 0, the writer, goes there and the readers
// spread over the zones that follow.
func writerFirst(zones []string, writer string) []string {
	i := slices.Index(zones, writer)
	if i < 0 {
		return zones
	}
	return append(slices.Clone(zones[i:]), zones[:i]...)
}

// maxPromotionTier is the lowest failover priority RDS has.
const maxPromotionTier = 15

func (b *builder) cluster(comp, name string) {
	a := b.s.Spec.Database.Aurora
	opts := map[string]string{"skip_final_snapshot": strconv.FormatBool(a.SkipFinalSnapshot)}
	if !a.SkipFinalSnapshot {
		final := a.FinalSnapshotIdentifier
		if final == "" {
			final = a.ClusterIdentifier + "-final"
		}
		opts["final_snapshot_identifier"] = final
	}
	b.add(resource.Desired{Address: AddrDBCluster, Kind: resource.KindDBCluster, Component: comp, Name: a.ClusterIdentifier,
		Props: resource.Props{
			"identifier":                  a.ClusterIdentifier,
			"engine":                      "aurora-postgresql",
			"engine_version":              a.EngineVersion,
			"database_name":               a.DatabaseName,
			"master_username":             a.MasterUsername,
			"manage_master_user_password": true,
			"port":                        int64(a.Port),
			"db_subnet_group_name":        ref(AddrDBSubnetGroup, "name"),
			"vpc_security_group_ids":      []any{ref(AddrAuroraSG, "id")},
			"storage_encrypted":           true,
			"deletion_protection":         a.DeletionProtection == nil || *a.DeletionProtection,
			"backup_retention_period":     int64(a.BackupRetentionDays),
		},
		Options:   opts,
		DependsOn: []string{AddrDBSubnetGroup, AddrAuroraSG},
		Tags:      map[string]string{"Name": name},
	})
}

// instance adds DB instance i in zones[i % len(zones)]. Instance 0 is the
// writer: the readers wait for it (the first instance of a cluster is its
// writer), and it has failover priority 0 (promotion_tier), the readers 1
// and up in order, so failover follows a known order.
func (b *builder) instance(comp string, i int, zones []string) {
	a := b.s.Spec.Database.Aurora
	id := fmt.Sprintf("%s-%d", a.ClusterIdentifier, i+1)
	props := resource.Props{
		"identifier": id,
		// A reference, not the name: when the cluster is replaced its
		// instances cannot outlive it (RDS refuses to delete a cluster
		// with instances), so they are replaced with it.
		"cluster_identifier": ref(AddrDBCluster, "id"),
		"engine":             "aurora-postgresql",
		"instance_class":     a.InstanceClass,
		"promotion_tier":     int64(min(i, maxPromotionTier)),
	}
	if len(zones) > 0 {
		props["availability_zone"] = zones[i%len(zones)]
	}
	deps := []string{AddrDBCluster, AddrDBSubnetGroup}
	if i > 0 {
		deps = append(deps, instanceAddr(0))
	}
	b.add(resource.Desired{Address: instanceAddr(i), Kind: resource.KindDBInstance, Component: comp, Name: id,
		Props: props, DependsOn: deps, Tags: map[string]string{"Name": id}})
}

func instanceAddr(i int) string { return fmt.Sprintf("database.instance[%d]", i) }

// vpc adds an owned VPC (cidr) or a looked-up one (id or tags).
func (b *builder) vpc(comp, addr, name string, v stack.VPCRef, hint string) {
	if v.CIDR == "" {
		b.add(resource.Desired{Address: addr, Kind: resource.KindVPC, Component: comp, Name: name,
			Lookup: &resource.Lookup{ID: v.ID, Tags: v.Tags, Hint: hint}})
		return
	}
	b.add(resource.Desired{Address: addr, Kind: resource.KindVPC, Component: comp, Name: name,
		Props: resource.Props{"cidr_block": v.CIDR}, Tags: map[string]string{"Name": name}})
}

func subnetAddr(prefix string, sn stack.Subnet) string {
	if sn.ID != "" {
		return prefix + ".subnet[" + sn.ID + "]"
	}
	return prefix + ".subnet[" + sn.Zone + "]"
}

// subnet adds an owned subnet (zone and cidr) or a looked-up one (id) and
// returns a reference to its id.
func (b *builder) subnet(comp, prefix, name string, sn stack.Subnet) resource.Ref {
	addr := subnetAddr(prefix, sn)
	if sn.ID != "" {
		b.add(resource.Desired{Address: addr, Kind: resource.KindSubnet, Component: comp, Name: sn.ID,
			Lookup: &resource.Lookup{ID: sn.ID, Hint: "the subnet must exist"}})
		return ref(addr, "id")
	}
	vpc := prefix + ".vpc"
	b.add(resource.Desired{Address: addr, Kind: resource.KindSubnet, Component: comp, Name: sn.Zone,
		Props:     resource.Props{"vpc_id": ref(vpc, "id"), "cidr_block": sn.CIDR, "availability_zone": sn.Zone},
		DependsOn: []string{vpc}, Tags: map[string]string{"Name": name + "-" + sn.Zone}})
	return ref(addr, "id")
}

// peered adds what connects an existing VPC with the Aurora VPC: the VPC
// lookup, the peering and its routes, and 5432 from cidr on the database's
// group.
func (b *builder) peered(comp, prefix string, v stack.VPCRef, cidr, label, hint string) {
	vpc := prefix + ".vpc"
	b.vpc(comp, vpc, label, v, hint)
	b.peering(comp, prefix, vpc, cidr, label, nil)
	b.databaseIngress(comp, prefix, label, resource.Props{"cidr_ipv4": cidr})
}

// peering adds the peering of vpc (whose CIDR is cidr, a string or a Ref)
// with the Aurora VPC, and routes on both sides in the route tables
// actually associated with the subnets in use; on the far side, in tables
// when kcstack owns the VPC's route tables (its own VPC of an ECS target),
// so that the route is in a new table before a subnet moves to it.
func (b *builder) peering(comp, prefix, vpc string, cidr any, label string, tables []string) {
	dbCIDR := b.databaseCIDR()
	peering := prefix + ".peering"
	b.add(resource.Desired{Address: peering, Kind: resource.KindPeering, Component: comp, Name: label,
		Props: resource.Props{
			"vpc_id": ref(AddrAuroraVPC, "id"), "peer_vpc_id": ref(vpc, "id"), "peer_region": b.s.Spec.Region,
		},
		DependsOn: []string{AddrAuroraVPC, vpc}, Tags: map[string]string{"Name": b.s.Metadata.Name + " " + label}})
	to := resource.Props{"vpc_id": ref(vpc, "id"), "destination_cidr_block": dbCIDR, "vpc_peering_connection_id": ref(peering, "id")}
	deps := append(b.networkOf(prefix), peering, vpc)
	if len(tables) > 0 {
		var ids []any
		for _, t := range tables {
			ids = append(ids, ref(t, "id"))
		}
		to["route_table_ids"] = ids
		deps = append(slices.Clone(tables), peering, vpc)
	} else {
		to["subnets_within"] = cidr
	}
	b.add(resource.Desired{Address: prefix + ".routes-to-database", Kind: resource.KindRoute, Component: comp, Name: label + " → database",
		Props: to, DependsOn: deps})
	b.add(resource.Desired{Address: prefix + ".routes-from-database", Kind: resource.KindRoute, Component: comp, Name: "database → " + label,
		Props: resource.Props{
			"vpc_id": ref(AddrAuroraVPC, "id"), "subnets_within": dbCIDR, "destination_cidr_block": cidr,
			"vpc_peering_connection_id": ref(peering, "id"),
		},
		DependsOn: append(b.networkOf("database"), peering, AddrAuroraVPC)})
}

// tagCluster adds to the peering at address the tags naming where the
// ROSA target's in-cluster part lives (kube.TagContext, kube.TagNamespace):
// once the target is gone from the file, they lead to its objects.
func (b *builder) tagCluster(address string, r *stack.ROSATarget) {
	for i := range b.out {
		if b.out[i].Address == address {
			b.out[i].Tags[kube.TagContext] = r.KubeContext
			b.out[i].Tags[kube.TagNamespace] = r.Namespace
		}
	}
}

// databaseCIDR is the Aurora VPC's CIDR: the file's for a VPC kcstack
// owns, read from AWS for one it only references (given by id or tags).
func (b *builder) databaseCIDR() any {
	if c := b.s.Spec.Database.Aurora.VPC.CIDR; c != "" {
		return c
	}
	return ref(AddrAuroraVPC, "cidr_block")
}

// databaseIngress opens the database port to source (a cidr_ipv4 or a
// source_group_id) on the database's group.
func (b *builder) databaseIngress(comp, prefix, label string, source resource.Props) {
	b.rule(comp, prefix+".database-ingress", AddrAuroraSG, ingress, b.s.Spec.Database.Aurora.Port, source, "PostgreSQL from "+label)
}

// networkOf lists what must exist before peering routes go into the route
// tables of the subnets under prefix: every route table association.
func (b *builder) networkOf(prefix string) []string {
	var deps []string
	for _, d := range b.out {
		if d.Kind == resource.KindRouteTableAssoc && len(d.Address) > len(prefix) && d.Address[:len(prefix)+1] == prefix+"." {
			deps = append(deps, d.Address)
		}
	}
	return deps
}

func refAddrs(vals []any) []string {
	var out []string
	for _, v := range vals {
		if r, ok := v.(resource.Ref); ok {
			out = append(out, r.Address)
		}
	}
	return out
}
