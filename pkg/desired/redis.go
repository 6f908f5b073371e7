package desired

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/kcstack/kcstack/pkg/kube"
	"github.com/kcstack/kcstack/pkg/resource"
	"github.com/kcstack/kcstack/pkg/stack"
)

// ComponentRedis groups the stack's Redis (ElastiCache) and its users.
const ComponentRedis = "redis"

// Addresses of the Redis resources.
const (
	// AddrRedisSubnetGroup is the cache subnet group.
	AddrRedisSubnetGroup = "redis.subnet-group"
	// AddrRedisSG is the replication group's security group, in the
	// database VPC.
	AddrRedisSG = "redis.security-group"
	// AddrRedisDefaultUser is the disabled user named default that takes
	// the place of ElastiCache's default user in the user group.
	AddrRedisDefaultUser = "redis.default-user"
	// AddrRedisUserGroup is the user group of the replication group.
	AddrRedisUserGroup = "redis.user-group"
	// AddrRedisReplicationGroup is the replication group.
	AddrRedisReplicationGroup = "redis.replication-group"
)

// RedisUserAddr is the address of the user of application key
// (<name>-<environment>).
func RedisUserAddr(key string) string { return "redis.user[" + key + "]" }

// RedisSecretAddr is the address of the password secret of application key.
func RedisSecretAddr(key string) string { return "redis.secret[" + key + "]" }

// Settings of the Redis resources.
const (
	redisEngine = "redis"
	// redisPasswordLength is the length of the generated passwords.
	redisPasswordLength = 32
	// redisRecoveryDays is how long a deleted password secret can be
	// restored.
	redisRecoveryDays = "7"
	// redisDefaultAccess disables the default user: no command, no key.
	redisDefaultAccess = "off -@all"
)

// The props of a task definition (and of a ROSA target's Secret) that
// hold the replication group's primary endpoint and the ARN of an
// application's secret.
const propRedisEndpoint = kube.PropRedisEndpoint

func redisSecretProp(key string) string { return kube.RedisSecretProp(key) }

// redis adds the stack's Redis: the subnet group (the database's subnets
// or its own), the security group, the disabled default user, a secret
// and a user per application, the user group and the replication group.
// redisIngress adds the group's rules once the targets are in.
func (b *builder) redis() {
	r := b.s.Spec.Redis
	if r == nil {
		return
	}
	comp, id := ComponentRedis, stack.RedisGroupID(b.s)
	subnets := b.redisSubnets()
	b.add(resource.Desired{Address: AddrRedisSubnetGroup, Kind: resource.KindCacheSubnetGroup, Component: comp, Name: id,
		Props: resource.Props{
			"name": id, "description": fmt.Sprintf("Redis subnets of kcstack stack %s", b.s.Metadata.Name), "subnet_ids": subnets,
		},
		DependsOn: refAddrs(subnets), Tags: map[string]string{"Name": id}})
	b.add(resource.Desired{Address: AddrRedisSG, Kind: resource.KindSecurityGroup, Component: comp, Name: id,
		Props: resource.Props{
			"vpc_id": ref(AddrAuroraVPC, "id"), "group_name": id,
			"description": fmt.Sprintf("Redis of kcstack stack %s", b.s.Metadata.Name),
		},
		DependsOn: []string{AddrAuroraVPC}, Tags: map[string]string{"Name": id}})
	users := []any{ref(AddrRedisDefaultUser, "id")}
	b.add(resource.Desired{Address: AddrRedisDefaultUser, Kind: resource.KindCacheUser, Component: comp, Name: "default (disabled)",
		Props: resource.Props{
			"user_id": stack.RedisDefaultUserID(b.s), "user_name": "default", "engine": redisEngine, "access_string": redisDefaultAccess,
		},
		Tags: map[string]string{"Name": stack.RedisDefaultUserID(b.s)}})
	for _, a := range r.Applications {
		b.redisApplication(a)
		users = append(users, ref(RedisUserAddr(a.Key()), "id"))
	}
	slices.SortFunc(users, func(x, y any) int { return strings.Compare(x.(resource.Ref).Address, y.(resource.Ref).Address) })
	b.add(resource.Desired{Address: AddrRedisUserGroup, Kind: resource.KindCacheUserGroup, Component: comp, Name: id,
		Props:     resource.Props{"user_group_id": id, "engine": redisEngine, "user_ids": users},
		DependsOn: refAddrs(users), Tags: map[string]string{"Name": id}})
	b.replicationGroup(id)
}

// redisSubnets returns references to the subnets of the cache subnet
// group: the database's, or its own (created in the database VPC and
// associated with the database's route table, or looked up by id).
func (b *builder) redisSubnets() []any {
	r, a := b.s.Spec.Redis, b.s.Spec.Database.Aurora
	var out []any
	if len(r.Subnets) == 0 {
		for _, sn := range a.Subnets {
			out = append(out, ref(subnetAddr("database", sn), "id"))
		}
		return out
	}
	name := stack.RedisGroupID(b.s)
	for _, sn := range r.Subnets {
		addr := subnetAddr(ComponentRedis, sn)
		if sn.ID != "" {
			out = append(out, b.subnet(ComponentRedis, ComponentRedis, name, sn))
			continue
		}
		b.add(resource.Desired{Address: addr, Kind: resource.KindSubnet, Component: ComponentRedis, Name: sn.Zone,
			Props:     resource.Props{"vpc_id": ref(AddrAuroraVPC, "id"), "cidr_block": sn.CIDR, "availability_zone": sn.Zone},
			DependsOn: []string{AddrAuroraVPC}, Tags: map[string]string{"Name": name + "-" + sn.Zone}})
		b.add(resource.Desired{Address: "redis.route-table-association[" + sn.Zone + "]", Kind: resource.KindRouteTableAssoc, Component: ComponentRedis, Name: sn.Zone,
			Props:     resource.Props{"route_table_id": ref(AddrAuroraRouteTable, "id"), "subnet_id": ref(addr, "id")},
			DependsOn: []string{AddrAuroraRouteTable, addr}})
		out = append(out, ref(addr, "id"))
	}
	return out
}

// redisIngress opens 6379 on the Redis group to every source an
// application lists, once each: an ECS target's task group, a ROSA
// target's machine network, a CIDR.
func (b *builder) redisIngress() {
	if b.s.Spec.Redis == nil {
		return
	}
	seen := map[string]bool{}
	for _, a := range b.s.Spec.Redis.Applications {
		for _, f := range a.From {
			if seen[f] {
				continue
			}
			seen[f] = true
			peer, label := resource.Props{"cidr_ipv4": f}, f
			if t, ok := b.target(f); ok {
				switch {
				case t.ECS != nil:
					peer, label = resource.Props{"source_group_id": ref("targets."+t.Name+".task-security-group", "id")}, "ECS target "+t.Name
				case t.ROSA != nil:
					peer, label = resource.Props{"cidr_ipv4": t.ROSA.MachineCIDR}, "ROSA target "+t.Name
				}
			}
			b.rule(ComponentRedis, redisIngressAddr(f), AddrRedisSG, ingress, stack.RedisPort, peer, "Redis from "+label)
		}
	}
}

func redisIngressAddr(from string) string { return "redis.ingress[" + from + "]" }

// target returns the target named name.
func (b *builder) target(name string) (stack.Target, bool) {
	for _, t := range b.s.Spec.Targets {
		if t.Name == name {
			return t, true
		}
	}
	return stack.Target{}, false
}

// redisApplication adds the secret holding the application's generated
// password and its user, confined to its key prefix, whose password
// follows the secret's current version.
func (b *builder) redisApplication(a stack.RedisApplication) {
	key, secret := a.Key(), RedisSecretAddr(a.Key())
	name := a.SecretName(b.s)
	b.add(resource.Desired{Address: secret, Kind: resource.KindSecret, Component: ComponentRedis, Name: name,
		Props: resource.Props{
			"name":            name,
			"description":     fmt.Sprintf("Redis password of %s in %s (kcstack stack %s)", a.Name, a.Environment, b.s.Metadata.Name),
			"username":        key,
			"password_length": int64(redisPasswordLength),
		},
		Options: map[string]string{"recovery_window_days": redisRecoveryDays},
		Tags:    map[string]string{"Name": name}})
	b.add(resource.Desired{Address: RedisUserAddr(key), Kind: resource.KindCacheUser, Component: ComponentRedis, Name: key,
		Props: resource.Props{
			"user_id": a.UserID(b.s), "user_name": key, "engine": redisEngine, "access_string": a.AccessString(),
			"password_secret_arn": ref(secret, "arn"), "password_version": ref(secret, "version_id"),
		},
		DependsOn: []string{secret}, Tags: map[string]string{"Name": a.UserID(b.s)}})
}

// replicationGroup adds the replication group: TLS in transit and
// encryption at rest, authentication through the user group, a writer and
// its replicas with automatic failover and Multi-AZ.
func (b *builder) replicationGroup(id string) {
	r := b.s.Spec.Redis
	opts := map[string]string{"skip_final_snapshot": strconv.FormatBool(r.SkipFinalSnapshot)}
	if !r.SkipFinalSnapshot {
		final := r.FinalSnapshotIdentifier
		if final == "" {
			final = id + "-final"
		}
		opts["final_snapshot_identifier"] = final
	}
	retention := stack.DefaultRedisSnapshotRetention
	if r.SnapshotRetentionDays != nil {
		retention = *r.SnapshotRetentionDays
	}
	deps := []string{AddrRedisSubnetGroup, AddrRedisSG, AddrRedisUserGroup}
	b.add(resource.Desired{Address: AddrRedisReplicationGroup, Kind: resource.KindReplicationGroup, Component: ComponentRedis, Name: id,
		Props: resource.Props{
			"replication_group_id":    id,
			"description":             fmt.Sprintf("Redis of kcstack stack %s", b.s.Metadata.Name),
			"engine":                  redisEngine,
			"engine_version":          r.EngineVersion,
			"node_type":               r.NodeType,
			"replicas":                int64(r.Replicas),
			"subnet_group":            ref(AddrRedisSubnetGroup, "name"),
			"security_group_ids":      []any{ref(AddrRedisSG, "id")},
			"user_group_ids":          []any{ref(AddrRedisUserGroup, "id")},
			"parameter_group":         r.ParameterGroup,
			"maintenance_window":      r.MaintenanceWindow,
			"snapshot_window":         r.SnapshotWindow,
			"snapshot_retention_days": int64(retention),
			"port":                    int64(stack.RedisPort),
			"transit_encryption":      true,
			"at_rest_encryption":      true,
			"automatic_failover":      true,
			"multi_az":                true,
		},
		Options: opts, DependsOn: deps, Tags: map[string]string{"Name": id}})
}

// redisTaskFacts returns, for ECS target t, the task definition's props
// naming the Redis facts its container needs (the primary endpoint and the
// secret of each application whose from names t) and the resources they
// come from; nothing when no application names t.
func (b *builder) redisTaskFacts(t stack.Target) (resource.Props, []string) {
	apps := b.s.RedisFrom(t.Name)
	if len(apps) == 0 {
		return nil, nil
	}
	props := resource.Props{propRedisEndpoint: ref(AddrRedisReplicationGroup, "primary_endpoint")}
	deps := []string{AddrRedisReplicationGroup}
	for _, a := range apps {
		props[redisSecretProp(a.Key())] = ref(RedisSecretAddr(a.Key()), "arn")
		deps = append(deps, RedisSecretAddr(a.Key()))
	}
	return props, deps
}

// redisSecrets are references to the ARNs of the secrets of the
// applications whose from names target: what its execution role may read.
func (b *builder) redisSecrets(target string) []any {
	var out []any
	for _, a := range b.s.RedisFrom(target) {
		out = append(out, ref(RedisSecretAddr(a.Key()), "arn"))
	}
	return out
}
