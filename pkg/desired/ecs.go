package desired

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"

	"github.com/kcstack/kcstack/pkg/keycloak"
	"github.com/kcstack/kcstack/pkg/resource"
	"github.com/kcstack/kcstack/pkg/stack"
)

// Ports of a Keycloak node.
const (
	portHTTP         = 8080
	portManagement   = 9000
	portJGroups      = 7800
	portJGroupsFD    = 57800
	portHTTPS        = 443
	portHTTPRedirect = 80
)

// ecsTarget adds the network of an ECS target and what connects it with
// the database: a VPC with public subnets (load balancer, NAT) and private
// subnets (tasks) across its zones, an internet gateway, NAT gateways,
// route tables; security groups of least privilege; the peering with the
// Aurora VPC and 5432 from the tasks' group only.
func (b *builder) ecsTarget(t stack.Target) error {
	e := t.ECS
	comp := componentTarget + t.Name
	prefix := "targets." + t.Name
	name := b.s.Metadata.Name + "-" + t.Name
	vpc := prefix + ".vpc"
	b.vpc(comp, vpc, name, e.VPC, fmt.Sprintf("the VPC of target %s must exist; check spec.targets (%s).ecs.vpc", t.Name, t.Name))
	var tables []string
	if e.VPC.CIDR != "" {
		tables = b.ecsNetwork(comp, prefix, name, e)
	} else {
		for _, sn := range append(append([]stack.Subnet(nil), e.Subnets.Public...), e.Subnets.Private...) {
			b.subnet(comp, prefix, name, sn)
		}
	}
	b.ecsSecurityGroups(comp, prefix, name)
	if len(b.s.RedisFrom(t.Name)) > 0 {
		b.rule(comp, prefix+".task-egress[redis]", prefix+".task-security-group", egress, stack.RedisPort,
			resource.Props{"cidr_ipv4": b.databaseCIDR()}, "Redis to the database VPC")
	}
	cidr := any(e.VPC.CIDR)
	if e.VPC.CIDR == "" {
		cidr = ref(vpc, "cidr_block")
	}
	b.peering(comp, prefix, vpc, cidr, "ECS target "+t.Name, tables)
	b.databaseIngress(comp, prefix, "ECS target "+t.Name, resource.Props{"source_group_id": ref(prefix+".task-security-group", "id")})
	return b.ecsService(t)
}

// ecsNetwork adds the network of a new VPC and returns its route tables:
// the public subnets route to the internet gateway; the private subnets of
// each zone route to the NAT gateway of their zone (perZone) or all to
// one NAT gateway in the first zone (single). A private subnet moves to
// its table only once the table routes to its NAT gateway and to the
// database, so that changing the layout never leaves tasks without a way
// out.
func (b *builder) ecsNetwork(comp, prefix, name string, e *stack.ECSTarget) []string {
	vpc := prefix + ".vpc"
	igw := prefix + ".internet-gateway"
	b.add(resource.Desired{Address: igw, Kind: resource.KindInternetGateway, Component: comp, Name: name,
		Props: resource.Props{"vpc_id": ref(vpc, "id")}, DependsOn: []string{vpc}, Tags: map[string]string{"Name": name}})
	public := b.routeTable(comp, prefix, name, "public")
	for _, sn := range e.Subnets.Public {
		b.ecsSubnet(comp, prefix, name, tierSubnet("public", sn), public, nil)
	}
	b.defaultRoute(comp, prefix, "public", "gateway_id", igw)
	tables := []string{public}
	nats := b.natGateways(comp, prefix, name, e)
	for _, sn := range e.Subnets.Private {
		tier := "private"
		if e.NATGateways != stack.NATSingle {
			tier = "private-" + sn.Zone
		}
		table := prefix + ".route-table[" + tier + "]"
		if !slices.Contains(tables, table) {
			b.routeTable(comp, prefix, name, tier)
			b.defaultRoute(comp, prefix, tier, "nat_gateway_id", natFor(nats, sn.Zone))
			tables = append(tables, table)
		}
		b.ecsSubnet(comp, prefix, name, tierSubnet("private", sn), table,
			[]string{prefix + ".default-route[" + tier + "]", prefix + ".routes-to-database"})
	}
	return tables
}

// natGateways adds the NAT gateways with their elastic IPs, in the public
// subnet of every zone (perZone) or of the first zone only (single), and
// returns their addresses by zone.
func (b *builder) natGateways(comp, prefix, name string, e *stack.ECSTarget) map[string]string {
	igw := prefix + ".internet-gateway"
	out := map[string]string{}
	for i, sn := range e.Subnets.Public {
		// single keeps the addresses and names of one gateway per target.
		suffix, eipName, natName := "["+sn.Zone+"]", name+"-nat-"+sn.Zone, name+"-nat-"+sn.Zone
		if e.NATGateways == stack.NATSingle {
			if i > 0 {
				break
			}
			suffix, eipName, natName = "", name+"-nat", name
		}
		eip, nat := prefix+".nat-address"+suffix, prefix+".nat-gateway"+suffix
		subnet := prefix + ".subnet[public-" + sn.Zone + "]"
		b.add(resource.Desired{Address: eip, Kind: resource.KindElasticIP, Component: comp, Name: eipName,
			Props: resource.Props{"domain": "vpc"}, Tags: map[string]string{"Name": eipName}, DependsOn: []string{igw}})
		b.add(resource.Desired{Address: nat, Kind: resource.KindNATGateway, Component: comp, Name: natName,
			Props:     resource.Props{"subnet_id": ref(subnet, "id"), "allocation_id": ref(eip, "allocation_id")},
			DependsOn: []string{subnet, eip, igw}, Tags: map[string]string{"Name": natName}})
		out[sn.Zone] = nat
	}
	return out
}

// natFor returns the NAT gateway of zone, or, for a zone without one (a
// single gateway, or no public subnet there), the first zone's.
func natFor(nats map[string]string, zone string) string {
	if nat, ok := nats[zone]; ok {
		return nat
	}
	return nats[resource.SortedKeys(nats)[0]]
}

// routeTable adds the route table of tier ("public", "private" or
// "private-<zone>") and returns its address.
func (b *builder) routeTable(comp, prefix, name, tier string) string {
	table := prefix + ".route-table[" + tier + "]"
	b.add(resource.Desired{Address: table, Kind: resource.KindRouteTable, Component: comp, Name: name + "-" + tier,
		Props: resource.Props{"vpc_id": ref(prefix+".vpc", "id")}, DependsOn: []string{prefix + ".vpc"}, Tags: map[string]string{"Name": name + "-" + tier}})
	return table
}

// tierSubnet returns sn with its Zone written "<tier>-<zone>".
func tierSubnet(tier string, sn stack.Subnet) stack.Subnet {
	sn.Zone = tier + "-" + sn.Zone
	return sn
}

// ecsSubnet adds a subnet whose Zone is "<tier>-<zone>" and its
// association with table, made (or moved) only after what also lists.
func (b *builder) ecsSubnet(comp, prefix, name string, sn stack.Subnet, table string, after []string) {
	_, zone, _ := strings.Cut(sn.Zone, "-")
	addr := prefix + ".subnet[" + sn.Zone + "]"
	vpc := prefix + ".vpc"
	b.add(resource.Desired{Address: addr, Kind: resource.KindSubnet, Component: comp, Name: sn.Zone,
		Props:     resource.Props{"vpc_id": ref(vpc, "id"), "cidr_block": sn.CIDR, "availability_zone": zone},
		DependsOn: []string{vpc}, Tags: map[string]string{"Name": name + "-" + sn.Zone}})
	b.add(resource.Desired{Address: prefix + ".route-table-association[" + sn.Zone + "]", Kind: resource.KindRouteTableAssoc, Component: comp, Name: sn.Zone,
		Props:     resource.Props{"route_table_id": ref(table, "id"), "subnet_id": ref(addr, "id")},
		DependsOn: append([]string{table, addr}, after...)})
}

// defaultRoute sends the traffic of tier's table for everything else to
// target (the internet gateway for public subnets, a NAT gateway for
// private ones).
func (b *builder) defaultRoute(comp, prefix, tier, targetProp, target string) {
	table := prefix + ".route-table[" + tier + "]"
	b.add(resource.Desired{Address: prefix + ".default-route[" + tier + "]", Kind: resource.KindRoute, Component: comp, Name: tier + " → 0.0.0.0/0",
		Props: resource.Props{
			"vpc_id": ref(prefix+".vpc", "id"), "route_table_id": ref(table, "id"), "destination_cidr_block": "0.0.0.0/0",
			targetProp: ref(target, "id"),
		},
		DependsOn: []string{table, target}})
}

// privateDefaultRoutes are the default routes of a new VPC's private
// route tables: what the tasks' outbound traffic needs.
func (b *builder) privateDefaultRoutes(prefix string) []string {
	var out []string
	for _, d := range b.out {
		if d.Kind == resource.KindRoute && strings.HasPrefix(d.Address, prefix+".default-route[private") {
			out = append(out, d.Address)
		}
	}
	return out
}

// ecsSecurityGroups adds the load balancer's group (443 from anywhere, 80
// only to redirect; out only to the tasks' Keycloak ports) and the tasks'
// group (HTTP and management from the load balancer only, JGroups between
// tasks only; out to the database, to JGroups peers and to HTTPS through
// the NAT gateway for Secrets Manager, ECR and CloudWatch Logs). kcstack
// revokes the allow-all egress rule EC2 gives every new group: these rules
// are all the egress there is.
func (b *builder) ecsSecurityGroups(comp, prefix, name string) {
	lb, tasks := prefix+".lb-security-group", prefix+".task-security-group"
	vpc := prefix + ".vpc"
	for addr, g := range map[string]string{lb: name + "-lb", tasks: name + "-tasks"} {
		b.add(resource.Desired{Address: addr, Kind: resource.KindSecurityGroup, Component: comp, Name: g,
			Props:     resource.Props{"vpc_id": ref(vpc, "id"), "group_name": g, "description": "kcstack " + g},
			DependsOn: []string{vpc}, Tags: map[string]string{"Name": g}})
	}
	anywhere := resource.Props{"cidr_ipv4": "0.0.0.0/0"}
	b.rule(comp, prefix+".lb-ingress[https]", lb, ingress, portHTTPS, anywhere, "HTTPS from anywhere")
	b.rule(comp, prefix+".lb-ingress[http]", lb, ingress, portHTTPRedirect, anywhere, "HTTP from anywhere, redirected to HTTPS")
	fromLB, toTasks := resource.Props{"source_group_id": ref(lb, "id")}, resource.Props{"source_group_id": ref(tasks, "id")}
	b.rule(comp, prefix+".task-ingress[http]", tasks, ingress, portHTTP, fromLB, "Keycloak HTTP from the load balancer")
	b.rule(comp, prefix+".lb-egress[http]", lb, egress, portHTTP, toTasks, "Keycloak HTTP to the tasks")
	if b.s.KeycloakVersion().AtLeast(25, 0) {
		b.rule(comp, prefix+".task-ingress[management]", tasks, ingress, portManagement, fromLB, "Keycloak health checks from the load balancer")
		b.rule(comp, prefix+".lb-egress[management]", lb, egress, portManagement, toTasks, "Keycloak health checks to the tasks")
	}
	b.rule(comp, prefix+".task-ingress[jgroups]", tasks, ingress, portJGroups, toTasks, "JGroups between Keycloak tasks")
	b.rule(comp, prefix+".task-ingress[jgroups-fd]", tasks, ingress, portJGroupsFD, toTasks, "JGroups failure detection between Keycloak tasks")
	b.rule(comp, prefix+".task-egress[jgroups]", tasks, egress, portJGroups, toTasks, "JGroups to Keycloak tasks")
	b.rule(comp, prefix+".task-egress[jgroups-fd]", tasks, egress, portJGroupsFD, toTasks, "JGroups failure detection to Keycloak tasks")
	b.rule(comp, prefix+".task-egress[database]", tasks, egress, b.s.Spec.Database.Aurora.Port, resource.Props{"cidr_ipv4": b.databaseCIDR()}, "PostgreSQL to the database VPC")
	b.rule(comp, prefix+".task-egress[https]", tasks, egress, portHTTPS, anywhere, "HTTPS through the NAT gateway (Secrets Manager, ECR, CloudWatch Logs)")
}

// Directions of a security group rule.
const (
	ingress = "ingress"
	egress  = "egress"
)

// rule adds a rule on group for one TCP port, in direction (ingress or
// egress), from or to peer (a cidr_ipv4 or a source_group_id, a string or
// a Ref).
func (b *builder) rule(comp, addr, group, direction string, port int, peer resource.Props, description string) {
	props := resource.Props{"group_id": ref(group, "id"), "type": direction, "protocol": "tcp",
		"from_port": int64(port), "to_port": int64(port), "description": description}
	deps := []string{group}
	for k, v := range peer {
		props[k] = v
		if r, ok := v.(resource.Ref); ok && r.Address != group {
			deps = append(deps, r.Address)
		}
	}
	b.add(resource.Desired{Address: addr, Kind: resource.KindSecurityGroupRule, Component: comp, Name: fmt.Sprintf("%d: %s", port, description),
		Props: props, DependsOn: deps, Tags: map[string]string{"Name": description}})
}

// Settings of the Keycloak service on ECS.
const (
	// managedExecutionPolicy lets ECS pull images and write logs.
	managedExecutionPolicy = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
	ecsTasksPrincipal      = "ecs-tasks.amazonaws.com"
	// healthCheckGracePeriod gives Keycloak time to start (and migrate an
	// empty database) before failed load balancer checks stop its task.
	healthCheckGracePeriod = 300
	tlsPolicy              = "ELBSecurityPolicy-TLS13-1-2-2021-06"
	// AddrBucket is the S3_PING bucket, shared by all ECS targets.
	AddrBucket = "discovery.bucket"
	// ComponentDiscovery groups stack-wide discovery resources.
	ComponentDiscovery = "discovery"
)

// ecsService adds what runs Keycloak on the target: log group, roles,
// cluster, task definition, load balancer with its target group and
// listeners, the discovery mode's resources, and the service.
func (b *builder) ecsService(t stack.Target) error {
	comp, prefix, name := componentTarget+t.Name, "targets."+t.Name, b.s.Metadata.Name+"-"+t.Name
	b.add(resource.Desired{Address: prefix + ".log-group", Kind: resource.KindLogGroup, Component: comp, Name: b.logGroup(t),
		Props: resource.Props{"name": b.logGroup(t), "retention_in_days": int64(t.ECS.LogRetentionDays)}})
	b.roles(comp, prefix, name, t.Name)
	b.add(resource.Desired{Address: prefix + ".cluster", Kind: resource.KindECSCluster, Component: comp, Name: name,
		Props: resource.Props{"name": name}})
	if err := b.taskDefinition(t, comp, prefix); err != nil {
		return err
	}
	b.loadBalancer(t, comp, prefix, name)
	registry := b.dnsDiscovery(t, comp, prefix)
	b.bucket()
	b.service(t, comp, prefix, name, registry)
	return nil
}

func (b *builder) logGroup(t stack.Target) string {
	return "/kcstack/" + b.s.Metadata.Name + "/" + t.Name
}

// roles adds the execution role (pull, logs, read the secrets the task
// definition names, the Redis applications' among them) and the task role (only what discovery needs).
func (b *builder) roles(comp, prefix, name, target string) {
	path := "/kcstack/" + b.s.Metadata.Name + "/"
	resources := append([]any{ref(AddrDBCluster, "master_user_secret_arn")}, b.extraSecrets()...)
	redis := b.redisSecrets(target)
	b.add(resource.Desired{Address: prefix + ".execution-role", Kind: resource.KindIAMRole, Component: comp, Name: name + "-execution",
		Props: resource.Props{
			"name": name + "-execution", "path": path, "trust_service": ecsTasksPrincipal, "trust_conditions": b.ecsTrustConditions(),
			"managed_policy_arns": []any{managedExecutionPolicy},
			"allow_actions":       []any{"secretsmanager:GetSecretValue"}, "allow_resources": append(resources, redis...),
		},
		DependsOn: append([]string{AddrDBCluster}, refAddrs(redis)...)})
	actions, buckets := []any{}, []any{}
	if s := b.s.Spec.Discovery.S3Ping; b.s.Spec.Discovery.Mode == stack.DiscoveryS3Ping && s != nil {
		actions = []any{"s3:DeleteObject", "s3:GetObject", "s3:ListBucket", "s3:PutObject"}
		buckets = []any{"arn:aws:s3:::" + s.Bucket, "arn:aws:s3:::" + s.Bucket + "/*"}
	}
	b.add(resource.Desired{Address: prefix + ".task-role", Kind: resource.KindIAMRole, Component: comp, Name: name + "-task",
		Props: resource.Props{
			"name": name + "-task", "path": path, "trust_service": ecsTasksPrincipal, "trust_conditions": b.ecsTrustConditions(),
			"managed_policy_arns": []any{}, "allow_actions": actions, "allow_resources": buckets,
		}})
}

// ecsTrustConditions let ECS assume a role only for tasks of the stack's
// account and region (no confused deputy): "<operator> <key>" → value,
// the account written as resource.Placeholder("account"), which the role
// handler fills in (the desired side never reads AWS).
func (b *builder) ecsTrustConditions() map[string]string {
	account := resource.Placeholder("account")
	return map[string]string{
		"StringEquals aws:SourceAccount": account,
		"ArnLike aws:SourceArn":          "arn:aws:ecs:" + b.s.Spec.Region + ":" + account + ":*",
	}
}

// extraSecrets are the Secrets Manager secrets besides the database's that
// the task definition reads (bootstrap admin, secret-like extra options).
func (b *builder) extraSecrets() []any {
	var out []any
	k := b.s.Spec.Keycloak
	if k.BootstrapAdmin != nil && k.BootstrapAdmin.PasswordSecretARN != "" {
		out = append(out, secretResource(k.BootstrapAdmin.PasswordSecretARN))
	}
	for _, opt := range resource.SortedKeys(k.ExtraOptions) {
		if v := k.ExtraOptions[opt]; stack.IsSecretARN(v) {
			out = append(out, secretResource(v))
		}
	}
	return out
}

// secretResource is the secret ARN of a valueFrom (which may name a JSON
// key after the ARN's seven parts).
func secretResource(valueFrom string) string {
	parts := strings.SplitN(valueFrom, ":", 8)
	return strings.Join(parts[:min(7, len(parts))], ":")
}

// Props of the task definition that hold what only exists after apply
// (and the log group, known): the generated container definitions name
// them with resource.Placeholder, and the handler fills them in.
const (
	propExecutionRoleARN = "execution_role_arn"
	propTaskRoleARN      = "task_role_arn"
	propWriterEndpoint   = "writer_endpoint"
	propDBSecretARN      = "db_secret_arn"
	propLogGroup         = "log_group"
)

// taskDefinition adds the Keycloak task definition, generated by
// pkg/keycloak with placeholders for the facts. The facts are its props
// (references until apply), which plans show; the generated settings and
// container definitions are its options, which plans never print, so that
// a plan shows the task definition as the facts it waits for.
func (b *builder) taskDefinition(t stack.Target, comp, prefix string) error {
	addr := prefix + ".task-definition"
	in, err := keycloak.TaskDefinition(b.s, t.Name, keycloak.Facts{
		WriterEndpoint: resource.Placeholder(propWriterEndpoint), DBSecretARN: resource.Placeholder(propDBSecretARN),
		LogGroup: resource.Placeholder(propLogGroup), ExecutionRoleARN: resource.Placeholder(propExecutionRoleARN),
		TaskRoleARN:    resource.Placeholder(propTaskRoleARN),
		RedisEndpoint:  resource.Placeholder(propRedisEndpoint),
		RedisSecretARN: func(key string) string { return resource.Placeholder(redisSecretProp(key)) },
	})
	if err != nil {
		return fmt.Errorf("%s: %w", addr, err)
	}
	opts, err := taskDefinitionOptions(in)
	if err != nil {
		return fmt.Errorf("%s: %w", addr, err)
	}
	family := aws.ToString(in.Family)
	props := resource.Props{
		"family":             family,
		propExecutionRoleARN: ref(prefix+".execution-role", "arn"), propTaskRoleARN: ref(prefix+".task-role", "arn"),
		propWriterEndpoint: ref(AddrDBCluster, "endpoint"), propDBSecretARN: ref(AddrDBCluster, "master_user_secret_arn"),
		propLogGroup: b.logGroup(t),
	}
	redis, redisDeps := b.redisTaskFacts(t)
	for k, v := range redis {
		props[k] = v
	}
	b.add(resource.Desired{Address: addr, Kind: resource.KindECSTaskDefinition, Component: comp, Name: family,
		Props: props, Options: opts,
		DependsOn: append([]string{prefix + ".execution-role", prefix + ".task-role", prefix + ".log-group", AddrDBCluster}, redisDeps...)})
	return nil
}

// taskDefinitionOptions are the options of a task definition Desired: the
// settings of in other than its family and roles (which are props), and
// its container definitions as JSON, the template the handler fills.
func taskDefinitionOptions(in *ecs.RegisterTaskDefinitionInput) (map[string]string, error) {
	containers, err := json.Marshal(in.ContainerDefinitions)
	if err != nil {
		return nil, fmt.Errorf("encode container definitions: %w", err)
	}
	var compat []string
	for _, c := range in.RequiresCompatibilities {
		compat = append(compat, string(c))
	}
	opts := map[string]string{
		"container_definitions":    string(containers),
		"cpu":                      aws.ToString(in.Cpu),
		"memory":                   aws.ToString(in.Memory),
		"network_mode":             string(in.NetworkMode),
		"requires_compatibilities": strings.Join(compat, ","),
	}
	if in.RuntimePlatform != nil {
		opts["operating_system_family"] = string(in.RuntimePlatform.OperatingSystemFamily)
	}
	return opts, nil
}

// lbName shortens name to the 32 characters a load balancer or target
// group name may have.
func lbName(name string) string {
	if len(name) > 32 {
		name = strings.TrimRight(name[:32], "-")
	}
	return name
}

// loadBalancer adds the ALB in the public subnets, its ip target group with
// the version's health check, and the HTTPS and redirecting HTTP listeners.
func (b *builder) loadBalancer(t stack.Target, comp, prefix, name string) {
	lb, tg := prefix+".load-balancer", prefix+".target-group"
	scheme := "internet-facing"
	if t.ECS.LoadBalancer.Internal {
		scheme = "internal"
	}
	public := b.ecsSubnets(prefix, "public", t.ECS.Subnets.Public)
	deps := append(refAddrs(public), prefix+".lb-security-group")
	if t.ECS.VPC.CIDR != "" {
		deps = append(deps, prefix+".default-route[public]") // an internet-facing ALB needs the gateway route
	}
	b.add(resource.Desired{Address: lb, Kind: resource.KindLoadBalancer, Component: comp, Name: lbName(name),
		Props: resource.Props{
			"name": lbName(name), "scheme": scheme, "type": "application",
			"subnets": public, "security_groups": []any{ref(prefix+".lb-security-group", "id")},
			// Requests with header fields that are not valid HTTP are
			// dropped, never passed to Keycloak (request smuggling).
			"drop_invalid_header_fields": true,
		},
		DependsOn: deps, Tags: map[string]string{"Name": name}})
	healthPort := portHTTP
	if b.s.KeycloakVersion().AtLeast(25, 0) {
		healthPort = portManagement
	}
	b.add(resource.Desired{Address: tg, Kind: resource.KindTargetGroup, Component: comp, Name: lbName(name),
		Props: resource.Props{
			"name": lbName(name), "port": int64(portHTTP), "protocol": "HTTP", "target_type": "ip", "vpc_id": ref(prefix+".vpc", "id"),
			"health_check_path": keycloak.HealthPath, "health_check_port": fmt.Sprint(healthPort), "health_check_protocol": "HTTP",
			"stickiness_enabled": t.ECS.LoadBalancer.StickySessions, "stickiness_type": "lb_cookie",
		},
		DependsOn: []string{prefix + ".vpc"}, Tags: map[string]string{"Name": name}})
	b.add(resource.Desired{Address: prefix + ".listener[https]", Kind: resource.KindListener, Component: comp, Name: "HTTPS :443",
		Props: resource.Props{
			"load_balancer_arn": ref(lb, "arn"), "port": int64(portHTTPS), "protocol": "HTTPS",
			"certificate_arn": t.ECS.LoadBalancer.CertificateARN, "ssl_policy": tlsPolicy, "target_group_arn": ref(tg, "arn"),
		},
		DependsOn: []string{lb, tg}, Tags: map[string]string{"Name": name + "-https"}})
	b.add(resource.Desired{Address: prefix + ".listener[http]", Kind: resource.KindListener, Component: comp, Name: "HTTP :80 → HTTPS",
		Props: resource.Props{
			"load_balancer_arn": ref(lb, "arn"), "port": int64(portHTTPRedirect), "protocol": "HTTP", "redirect_to_https": true,
		},
		DependsOn: []string{lb}, Tags: map[string]string{"Name": name + "-http"}})
}

// ecsSubnets returns references to the ids of a tier's subnets.
func (b *builder) ecsSubnets(prefix, tier string, subnets []stack.Subnet) []any {
	var out []any
	for _, sn := range subnets {
		addr := prefix + ".subnet[" + tier + "-" + sn.Zone + "]"
		if sn.ID != "" {
			addr = subnetAddr(prefix, sn)
		}
		out = append(out, ref(addr, "id"))
	}
	return out
}

// dnsDiscovery adds, for dns-ping, the Cloud Map private DNS namespace in
// the target's VPC and the service with A records the tasks register in;
// it returns the reference to the service's ARN (nil for other modes).
func (b *builder) dnsDiscovery(t stack.Target, comp, prefix string) any {
	d := b.s.Spec.Discovery.DNSPing
	if b.s.Spec.Discovery.Mode != stack.DiscoveryDNSPing || d == nil {
		return nil
	}
	ns, svc := prefix+".dns-namespace", prefix+".discovery-service"
	b.add(resource.Desired{Address: ns, Kind: resource.KindDNSNamespace, Component: comp, Name: d.Namespace,
		Props:     resource.Props{"name": d.Namespace, "vpc_id": ref(prefix+".vpc", "id")},
		DependsOn: []string{prefix + ".vpc"}, Tags: map[string]string{"Name": d.Namespace}})
	b.add(resource.Desired{Address: svc, Kind: resource.KindDiscoveryService, Component: comp, Name: d.ServiceName + "." + d.Namespace,
		Props: resource.Props{
			"name": d.ServiceName, "namespace_id": ref(ns, "id"), "dns_ttl": int64(d.TTL),
			"record_type": "A", "routing_policy": "MULTIVALUE",
		},
		DependsOn: []string{ns}, Tags: map[string]string{"Name": d.ServiceName}})
	return ref(svc, "arn")
}

// bucket adds, for s3-ping, the stack's encrypted private bucket (once,
// whatever the number of ECS targets).
func (b *builder) bucket() {
	s := b.s.Spec.Discovery.S3Ping
	if b.s.Spec.Discovery.Mode != stack.DiscoveryS3Ping || s == nil {
		return
	}
	for _, d := range b.out {
		if d.Address == AddrBucket {
			return
		}
	}
	b.add(resource.Desired{Address: AddrBucket, Kind: resource.KindBucket, Component: ComponentDiscovery, Name: s.Bucket,
		Props: resource.Props{"name": s.Bucket, "region": b.s.Spec.Region, "encryption": "AES256", "block_public_access": true},
		Tags:  map[string]string{"Name": s.Bucket}})
}

// service adds the ECS service: Fargate tasks in the private subnets with
// the tasks' group and no public address, registered with the target group
// (and the Cloud Map service for dns-ping), with a circuit breaker that
// rolls a failed deployment back.
func (b *builder) service(t stack.Target, comp, prefix, name string, registry any) {
	private := b.ecsSubnets(prefix, "private", t.ECS.Subnets.Private)
	props := resource.Props{
		"name": name, "cluster": ref(prefix+".cluster", "arn"), "task_definition": ref(prefix+".task-definition", "matching_arn"),
		"desired_count": int64(t.ECS.Tasks), "launch_type": "FARGATE",
		"subnets": private, "security_groups": []any{ref(prefix+".task-security-group", "id")}, "assign_public_ip": false,
		"target_group_arn": ref(prefix+".target-group", "arn"), "container_name": keycloak.ContainerName, "container_port": int64(portHTTP),
		"circuit_breaker_rollback": true, "propagate_tags": "SERVICE", "health_check_grace_period": int64(healthCheckGracePeriod),
	}
	deps := append(refAddrs(private), prefix+".cluster", prefix+".task-definition", prefix+".task-security-group",
		prefix+".target-group", prefix+".listener[https]", prefix+".database-ingress", prefix+".task-ingress[jgroups]", prefix+".task-ingress[jgroups-fd]",
		prefix+".task-egress[jgroups]", prefix+".task-egress[jgroups-fd]", prefix+".task-egress[database]", prefix+".task-egress[https]",
		prefix+".lb-egress[http]")
	if b.s.KeycloakVersion().AtLeast(25, 0) {
		deps = append(deps, prefix+".lb-egress[management]")
	}
	if r, ok := registry.(resource.Ref); ok {
		props["registry_arn"] = r
		deps = append(deps, r.Address)
	}
	if b.s.Spec.Discovery.Mode == stack.DiscoveryS3Ping {
		deps = append(deps, AddrBucket)
	}
	if len(b.s.RedisFrom(t.Name)) > 0 {
		deps = append(deps, prefix+".task-egress[redis]", redisIngressAddr(t.Name))
	}
	deps = append(deps, b.privateDefaultRoutes(prefix)...)
	b.add(resource.Desired{Address: prefix + ".service", Kind: resource.KindECSService, Component: comp, Name: name,
		Props: props, DependsOn: deps, Tags: map[string]string{"Name": name}})
}
