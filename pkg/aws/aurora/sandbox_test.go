package aurora

import (
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	rgt "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi"

	"github.com/kcstack/kcstack/pkg/aws/awstest"
	"github.com/kcstack/kcstack/pkg/aws/poll"
	"github.com/kcstack/kcstack/pkg/resource"
	"github.com/kcstack/kcstack/pkg/sandbox"
	"github.com/kcstack/kcstack/pkg/sandbox/sandboxtest"
)

// testPoll keeps waits short against the sandbox's 30 ms transitions.
var testPoll = poll.Options{First: 10 * time.Millisecond, Max: 40 * time.Millisecond, Timeout: 10 * time.Second}

// env is a sandbox with the handlers and raw SDK clients for checks.
type env struct {
	// stack is the stack observe reads for (testStack unless set).
	stack string
	srv   *sandbox.Server
	cfg   aws.Config
	h     kinds
	rds   *rds.Client
	ec2   *ec2.Client
	net   network
}

// network is the VPC, two subnets in two zones and a security group the
// DB subnet group and cluster use.
type network struct {
	vpc, sg          string
	subnets, zones   []string
	otherSG, subnetC string
}

func newEnv(t *testing.T, opts ...sandbox.Option) *env {
	t.Helper()
	e := newBareEnv(t, opts...)
	e.net = makeNetwork(t, e.ec2)
	return e
}

// newBareEnv is newEnv without the network, for sandboxes with options.
func newBareEnv(t *testing.T, opts ...sandbox.Option) *env {
	t.Helper()
	srv := sandboxtest.New(t, opts...)
	cfg := sandboxtest.AWSConfig(t, srv)
	// Parallel calls can leave a dialed but unused connection, which the
	// sandbox's Close waits 5 s for: close them first (cleanups run last
	// registered first).
	tr := http.DefaultTransport.(*http.Transport).Clone()
	cfg.HTTPClient = &http.Client{Transport: tr}
	t.Cleanup(tr.CloseIdleConnections)
	e := &env{
		stack: testStack, srv: srv, cfg: cfg, rds: rds.NewFromConfig(cfg), ec2: ec2.NewFromConfig(cfg),
		h: newKinds(rds.NewFromConfig(cfg), rgt.NewFromConfig(cfg), &testPoll),
	}
	return e
}

// makeNetwork creates the VPC, subnets in eu-west-1a, -1b and -1c and two
// security groups through the EC2 API.
func makeNetwork(t *testing.T, c *ec2.Client) network {
	t.Helper()
	n := awstest.MakeNetwork(t, c, "10.40", "kc-aurora", "kc-other")
	return network{vpc: n.VPC, sg: n.SecurityGroups[0], otherSG: n.SecurityGroups[1],
		subnets: n.Subnets[:2], zones: n.Zones[:2], subnetC: n.Subnets[2]}
}

// propString returns the string prop k of p, "" when absent or not a string.
func propString(p resource.Props, k string) string {
	s, _ := p[k].(string)
	return s
}
