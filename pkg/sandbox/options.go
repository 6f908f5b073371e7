package sandbox

import (
	"time"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
	"github.com/kcstack/kcstack/pkg/sandbox/sigv4"
	"github.com/kcstack/kcstack/pkg/sandbox/statelock"
)

// Option configures a Server.
type Option func(*config)

type config struct {
	listen       string
	allowRemote  bool
	credentials  *sigv4.Credentials
	certificates []certificate
	stateFile    string
	stateLock    *statelock.Lock
	accountID    string
	settings     api.Settings
	faults       Faults
	lost         map[string]int
	services     []api.Service
	servicesSet  bool
}

// Faults are the injected misbehaviours. Rates are probabilities in [0,1]
// per call, drawn from a generator seeded with Seed.
type Faults struct {
	// Latency is added to every call before it is handled.
	Latency time.Duration
	// ThrottleRate is the share of calls answered with the service's
	// throttling error, before the operation runs.
	ThrottleRate float64
	// ErrorRate is the share of calls answered with a 500 or 503, before
	// the operation runs.
	ErrorRate float64
	// AmbiguousRate is the share of mutating calls that run and then
	// answer 500 anyway, as when a response is lost: the client cannot
	// know whether the change happened.
	AmbiguousRate float64
	// TaskFailureRate is the share of ECS tasks that fail their load
	// balancer health check once running (or whose essential container
	// exits, for a service without a load balancer): ECS stops each one and
	// starts another, so with 1 a service never reaches a steady state.
	// Which tasks fail depends on Seed, the service and the task's number
	// in it, never on timing.
	TaskFailureRate float64
	// Seed makes the fault sequence reproducible.
	Seed uint64
}

// WithListen sets the address to listen on (default 127.0.0.1:0). Start
// refuses an address outside 127.0.0.0/8, ::1 and localhost (":4566"
// included) unless WithAllowRemote is given.
func WithListen(addr string) Option { return func(c *config) { c.listen = addr } }

// WithAllowRemote lets Start listen on an address that is not a loopback
// one, which it refuses otherwise.
func WithAllowRemote() Option { return func(c *config) { c.allowRemote = true } }

// WithCredentials makes the sandbox check the SigV4 signature of every
// request against this one key pair, refusing the others as AWS would
// (SignatureDoesNotMatch for a wrong secret, InvalidClientTokenId and its
// kin for another access key, a time more than 15 minutes off). Without
// it any signature, or none, is accepted.
func WithCredentials(accessKeyID, secret string) Option {
	return func(c *config) { c.credentials = &sigv4.Credentials{AccessKeyID: accessKeyID, Secret: secret} }
}

// WithStateFile persists the state to path after every change and loads
// it from there at start. The server holds the file's lock (package
// statelock) from New to Close: New fails with a *statelock.HeldError
// when another server, in this process or another, holds it, unless
// WithStateLock hands it a lock already taken.
func WithStateFile(path string) Option { return func(c *config) { c.stateFile = path } }

// WithStateLock gives New the lock of the state file, taken beforehand
// with statelock.Acquire (which can wait for another holder). The server
// owns it from then on: New releases it when it fails, Close when it is
// done. It must be the lock of the WithStateFile path.
func WithStateLock(l *statelock.Lock) Option { return func(c *config) { c.stateLock = l } }

// WithFaults sets the injected faults.
func WithFaults(f Faults) Option { return func(c *config) { c.faults = f } }

// WithLostAnswers loses the answers of the first n calls of each named
// operation: the call runs and changes the state, then the client gets a
// 500, as with Faults.AmbiguousRate, so it cannot know whether the change
// happened. A name is an operation ("CreateNatGateway"), counted over
// every service, or a service and an operation ("ecs:CreateService",
// "servicediscovery:CreateService"), the service named by its sandbox name
// or its SigV4 signing name ("elasticloadbalancing:CreateLoadBalancer").
// Calls refused before they run (throttled, invalid) do not count, and
// only mutating operations lose answers. Options given later add to
// earlier ones.
func WithLostAnswers(n map[string]int) Option {
	return func(c *config) {
		if c.lost == nil {
			c.lost = map[string]int{}
		}
		for op, k := range n {
			c.lost[op] += k
		}
	}
}

// WithDelays sets how long resources stay creating and deleting.
func WithDelays(create, del time.Duration) Option {
	return func(c *config) { c.settings.CreateDelay, c.settings.DeleteDelay = create, del }
}

// WithServices replaces the emulated services (default: all of them).
func WithServices(s ...api.Service) Option {
	return func(c *config) { c.services, c.servicesSet = s, true }
}

// WithAccountID sets the 12-digit account id the sandbox reports.
func WithAccountID(id string) Option { return func(c *config) { c.accountID = id } }

func defaults() config {
	return config{
		listen:    "127.0.0.1:0",
		accountID: "123456789012",
		settings:  api.Settings{CreateDelay: time.Second, DeleteDelay: 500 * time.Millisecond},
	}
}
