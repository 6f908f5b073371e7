package cache

import (
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/kcstack/kcstack/pkg/aws/awstest"
	"github.com/kcstack/kcstack/pkg/aws/clients"
	"github.com/kcstack/kcstack/pkg/aws/poll"
	"github.com/kcstack/kcstack/pkg/aws/secrets"
	"github.com/kcstack/kcstack/pkg/resource"
	"github.com/kcstack/kcstack/pkg/sandbox"
	"github.com/kcstack/kcstack/pkg/sandbox/sandboxtest"
)

const testStack = "kc"

// testPoll keeps waits short against the sandbox's short transitions.
var testPoll = poll.Options{First: 10 * time.Millisecond, Max: 40 * time.Millisecond, Timeout: 20 * time.Second}

// env is an AWS (the sandbox, or moto) with the cycle of this package's
// kinds and of the secrets they read, the clients for checks and a
// network for the replication group.
type env struct {
	stack string
	srv   *sandbox.Server // nil on moto
	c     *clients.Clients
	cycle *awstest.Cycle
	net   network
	// handlers are the cycle's handlers by kind.
	handlers map[resource.Kind]resource.Handler
}

// network is a VPC with subnets in two zones and two security groups.
type network struct {
	subnets []string
	sg, sg2 string
}

func newEnv(t *testing.T, opts ...sandbox.Option) *env {
	t.Helper()
	srv := sandboxtest.New(t, opts...)
	e := newEnvOn(t, sandboxtest.AWSConfig(t, srv), testStack)
	e.srv = srv
	return e
}

// newEnvOn is the env of stack over cfg.
func newEnvOn(t *testing.T, cfg aws.Config, stack string) *env {
	t.Helper()
	// Parallel calls can leave a dialed but unused connection, which the
	// sandbox's Close waits for: close them first.
	tr := http.DefaultTransport.(*http.Transport).Clone()
	cfg.HTTPClient = &http.Client{Transport: tr}
	t.Cleanup(tr.CloseIdleConnections)
	c := clients.New(cfg)
	s := &clients.Set{}
	o := clients.Options{Stack: stack, Wait: &testPoll}
	Register(s, c, o)
	secrets.Register(s, c, o)
	e := &env{stack: stack, c: c, cycle: awstest.NewCycle(t, stack, s.Handlers, awstest.Observers(s, c.Tagging)), handlers: map[resource.Kind]resource.Handler{}}
	for _, h := range s.Handlers {
		e.handlers[h.Describe().Kind] = h
	}
	e.net = makeNetwork(t, c.EC2)
	return e
}

// makeNetwork creates the network through the EC2 API.
func makeNetwork(t *testing.T, c *ec2.Client) network {
	t.Helper()
	n := awstest.MakeNetwork(t, c, "10.50", "redis", "redis-other")
	return network{subnets: n.Subnets[:2], sg: n.SecurityGroups[0], sg2: n.SecurityGroups[1]}
}

// app is one application of the stack's Redis.
type app struct{ name, prefix string }

// desired is the Redis part of e's stack as pkg/desired makes it, with
// one user and secret per application, references unresolved and the
// dependencies the references give.
func (e *env) desired(apps ...app) []resource.Desired {
	s := e.stack
	ds := []resource.Desired{
		{Address: "redis.subnet-group", Kind: resource.KindCacheSubnetGroup, Props: resource.Props{
			propName: s + "-redis", propDescription: "Redis subnets of kcstack stack " + s, propSubnetIDs: resource.List(e.net.subnets)}},
		{Address: "redis.default-user", Kind: resource.KindCacheUser, Props: resource.Props{
			propUserID: s + "-default", propUserName: "default", propEngine: "redis", propAccessString: "off -@all"}},
	}
	users := []any{resource.Ref{Address: "redis.default-user", Attr: "id"}}
	deps := []string{"redis.default-user"}
	for _, a := range apps {
		secret, user := "redis.secret["+a.name+"]", "redis.user["+a.name+"]"
		ds = append(ds,
			resource.Desired{Address: secret, Kind: resource.KindSecret, Props: resource.Props{
				"name": "kcstack/" + s + "/redis/" + a.name, "description": "Redis user " + a.name, "username": a.name, "password_length": int64(32)},
				Options: map[string]string{"recovery_window_days": "0"}},
			resource.Desired{Address: user, Kind: resource.KindCacheUser, DependsOn: []string{secret}, Props: resource.Props{
				propUserID: s + "-" + a.name, propUserName: a.name, propEngine: "redis",
				propAccessString:      "on ~" + a.prefix + ":* &" + a.prefix + ":* +@all -@dangerous",
				propPasswordSecretARN: resource.Ref{Address: secret, Attr: "arn"}, propPasswordVersion: resource.Ref{Address: secret, Attr: "version_id"}}})
		users = append(users, resource.Ref{Address: user, Attr: "id"})
		deps = append(deps, user)
	}
	ds = append(ds,
		resource.Desired{Address: "redis.user-group", Kind: resource.KindCacheUserGroup, DependsOn: deps, Props: resource.Props{
			propUserGroupID: s + "-redis", propEngine: "redis", propUserIDs: users}},
		resource.Desired{Address: "redis.replication-group", Kind: resource.KindReplicationGroup,
			DependsOn: []string{"redis.subnet-group", "redis.user-group"}, Props: resource.Props{
				propReplicationGroupID: s + "-redis", propDescription: "Redis of kcstack stack " + s, propEngine: "redis",
				propEngineVersion: "7.1", propNodeType: "cache.t4g.small", propReplicas: int64(1),
				propSubnetGroup: resource.Ref{Address: "redis.subnet-group", Attr: "name"}, propSecurityGroupIDs: []any{e.net.sg},
				propUserGroupIDs:      []any{resource.Ref{Address: "redis.user-group", Attr: "id"}},
				propMaintenanceWindow: "sun:05:00-sun:06:00", propSnapshotWindow: "03:00-04:00", propSnapshotRetention: int64(7),
				propPort: int64(6379), propTransitEncryption: true, propAtRestEncryption: true, propAutomaticFailover: true, propMultiAZ: true},
			Options: map[string]string{"skip_final_snapshot": "false", "final_snapshot_identifier": s + "-redis-final"}},
	)
	for i := range ds {
		ds[i].Component = "redis"
	}
	return awstest.Tagged(ds, s, func(resource.Desired) bool { return true })
}

// find returns the desired resource at addr in ds.
func find(t *testing.T, ds []resource.Desired, addr string) *resource.Desired {
	t.Helper()
	for i := range ds {
		if ds[i].Address == addr {
			return &ds[i]
		}
	}
	t.Fatalf("no desired resource %s", addr)
	return nil
}
