package stack

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// loadCase loads testdata/<dir>/<name>.yaml, naming it by its base name so
// that expectations stay short.
func loadCase(t *testing.T, dir, name string) Diagnostics {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", dir, name+".yaml"))
	if err != nil {
		t.Fatal(err)
	}
	_, ds, err := Load(name+".yaml", data)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return ds
}

func lines(ds Diagnostics) []string {
	return strings.Split(strings.TrimSuffix(ds.String(), "\n"), "\n")
}

// TestInvalidStacks loads every stack under testdata/invalid and checks the
// exact diagnostics: position, path, message and hint, errors and warnings.
func TestInvalidStacks(t *testing.T) {
	cases := map[string]struct {
		reason string
		want   []string
	}{
		"certificate-other-region": {
			reason: `an ALB can only use an ACM certificate of its own region`,
			want: []string{
				`certificate-other-region.yaml:24:40: error: spec.targets[0].ecs.loadBalancer.certificateArn: the certificate is in us-east-1, but an ALB in eu-west-1 can only use certificates of its own region; request or import the certificate in ACM in eu-west-1`,
			},
		},
		"cluster-identifier-digit-first": {
			reason: `AWS cluster identifiers start with a letter`,
			want: []string{
				`cluster-identifier-digit-first.yaml:12:26: error: spec.database.aurora.clusterIdentifier: "1kc" is not a valid DB cluster identifier; use 1 to 63 letters, digits and hyphens, starting with a letter, without a trailing or double hyphen`,
			},
		},
		"cluster-identifier-double-hyphen": {
			reason: `AWS cluster identifiers have no double hyphen`,
			want: []string{
				`cluster-identifier-double-hyphen.yaml:12:26: error: spec.database.aurora.clusterIdentifier: "kc--aurora" is not a valid DB cluster identifier; use 1 to 63 letters, digits and hyphens, starting with a letter, without a trailing or double hyphen`,
			},
		},
		"cluster-identifier-too-long": {
			reason: `AWS cluster identifiers are at most 63 characters`,
			want: []string{
				`cluster-identifier-too-long.yaml:12:26: error: spec.database.aurora.clusterIdentifier: must be at most 63 characters long, not 64: RDS DB cluster identifiers are at most 63 characters`,
			},
		},
		"cluster-identifier-trailing-hyphen": {
			reason: `AWS cluster identifiers do not end with a hyphen`,
			want: []string{
				`cluster-identifier-trailing-hyphen.yaml:12:26: error: spec.database.aurora.clusterIdentifier: "kc-aurora-" is not a valid DB cluster identifier; use 1 to 63 letters, digits and hyphens, starting with a letter, without a trailing or double hyphen`,
			},
		},
		"discovery-block-mismatch": {
			reason: `only the chosen discovery mode's settings block may be set`,
			want: []string{
				`discovery-block-mismatch.yaml:34:5: error: spec.discovery.s3Ping: s3Ping settings are given but the discovery mode is jdbc-ping; remove s3Ping, or set mode: s3-ping`,
			},
		},
		"discovery-multicast": {
			reason: `udp/tcp need multicast, which AWS VPCs lack; the enum error says so`,
			want: []string{
				`discovery-multicast.yaml:33:11: error: spec.discovery.mode: "udp" is not one of jdbc-ping, dns-ping, s3-ping, kube-ping; multicast discovery does not work in AWS VPCs; use jdbc-ping`,
			},
		},
		"dns-ping-bad-namespace": {
			reason: `dns-ping on ECS needs a valid Cloud Map namespace (and dns-ping is deprecated from 26.4)`,
			want: []string{
				`dns-ping-bad-namespace.yaml:33:11: warning: spec.discovery.mode: dns-ping (the kubernetes stack) is deprecated from Keycloak 26.4; use jdbc-ping, which needs nothing but the database`,
				`dns-ping-bad-namespace.yaml:34:26: error: spec.discovery.dnsPing.namespace: "Not_A_Name" is not a valid Cloud Map namespace name; use a private DNS name such as sso-prod.kcstack.internal`,
			},
		},
		"duplicate-key": {
			reason: `a key written twice is an error at the second key`,
			want: []string{
				`duplicate-key.yaml:22:9: error: spec.targets[0].ecs.tasks: duplicate key "tasks" (first at line 21); remove one of them`,
			},
		},
		"duplicate-target-name": {
			reason: `target names are unique`,
			want: []string{
				`duplicate-target-name.yaml:25:13: error: spec.targets[1].name: duplicate target name "ecs-main" (also spec.targets[0]); give every target its own name`,
			},
		},
		"ecs-memory-as-string": {
			reason: `a quoted number is a type error with a hint`,
			want: []string{
				`ecs-memory-as-string.yaml:23:17: error: spec.targets[0].ecs.memory: must be an integer, not string; remove the quotes`,
			},
		},
		"engine-version-14": {
			reason: `Aurora PostgreSQL below 15 is not supported`,
			want: []string{
				`engine-version-14.yaml:13:22: error: spec.database.aurora.engineVersion: Aurora PostgreSQL 14 is not supported by Keycloak; choose Aurora PostgreSQL 15 or later, such as "16.8"`,
			},
		},
		"engine-version-unquoted": {
			reason: `an unquoted engine version is a number; the hint says to quote it`,
			want: []string{
				`engine-version-unquoted.yaml:13:22: error: spec.database.aurora.engineVersion: must be a string, not number; quote it: "16.8"`,
			},
		},
		"extra-option-proxy-removed": {
			reason: `the proxy option given through extraOptions is removed in 26 too`,
			want: []string{
				`extra-option-proxy-removed.yaml:11:7: error: spec.keycloak.extraOptions.proxy: the proxy option was removed in Keycloak 26; use proxy-headers (spec.keycloak.proxyHeaders)`,
			},
		},
		"fargate-bad-cpu": {
			reason: `cpu must be a Fargate CPU size`,
			want: []string{
				`fargate-bad-cpu.yaml:22:14: error: spec.targets[0].ecs.cpu: 3000 is not one of 256, 512, 1024, 2048, 4096, 8192, 16384`,
			},
		},
		"fargate-bad-memory": {
			reason: `memory must be a valid Fargate size for the cpu`,
			want: []string{
				`fargate-bad-memory.yaml:23:17: error: spec.targets[0].ecs.memory: 3000 MiB is not a valid Fargate memory size for cpu 2048; with cpu 2048 use 4096 to 16384 MiB in steps of 1024`,
			},
		},
		"hostname-v1-removed": {
			reason: `hostname v1 options are removed in Keycloak 26`,
			want: []string{
				`hostname-v1-removed.yaml:10:18: error: spec.keycloak.hostnameUrl: the hostname-url option was removed in Keycloak 26; use spec.keycloak.hostname with a full URL (hostname v2)`,
			},
		},
		"instances-negative": {
			reason: `counts below 1 are errors`,
			want: []string{
				`instances-negative.yaml:15:18: error: spec.database.aurora.instances: must be at least 1, not -1`,
			},
		},
		"jdbc-ping-before-26-1": {
			reason: `jdbc-ping is built in only from Keycloak 26.1`,
			want: []string{
				`jdbc-ping-before-26-1.yaml:33:11: error: spec.discovery.mode: jdbc-ping is built into Keycloak only from 26.1, not 25.0.6; use dns-ping, or Keycloak 26.1 or later`,
			},
		},
		"keycloak-version-23": {
			reason: `Keycloak below 24 is not supported (and has no jdbc-ping)`,
			want: []string{
				`keycloak-version-23.yaml:8:14: error: spec.keycloak.version: Keycloak 23.0.7 is not supported; choose a version from 24.0.0 to 26.x`,
				`keycloak-version-23.yaml:33:11: error: spec.discovery.mode: jdbc-ping is built into Keycloak only from 26.1, not 23.0.7; use dns-ping, or Keycloak 26.1 or later`,
			},
		},
		"kube-ping-on-ecs": {
			reason: `kube-ping needs the Kubernetes API: ROSA targets only`,
			want: []string{
				`kube-ping-on-ecs.yaml:7:3: warning: spec.keycloak.image: the stock image quay.io/keycloak/keycloak:26.4.2 lacks the jgroups-kubernetes jars kube-ping needs; build an image with jgroups-kubernetes in /opt/keycloak/providers and set spec.keycloak.image`,
				`kube-ping-on-ecs.yaml:33:11: error: spec.discovery.mode: kube-ping needs the Kubernetes API and cannot work on ECS target "ecs-main" (spec.targets[0]); use jdbc-ping, which works on every target`,
			},
		},
		"missing-required": {
			reason: `a missing required key is reported on its parent`,
			want: []string{
				`missing-required.yaml:7:3: error: spec.keycloak.hostname: missing required key "hostname"; add hostname to spec.keycloak`,
			},
		},
		"not-a-mapping": {
			reason: `a stack file is a mapping`,
			want: []string{
				`not-a-mapping.yaml:1:1: error: the document is a list, not a mapping; a stack file is a mapping with apiVersion, kind, metadata and spec`,
			},
		},
		"overlap-ecs-rosa": {
			reason: `a ROSA machine CIDR must not overlap a new ECS VPC`,
			want: []string{
				`overlap-ecs-rosa.yaml:29:22: error: spec.targets[1].rosa.machineCidr: 10.0.0.0/16 overlaps the VPC of target ecs-main 10.0.128.0/17; choose a non-overlapping range`,
			},
		},
		"overlap-peer": {
			reason: `a peer CIDR must not overlap a target VPC`,
			want: []string{
				`overlap-peer.yaml:35:13: error: spec.peers[0].cidr: 10.10.4.0/22 overlaps the VPC of target ecs-main 10.10.0.0/16; choose a non-overlapping range`,
			},
		},
		"overlap-rosa-aurora": {
			reason: `a ROSA machine CIDR must not overlap the Aurora VPC`,
			want: []string{
				`overlap-rosa-aurora.yaml:29:22: error: spec.targets[1].rosa.machineCidr: 10.0.0.0/16 overlaps the Aurora VPC 10.0.0.0/24; choose a non-overlapping range`,
			},
		},
		"owners-exceed-nodes": {
			reason: `owners above the node count is an error that says which caches owners affects in 26`,
			want: []string{
				`owners-exceed-nodes.yaml:35:13: error: spec.caches.owners: 4 owners exceed the 3 node(s) of the smallest target; lower owners to 3 or run more nodes; with persistent user sessions (Keycloak 26+), owners applies to authenticationSessions, actionTokens and loginFailures; sessions, clientSessions, offlineSessions and offlineClientSessions are kept in the database`,
			},
		},
		"owners-exceed-smallest-target": {
			reason: `owners is bounded by the smallest target`,
			want: []string{
				`owners-exceed-smallest-target.yaml:35:13: error: spec.caches.owners: 2 owners exceed the 1 node(s) of the smallest target; lower owners to 1 or run more nodes; with persistent user sessions (Keycloak 26+), owners applies to authenticationSessions, actionTokens and loginFailures; sessions, clientSessions, offlineSessions and offlineClientSessions are kept in the database`,
			},
		},
		"owners-zero": {
			reason: `owners below 1 is an error`,
			want: []string{
				`owners-zero.yaml:35:13: error: spec.caches.owners: must be at least 1, not 0`,
			},
		},
		"pool-sizes-differ": {
			reason: `the pool wants initial = min = max`,
			want: []string{
				`pool-sizes-differ.yaml:10:27: error: spec.keycloak.db.poolInitialSize: poolInitialSize is 10 but poolMaxSize is 30; set poolSize alone, or poolInitialSize, poolMinSize and poolMaxSize to one value: Keycloak's HA guide wants initial = min = max`,
				`pool-sizes-differ.yaml:10:44: error: spec.keycloak.db.poolMinSize: poolMinSize is 10 but poolMaxSize is 30; set poolSize alone, or poolInitialSize, poolMinSize and poolMaxSize to one value: Keycloak's HA guide wants initial = min = max`,
			},
		},
		"proxy-removed": {
			reason: `proxy is removed in Keycloak 26; the replacement is named`,
			want: []string{
				`proxy-removed.yaml:10:12: error: spec.keycloak.proxy: the proxy option was removed in Keycloak 26; use spec.keycloak.proxyHeaders (xforwarded behind an ALB or an OpenShift route)`,
			},
		},
		"redis-duplicate-application": {
			reason: `one Redis user per application and environment; names that join to the same user are refused`,
			want: []string{
				`redis-duplicate-application.yaml:39:16: error: spec.redis.applications[1].name: application shop in environment prod is listed twice (also spec.redis.applications[0]); list each application and environment once`,
				`redis-duplicate-application.yaml:41:16: error: spec.redis.applications[3].name: shop in prod-eu and shop-prod in eu (spec.redis.applications[2]) would both be the Redis user "shop-prod-eu"; rename one of them: names and environments are joined with a hyphen`,
			},
		},
		"redis-from-unknown-target": {
			reason: `a from entry names a target of the stack or a CIDR; a typo gets a suggestion`,
			want: []string{
				`redis-from-unknown-target.yaml:41:16: error: spec.redis.applications[0].from[0]: "ecs-mian" is not a target of this stack; did you mean "ecs-main"?`,
			},
		},
		"redis-key-prefix-shared": {
			reason: `two applications whose key patterns overlap could read each other's keys`,
			want: []string{
				`redis-key-prefix-shared.yaml:39:52: error: spec.redis.applications[1].keyPrefix: cart-prod and shop-prod (spec.redis.applications[0]) would share keys: shop:cart:* and shop:* overlap, so each user could read and overwrite the other's sessions; give each application a key prefix of its own that does not start with another's followed by a colon`,
			},
		},
		"redis-node-type-unknown": {
			reason: `the node type is one of the current-generation ElastiCache node types`,
			want: []string{
				`redis-node-type-unknown.yaml:37:15: error: spec.redis.nodeType: "cache.r7g.larg" is not a current-generation ElastiCache node type; did you mean "cache.r7g.large"?`,
			},
		},
		"redis-parameter-group-other-version": {
			reason: `a default parameter group of another engine family is refused`,
			want: []string{
				`redis-parameter-group-other-version.yaml:38:21: error: spec.redis.parameterGroup: default.redis6.x is not the default parameter group of Redis OSS 7.1; use default.redis7, or remove parameterGroup to get it`,
			},
		},
		"redis-replicas-zero": {
			reason: `automatic failover and Multi-AZ need a replica`,
			want: []string{
				`redis-replicas-zero.yaml:37:15: error: spec.redis.replicas: must be at least 1, not 0; automatic failover and Multi-AZ need a replica in another zone to promote: use 1 or more`,
			},
		},
		"redis-subnets-overlap-database": {
			reason: `own Redis subnets stay apart from the database subnets`,
			want: []string{
				`redis-subnets-overlap-database.yaml:38:34: error: spec.redis.subnets[0].cidr: 192.168.0.0/28 overlaps the database subnet 192.168.0.0/26 in eu-west-1a; choose a range of the VPC the database's subnets leave free`,
			},
		},
		"redis-user-id-too-long": {
			reason: `the derived ElastiCache user id <stack>-<name>-<environment> is at most 40 characters`,
			want: []string{
				`redis-user-id-too-long.yaml:38:16: error: spec.redis.applications[0].name: the ElastiCache user id would be "sso-test-customer-portal-backend-production" (43 characters); kcstack keeps ElastiCache identifiers to 40; shorten metadata.name, the name or the environment so that <stack>-<name>-<environment> has at most 40 characters`,
			},
		},
		"redis-window-short": {
			reason: `windows are at least an hour, with valid times`,
			want: []string{
				`redis-window-short.yaml:37:24: error: spec.redis.maintenanceWindow: the window is 30 minutes; ElastiCache needs at least 60; make it at least an hour long`,
				`redis-window-short.yaml:38:21: error: spec.redis.snapshotWindow: "25:00-26:00" is not a daily window; write hh24:mi-hh24:mi in UTC, such as 03:00-04:00`,
			},
		},
		"redis-windows-overlap": {
			reason: `the snapshot window may not overlap the maintenance window, also across midnight`,
			want: []string{
				`redis-windows-overlap.yaml:38:21: error: spec.redis.snapshotWindow: the daily snapshot window 00:00-01:00 overlaps the maintenance window sun:23:30-mon:00:30; ElastiCache refuses that; move one of the two windows`,
			},
		},
		"reserved-tag": {
			reason: `kcstack: tags are reserved, reported at the key`,
			want: []string{
				`reserved-tag.yaml:7:10: error: spec.tags["kcstack:stack"]: tag keys starting with "kcstack:" are reserved; choose another key`,
			},
		},
		"rosa-vpc-cidr": {
			reason: `ROSA VPCs are found, never created`,
			want: []string{
				`rosa-vpc-cidr.yaml:28:21: error: spec.targets[1].rosa.vpc.cidr: kcstack does not create this VPC; it only finds it; find the existing VPC with id or tags`,
			},
		},
		"secret-literal-aurora": {
			reason: `a literal password is an error (and masterPassword is not a key)`,
			want: []string{
				`secret-literal-aurora.yaml:15:7: error: spec.database.aurora.masterPassword: unknown key "masterPassword"; expected one of backupRetentionDays, clusterIdentifier, databaseName, deletionProtection, engineVersion, finalSnapshotIdentifier, instanceClass, instances, masterUsername, port, skipFinalSnapshot, storageEncrypted, subnets, vpc, writerZone, zones`,
				`secret-literal-aurora.yaml:15:23: error: spec.database.aurora.masterPassword: "masterPassword" holds a literal secret; secrets never go in the stack file; remove it: RDS generates the Aurora master password and keeps it in Secrets Manager`,
			},
		},
		"secret-literal-extra-option": {
			reason: `a literal secret in extraOptions is an error; db-password is also managed`,
			want: []string{
				`secret-literal-extra-option.yaml:11:7: error: spec.keycloak.extraOptions.db-password: kcstack sets the db-password option itself; set it through spec.database.aurora`,
				`secret-literal-extra-option.yaml:11:20: error: spec.keycloak.extraOptions.db-password: "db-password" holds a literal secret; secrets never go in the stack file; store the value in AWS Secrets Manager and write the secret's ARN here (arn:aws:secretsmanager:<region>:<account>:secret:<name>)`,
			},
		},
		"single-zone-aurora": {
			reason: `a DB subnet group needs two zones`,
			want: []string{
				`single-zone-aurora.yaml:17:7: error: spec.database.aurora.zones: an Aurora DB subnet group needs at least two availability zones; list at least two zones, such as eu-west-1a and eu-west-1b`,
			},
		},
		"writer-zone-not-a-database-zone": {
			reason: `the writer goes in one of the database zones`,
			want: []string{
				`writer-zone-not-a-database-zone.yaml:17:19: error: spec.database.aurora.writerZone: "eu-west-1c" is not a zone of the database (spec.database.aurora.zones); use one of the database zones: eu-west-1a, eu-west-1b`,
			},
		},
		"nat-gateways-existing-vpc": {
			reason: `kcstack makes no NAT gateway in a VPC it does not own`,
			want: []string{
				"nat-gateways-existing-vpc.yaml:23:22: error: spec.targets[0].ecs.natGateways: NAT gateways are made only in a VPC kcstack creates (vpc.cidr); remove it: the routing of an existing VPC is its owner's",
			},
		},
		"nat-gateways-unknown": {
			reason: `two NAT layouts exist`,
			want: []string{
				`nat-gateways-unknown.yaml:20:22: error: spec.targets[0].ecs.natGateways: "perSubnet" is not one of perZone, single`,
			},
		},
		"storage-encrypted-false": {
			reason: `storage encryption cannot be turned off`,
			want: []string{
				`storage-encrypted-false.yaml:16:25: error: spec.database.aurora.storageEncrypted: storage encryption cannot be turned off; remove it: kcstack always encrypts Aurora storage`,
			},
		},
		"subnet-host-bits": {
			reason: `a CIDR with host bits set names the network meant`,
			want: []string{
				`subnet-host-bits.yaml:29:22: error: spec.targets[1].rosa.machineCidr: "10.0.0.1/16" has host bits set; the network is 10.0.0.0/16; write the cluster's machine CIDR, such as 10.0.0.0/16`,
			},
		},
		"subnet-outside-vpc": {
			reason: `subnets fit their VPC`,
			want: []string{
				`subnet-outside-vpc.yaml:19:36: error: spec.database.aurora.subnets[1].cidr: 192.168.1.0/26 is outside the VPC 192.168.0.0/24; choose a range inside 192.168.0.0/24`,
			},
		},
		"syntax-error": {
			reason: `a flow sequence never closed is placed at its bracket, under its key (the parser names line 17)`,
			want: []string{
				`syntax-error.yaml:18:12: error: spec.targets[0].name: did not find expected ',' or ']'; close the collection opened here, or quote a value that holds [ ] { } or a comma`,
			},
		},
		"target-no-kind": {
			reason: `a target is ecs or rosa`,
			want: []string{
				`target-no-kind.yaml:25:7: error: spec.targets[1]: target "rosa-a" says neither where nor how Keycloak runs; add an ecs or a rosa block`,
			},
		},
		"tasks-zero": {
			reason: `counts below 1 are errors`,
			want: []string{
				`tasks-zero.yaml:21:16: error: spec.targets[0].ecs.tasks: must be at least 1, not 0`,
			},
		},
		"unknown-key-top": {
			reason: `unknown keys are errors at the key with a did-you-mean`,
			want: []string{
				`unknown-key-top.yaml:3:1: error: metdata: unknown key "metdata"; did you mean "metadata"?`,
			},
		},
		"unknown-key-typo": {
			reason: `a misspelt key is unknown (did you mean) and the real key is then missing`,
			want: []string{
				`unknown-key-typo.yaml:26:7: error: spec.targets[1].rosa.machineCidr: missing required key "machineCidr"; add machineCidr to spec.targets[1].rosa`,
				`unknown-key-typo.yaml:29:9: error: spec.targets[1].rosa.machineCIDR: unknown key "machineCIDR"; did you mean "machineCidr"?`,
			},
		},
		"vpc-two-ways": {
			reason: `a VPC is either created (cidr) or found (id, tags)`,
			want: []string{
				`vpc-two-ways.yaml:20:9: error: spec.targets[0].ecs.vpc: set only one of cidr, id and tags; set cidr for a new VPC, or id or tags for an existing one`,
			},
		},
		"zone-other-region": {
			reason: `zones belong to the stack's region`,
			want: []string{
				`zone-other-region.yaml:17:27: error: spec.database.aurora.zones[1]: "us-east-1b" is not a zone of region eu-west-1; use a zone of eu-west-1, such as eu-west-1a`,
			},
		},
		"extra-option-env-name": {
			reason: `extraOptions take keycloak.conf names; the hint converts KC_ names`,
			want: []string{
				`extra-option-env-name.yaml:11:7: error: spec.keycloak.extraOptions.KC_LOG_LEVEL: "KC_LOG_LEVEL" is not a Keycloak option name; write the option name as in keycloak.conf, without -- or KC_: log-level`,
			},
		},
		"discovery-cache-stack-name": {
			reason: `Keycloak's cache-stack name of a mode points to the mode`,
			want: []string{
				`discovery-cache-stack-name.yaml:33:11: error: spec.discovery.mode: "kubernetes" is not one of jdbc-ping, dns-ping, s3-ping, kube-ping; did you mean "dns-ping"? (the kubernetes cache stack is DNS_PING)`,
			},
		},
		"unknown-key-prefix": {
			reason: `a key that is a prefix of a known key suggests it`,
			want: []string{
				`unknown-key-prefix.yaml:24:94: error: spec.targets[0].ecs.loadBalancer.sticky: unknown key "sticky"; did you mean "stickySessions"?`,
			},
		},
		"rosa-same-namespace": {
			reason: `two targets cannot run in one namespace of one cluster`,
			want: []string{
				`rosa-same-namespace.yaml:37:20: error: spec.targets[2].rosa.namespace: namespace keycloak of cluster gh-keycloak-a is already used by spec.targets[1]; use another namespace or merge the two targets`,
			},
		},
		"aurora-too-many-instances": {
			reason: `Aurora holds a writer and at most 15 readers`,
			want: []string{
				`aurora-too-many-instances.yaml:15:18: error: spec.database.aurora.instances: must be at most 16, not 17: an Aurora cluster holds one writer and at most 15 readers`,
			},
		},
		"target-ecs-and-rosa": {
			reason: `a target runs on ECS or on ROSA, not both`,
			want: []string{
				`target-ecs-and-rosa.yaml:25:7: error: spec.targets[1]: a target is either ecs or rosa, not both; split it into two targets`,
			},
		},
		"hostname-not-a-host": {
			reason: `a hostname with a path must be a full URL`,
			want: []string{
				`hostname-not-a-host.yaml:9:15: error: spec.keycloak.hostname: "auth.example.com/keycloak" is not a host name; write a host name such as auth.example.com, or a full URL such as https://auth.example.com/keycloak`,
			},
		},
		"subnets-overlap": {
			reason: `subnets of one VPC must not overlap`,
			want: []string{
				`subnets-overlap.yaml:19:36: error: spec.database.aurora.subnets[1].cidr: 192.168.0.64/26 overlaps subnet 192.168.0.0/25; give each subnet its own range`,
			},
		},
		"s3-ping-on-rosa": {
			reason: `s3-ping reaches its bucket through the IAM task role of ECS tasks: refused with a ROSA target`,
			want: []string{
				`s3-ping-on-rosa.yaml:34:11: error: spec.discovery.mode: s3-ping reaches its bucket through the IAM task role kcstack gives ECS tasks and cannot work on ROSA target "rosa-a" (spec.targets[1]); use jdbc-ping, which works on every target`,
				`s3-ping-on-rosa.yaml:34:11: warning: spec.discovery.mode: s3-ping (the ec2 stack) is deprecated from Keycloak 26.1; use jdbc-ping, which needs nothing but the database`,
			},
		},
		"dns-ping-cloud-map-on-rosa": {
			reason: `the Cloud Map namespace and TTL mean nothing without an ECS target: each is refused, named`,
			want: []string{
				`dns-ping-cloud-map-on-rosa.yaml:27:18: error: spec.discovery.dnsPing.namespace: namespace is the Cloud Map namespace of ECS targets, and the stack has none; remove it: on ROSA dns-ping queries a headless Service (serviceName) in the target's namespace`,
				`dns-ping-cloud-map-on-rosa.yaml:28:12: error: spec.discovery.dnsPing.ttl: ttl is the TTL of the Cloud Map records of ECS targets, and the stack has none; remove it: the cluster's DNS sets the TTL of a headless Service's records`,
			},
		},
		"dns-ping-operator-service-name": {
			reason: `the Keycloak Operator makes <cr>-discovery itself, and kcstack names the custom resource after the stack`,
			want: []string{
				`dns-ping-operator-service-name.yaml:27:20: error: spec.discovery.dnsPing.serviceName: the Keycloak Operator names a Service sso-test-discovery for the Keycloak custom resource sso-test, which kcstack names after the stack; choose another name, such as keycloak-discovery`,
			},
		},
		"bootstrap-admin-rosa-25": {
			reason: `the Keycloak custom resource has bootstrapAdmin only from 26`,
			want: []string{
				`bootstrap-admin-rosa-25.yaml:10:5: error: spec.keycloak.bootstrapAdmin: the Keycloak Operator of Keycloak 25.0.6 has no bootstrapAdmin setting, so a ROSA target cannot use it; remove it and use the <stack>-initial-admin Secret the operator makes, or use Keycloak 26 or later`,
			},
		},
		"peer-vpc-cidr": {
			reason: `peer VPCs are found, never created`,
			want: []string{
				`peer-vpc-cidr.yaml:34:19: error: spec.peers[0].vpc.cidr: kcstack does not create this VPC; it only finds it; find the existing VPC with id or tags`,
			},
		},
	}
	checkAllCovered(t, "invalid", len(cases))
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			ds := loadCase(t, "invalid", name)
			if !ds.HasErrors() {
				t.Errorf("%s: HasErrors() = false, want true", tc.reason)
			}
			if diff := cmp.Diff(tc.want, lines(ds)); diff != "" {
				t.Errorf("%s: diagnostics (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}

// TestWarningStacks checks rules that warn: the stack stays valid.
func TestWarningStacks(t *testing.T) {
	cases := map[string]struct {
		reason string
		want   []string
	}{
		"dns-ping-deprecated": {
			reason: `the kubernetes stack (DNS_PING) is deprecated from 26.4`,
			want: []string{
				`dns-ping-deprecated.yaml:33:11: warning: spec.discovery.mode: dns-ping (the kubernetes stack) is deprecated from Keycloak 26.4; use jdbc-ping, which needs nothing but the database`,
			},
		},
		"dns-ping-long-ttl": {
			reason: `a long DNS TTL slows joins`,
			want: []string{
				`dns-ping-long-ttl.yaml:34:20: warning: spec.discovery.dnsPing.ttl: a TTL of 300 s makes new nodes wait that long to be seen; use 10 seconds or less`,
			},
		},
		"owners-one-keycloak-25": {
			reason: `before 26 owners = 1 loses user sessions`,
			want: []string{
				`owners-one-keycloak-25.yaml:35:13: warning: spec.caches.owners: with one owner, every node that stops loses its share of user sessions, in-flight logins and action tokens; use 2 owners; before Keycloak 26 owners applies to every distributed cache, user sessions included`,
			},
		},
		"owners-one": {
			reason: `owners = 1 with several nodes loses data; 26+ names the caches affected`,
			want: []string{
				`owners-one.yaml:35:13: warning: spec.caches.owners: with one owner, every node that stops loses its share of in-flight logins, action tokens and brute-force counters; use 2 owners; with persistent user sessions (Keycloak 26+), owners applies to authenticationSessions, actionTokens and loginFailures; sessions, clientSessions, offlineSessions and offlineClientSessions are kept in the database`,
			},
		},
		"proxy-deprecated-25": {
			reason: `proxy is deprecated before it is removed`,
			want: []string{
				`proxy-deprecated-25.yaml:10:12: warning: spec.keycloak.proxy: the proxy option is deprecated in Keycloak 25.0.6 and removed in 26; use spec.keycloak.proxyHeaders (xforwarded behind an ALB or an OpenShift route)`,
			},
		},
		"s3-ping-deprecated": {
			reason: `s3-ping is deprecated from 26.1`,
			want: []string{
				`s3-ping-deprecated.yaml:27:11: warning: spec.discovery.mode: s3-ping (the ec2 stack) is deprecated from Keycloak 26.1; use jdbc-ping, which needs nothing but the database`,
			},
		},
		"session-cache-override": {
			reason: `session cache owners are forced to 1 from 26`,
			want: []string{
				`session-cache-override.yaml:36:27: warning: spec.caches.overrides.sessions: Keycloak 26+ keeps sessions with one owner in memory (user sessions persist in the database); this setting has no effect; remove it`,
			},
		},
		"small-memory": {
			reason: `Keycloak needs at least 2 GiB`,
			want: []string{
				`small-memory.yaml:23:17: warning: spec.targets[0].ecs.memory: 1024 MiB is too little for Keycloak to run reliably; give each task at least 2048 MiB`,
			},
		},
		"stock-image-kube-ping": {
			reason: `kube-ping needs jars the stock image lacks`,
			want: []string{
				`stock-image-kube-ping.yaml:13:3: warning: spec.keycloak.image: the stock image quay.io/keycloak/keycloak:26.4.2 lacks the jgroups-kubernetes jars kube-ping needs; build an image with jgroups-kubernetes in /opt/keycloak/providers and set spec.keycloak.image`,
			},
		},
		"image-version-mismatch": {
			reason: `a stock image whose tag differs from the version the rules follow`,
			want: []string{
				`image-version-mismatch.yaml:10:12: warning: spec.keycloak.image: the image runs Keycloak 26.0.0 but spec.keycloak.version is 26.4.2, which kcstack's options and checks follow; use quay.io/keycloak/keycloak:26.4.2, or remove image to get it`,
			},
		},
	}
	checkAllCovered(t, "warnings", len(cases))
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			ds := loadCase(t, "warnings", name)
			if ds.HasErrors() {
				t.Errorf("%s: HasErrors() = true, want false", tc.reason)
			}
			if diff := cmp.Diff(tc.want, lines(ds)); diff != "" {
				t.Errorf("%s: diagnostics (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}

// checkAllCovered fails when a file under testdata/dir has no case.
func checkAllCovered(t *testing.T, dir string, cases int) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", dir, "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != cases {
		t.Errorf("testdata/%s holds %d stacks but the table has %d cases", dir, len(files), cases)
	}
}
