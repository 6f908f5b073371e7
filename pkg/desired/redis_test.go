package desired

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/kcstack/kcstack/pkg/kube"
	"github.com/kcstack/kcstack/pkg/resource"
	"github.com/kcstack/kcstack/pkg/stack"
)

func loadExample(t *testing.T, name string) *stack.Stack {
	t.Helper()
	st, ds, err := stack.LoadFile("../../examples/" + name)
	if err != nil || ds.HasErrors() {
		t.Fatalf("load example %s: %v %v", name, err, ds)
	}
	return st
}

func byAddress(t *testing.T, st *stack.Stack) map[string]resource.Desired {
	t.Helper()
	all, err := Resources(st)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]resource.Desired{}
	for _, d := range all {
		if _, dup := out[d.Address]; dup {
			t.Errorf("%s is desired twice", d.Address)
		}
		out[d.Address] = d
	}
	for _, d := range all {
		for _, dep := range d.DependsOn {
			if _, ok := out[dep]; !ok {
				t.Errorf("%s depends on %s, which is not desired", d.Address, dep)
			}
		}
	}
	return out
}

// TestRedisResources: the example's Redis is the contract's resources,
// each of kind and component redis, with the replication group encrypted,
// failing over and authenticated through a user group whose default user
// is disabled.
func TestRedisResources(t *testing.T) {
	got := byAddress(t, loadExample(t, "ecs-redis.yaml"))
	want := map[string]resource.Kind{
		AddrRedisSubnetGroup: resource.KindCacheSubnetGroup, AddrRedisSG: resource.KindSecurityGroup,
		"redis.ingress[ecs-main]": resource.KindSecurityGroupRule, "redis.ingress[10.40.0.0/16]": resource.KindSecurityGroupRule,
		AddrRedisDefaultUser: resource.KindCacheUser, "redis.user[shop-prod]": resource.KindCacheUser, "redis.user[billing-prod]": resource.KindCacheUser,
		"redis.secret[shop-prod]": resource.KindSecret, "redis.secret[billing-prod]": resource.KindSecret,
		AddrRedisUserGroup: resource.KindCacheUserGroup, AddrRedisReplicationGroup: resource.KindReplicationGroup,
	}
	redis := map[string]resource.Kind{}
	for addr, d := range got {
		if d.Component == ComponentRedis {
			redis[addr] = d.Kind
		}
	}
	if !reflect.DeepEqual(want, redis) {
		t.Fatalf("resources of component redis:\n got %v\nwant %v", redis, want)
	}
	rg := got[AddrRedisReplicationGroup].Props
	for prop, v := range map[string]any{
		"replication_group_id": "sso-prod-redis", "engine": "redis", "engine_version": "7.1", "node_type": "cache.r7g.large",
		"replicas": int64(1), "transit_encryption": true, "at_rest_encryption": true, "automatic_failover": true, "multi_az": true,
		"port": int64(6379), "parameter_group": "default.redis7", "snapshot_retention_days": int64(7),
		"subnet_group": ref(AddrRedisSubnetGroup, "name"),
	} {
		if !reflect.DeepEqual(rg[prop], v) {
			t.Errorf("replication group %s = %v, want %v", prop, rg[prop], v)
		}
	}
	if o := got[AddrRedisReplicationGroup].Options; o["skip_final_snapshot"] != "false" || o["final_snapshot_identifier"] != "sso-prod-redis-final" {
		t.Errorf("replication group options %v: a final snapshot by default", o)
	}
	users := []any{ref(AddrRedisDefaultUser, "id"), ref("redis.user[billing-prod]", "id"), ref("redis.user[shop-prod]", "id")}
	if ids := got[AddrRedisUserGroup].Props["user_ids"]; !reflect.DeepEqual(users, ids) {
		t.Errorf("user group user_ids %v, want %v", ids, users)
	}
	def := got[AddrRedisDefaultUser].Props
	if def["user_name"] != "default" || def["access_string"] != "off -@all" || def["password_secret_arn"] != nil {
		t.Errorf("default user %v: named default, disabled, without a password", def)
	}
	shop := got["redis.user[shop-prod]"].Props
	wantShop := resource.Props{
		"user_id": "sso-prod-shop-prod", "user_name": "shop-prod", "engine": "redis",
		"access_string":       "on ~shop:* &shop:* +@all -@dangerous",
		"password_secret_arn": ref("redis.secret[shop-prod]", "arn"), "password_version": ref("redis.secret[shop-prod]", "version_id"),
	}
	if !reflect.DeepEqual(wantShop, shop) {
		t.Errorf("user shop-prod:\n got %v\nwant %v", shop, wantShop)
	}
	secret := got["redis.secret[shop-prod]"]
	if secret.Props["name"] != "kcstack/sso-prod/redis/shop-prod" || secret.Props["username"] != "shop-prod" || secret.Options["recovery_window_days"] != "7" {
		t.Errorf("secret shop-prod: %v %v", secret.Props, secret.Options)
	}
	if src := got["redis.ingress[ecs-main]"].Props["source_group_id"]; src != ref("targets.ecs-main.task-security-group", "id") {
		t.Errorf("ingress from ecs-main: source %v, want the tasks' group", src)
	}
	if c := got["redis.ingress[10.40.0.0/16]"].Props["cidr_ipv4"]; c != "10.40.0.0/16" {
		t.Errorf("ingress from the CIDR: %v", c)
	}
	if sg := got[AddrRedisSG].Props["vpc_id"]; sg != ref(AddrAuroraVPC, "id") {
		t.Errorf("Redis security group in %v, want the database VPC", sg)
	}
	subnets := got[AddrRedisSubnetGroup].Props["subnet_ids"].([]any)
	if len(subnets) != 3 || subnets[0] != ref("database.subnet[eu-west-1a]", "id") {
		t.Errorf("subnet group subnets %v, want the database's three", subnets)
	}
}

// TestRedisECSWiring: the ECS target named in from reaches the database VPC
// on 6379, its container gets each application's connection and password
// (placeholders the task definition's props fill), and its execution role
// may read exactly those secrets besides the database's.
func TestRedisECSWiring(t *testing.T) {
	got := byAddress(t, loadExample(t, "ecs-redis.yaml"))
	rule := got["targets.ecs-main.task-egress[redis]"].Props
	if rule["type"] != egress || rule["from_port"] != int64(6379) || rule["cidr_ipv4"] != "192.168.0.0/24" {
		t.Errorf("task egress to Redis: %v", rule)
	}
	td := got["targets.ecs-main.task-definition"]
	for prop, v := range map[string]any{
		"redis_primary_endpoint":     ref(AddrRedisReplicationGroup, "primary_endpoint"),
		"redis_secret_arn_shop_prod": ref("redis.secret[shop-prod]", "arn"), "redis_secret_arn_billing_prod": ref("redis.secret[billing-prod]", "arn"),
	} {
		if td.Props[prop] != v {
			t.Errorf("task definition %s = %v, want %v", prop, td.Props[prop], v)
		}
	}
	containers := td.Options["container_definitions"]
	for _, s := range []string{
		`{"Name":"KCSTACK_REDIS_SHOP_PROD_HOST","Value":"${redis_primary_endpoint}"}`,
		`{"Name":"KCSTACK_REDIS_SHOP_PROD_PORT","Value":"6379"}`,
		`{"Name":"KCSTACK_REDIS_SHOP_PROD_TLS","Value":"true"}`,
		`{"Name":"KCSTACK_REDIS_SHOP_PROD_USERNAME","Value":"shop-prod"}`,
		`{"Name":"KCSTACK_REDIS_SHOP_PROD_PASSWORD","ValueFrom":"${redis_secret_arn_shop_prod}:password::"}`,
		`{"Name":"KCSTACK_REDIS_BILLING_PROD_PASSWORD","ValueFrom":"${redis_secret_arn_billing_prod}:password::"}`,
	} {
		if !strings.Contains(containers, s) {
			t.Errorf("container definitions lack %s", s)
		}
	}
	filled, err := resource.FillJSON(containers, resource.Props{
		"redis_primary_endpoint": "r.example", "redis_secret_arn_shop_prod": "arn:s", "redis_secret_arn_billing_prod": "arn:b",
		"writer_endpoint": "w", "db_secret_arn": "arn:db", "log_group": "g", "execution_role_arn": "e", "task_role_arn": "t",
	})
	if err != nil || !strings.Contains(filled, `"Value":"r.example"`) {
		t.Errorf("the task definition's props fill its placeholders: %v", err)
	}
	allowed := got["targets.ecs-main.execution-role"].Props["allow_resources"].([]any)
	for _, s := range []any{ref("redis.secret[shop-prod]", "arn"), ref("redis.secret[billing-prod]", "arn")} {
		if !slices.Contains(allowed, s) {
			t.Errorf("execution role may not read %v: %v", s, allowed)
		}
	}
	service := got["targets.ecs-main.service"].DependsOn
	for _, dep := range []string{"targets.ecs-main.task-egress[redis]", "redis.ingress[ecs-main]"} {
		if !slices.Contains(service, dep) {
			t.Errorf("the service starts before %s", dep)
		}
	}
}

// TestNoRedis: a stack without spec.redis has no Redis resource, no Redis
// rule and no Redis fact in its task definitions.
func TestNoRedis(t *testing.T) {
	for addr, d := range byAddress(t, loadExample(t, "ecs-jdbc-ping.yaml")) {
		if strings.Contains(addr, "redis") || d.Component == ComponentRedis || d.Props[propRedisEndpoint] != nil {
			t.Errorf("%s: Redis in a stack without it", addr)
		}
	}
}

// TestRedisOwnSubnets: subnets of its own are created in the database VPC
// and routed through the database's route table.
func TestRedisOwnSubnets(t *testing.T) {
	st := loadExample(t, "ecs-redis.yaml")
	st.Spec.Redis.Subnets = []stack.Subnet{{Zone: "eu-west-1a", CIDR: "192.168.0.192/28"}, {Zone: "eu-west-1b", CIDR: "192.168.0.208/28"}}
	got := byAddress(t, st)
	sn := got["redis.subnet[eu-west-1b]"]
	if sn.Kind != resource.KindSubnet || sn.Props["vpc_id"] != ref(AddrAuroraVPC, "id") || sn.Props["cidr_block"] != "192.168.0.208/28" {
		t.Errorf("own subnet: %+v", sn)
	}
	if a := got["redis.route-table-association[eu-west-1b]"].Props["route_table_id"]; a != ref(AddrAuroraRouteTable, "id") {
		t.Errorf("own subnet's route table %v, want the database's", a)
	}
	want := []any{ref("redis.subnet[eu-west-1a]", "id"), ref("redis.subnet[eu-west-1b]", "id")}
	if ids := got[AddrRedisSubnetGroup].Props["subnet_ids"]; !reflect.DeepEqual(want, ids) {
		t.Errorf("subnet group subnets %v, want %v", ids, want)
	}
}

// TestRedisROSA: an application whose from names a ROSA target gets the
// Secret redis-<name>-<environment> in the target's namespace, its facts
// references to the replication group's endpoint and the application's
// secret (after both exist), and 6379 from the target's machine network.
func TestRedisROSA(t *testing.T) {
	st := loadExample(t, "ecs-redis.yaml")
	st.Spec.Targets = append(st.Spec.Targets, stack.Target{Name: "rosa-a", ROSA: &stack.ROSATarget{
		Cluster: "gh-keycloak-a", VPC: stack.VPCRef{Tags: map[string]string{"Name": "gh-keycloak-a-vpc"}},
		MachineCIDR: "10.0.0.0/16", Namespace: "apps", Instances: 2, KubeContext: "gh-keycloak-a",
	}})
	st.Spec.Redis.Applications = append(st.Spec.Redis.Applications,
		stack.RedisApplication{Name: "portal", Environment: "staging", KeyPrefix: "portal", From: []string{"rosa-a"}})
	if ds := stack.Validate(st); ds.HasErrors() {
		t.Fatalf("stack: %s", ds)
	}
	got := byAddress(t, st)
	if c := got["redis.ingress[rosa-a]"].Props["cidr_ipv4"]; c != "10.0.0.0/16" {
		t.Errorf("ingress from rosa-a: %v, want its machine CIDR", c)
	}
	if _, ok := got["targets.rosa-a.task-egress[redis]"]; ok {
		t.Error("a ROSA target got a task egress rule")
	}
	objs, err := InCluster(st)
	if err != nil {
		t.Fatal(err)
	}
	var secret *resource.Desired
	for i, d := range objs {
		if d.Address == kube.Address("rosa-a", kube.RedisSecretName("portal-staging")) {
			secret = &objs[i]
		}
	}
	if secret == nil {
		t.Fatal("no Secret redis-portal-staging")
	}
	if secret.Props[kube.PropName] != kube.RedisSecretName("portal-staging") || secret.Props[kube.PropNamespace] != "apps" || secret.Kind != kube.KindSecret {
		t.Errorf("Secret: %v", secret.Props)
	}
	for prop, want := range map[string]resource.Ref{
		kube.PropRedisEndpoint:                 ref(AddrRedisReplicationGroup, "primary_endpoint"),
		kube.RedisSecretProp("portal-staging"): ref("redis.secret[portal-staging]", "arn"),
	} {
		if secret.Props[prop] != want {
			t.Errorf("Secret %s = %v, want %v", prop, secret.Props[prop], want)
		}
		if !slices.Contains(secret.DependsOn, want.Address) {
			t.Errorf("Secret does not wait for %s", want.Address)
		}
	}
	if !slices.Equal(secret.Sensitive, []string{"data"}) {
		t.Errorf("Secret's sensitive props: %v", secret.Sensitive)
	}
}
