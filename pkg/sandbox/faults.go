package sandbox

import (
	"math/rand/v2"
	"sync"
)

// faultInjector draws reproducible fault decisions.
type faultInjector struct {
	f   Faults
	mu  sync.Mutex
	rng *rand.Rand
	// lost counts down the answers still to lose, by operation name
	// (WithLostAnswers).
	lost map[string]int
}

func newFaultInjector(f Faults, lost map[string]int) *faultInjector {
	left := make(map[string]int, len(lost))
	for op, n := range lost {
		left[op] = n
	}
	return &faultInjector{f: f, rng: rand.New(rand.NewPCG(f.Seed, f.Seed^0x9e3779b97f4a7c15)), lost: left}
}

// loses reports whether the answer of a call of op that succeeded is lost
// (WithLostAnswers), and counts it: a name with the service (its sandbox
// name or signing name) first, then the bare operation.
func (fi *faultInjector) loses(service, signing, op string) bool {
	if !isMutating(op) {
		return false
	}
	fi.mu.Lock()
	defer fi.mu.Unlock()
	for _, key := range []string{service + ":" + op, signing + ":" + op, op} {
		if fi.lost[key] > 0 {
			fi.lost[key]--
			return true
		}
	}
	return false
}

// fault is what happens to one call.
type fault int

const (
	faultNone fault = iota
	faultThrottle
	faultInternal
	faultUnavailable
	faultAmbiguous
)

// draw decides the fault for one call. mutating says whether the call
// changes state (only those can fail ambiguously).
func (fi *faultInjector) draw(mutating bool) fault {
	if fi.f.ThrottleRate == 0 && fi.f.ErrorRate == 0 && fi.f.AmbiguousRate == 0 {
		return faultNone
	}
	fi.mu.Lock()
	defer fi.mu.Unlock()
	switch {
	case fi.rng.Float64() < fi.f.ThrottleRate:
		return faultThrottle
	case fi.rng.Float64() < fi.f.ErrorRate:
		if fi.rng.IntN(2) == 0 {
			return faultInternal
		}
		return faultUnavailable
	case mutating && fi.rng.Float64() < fi.f.AmbiguousRate:
		return faultAmbiguous
	}
	return faultNone
}

// callCounter counts calls per service and operation.
type callCounter struct {
	mu sync.Mutex
	n  map[string]map[string]int
}

func newCallCounter() *callCounter { return &callCounter{n: map[string]map[string]int{}} }

func (c *callCounter) add(service, op string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n[service] == nil {
		c.n[service] = map[string]int{}
	}
	c.n[service][op]++
}

func (c *callCounter) snapshot() map[string]map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]map[string]int, len(c.n))
	for svc, ops := range c.n {
		out[svc] = make(map[string]int, len(ops))
		for op, n := range ops {
			out[svc][op] = n
		}
	}
	return out
}

func (c *callCounter) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n = map[string]map[string]int{}
}

// left returns the answers still to lose, by name.
func (fi *faultInjector) left() map[string]int {
	fi.mu.Lock()
	defer fi.mu.Unlock()
	out := map[string]int{}
	for op, n := range fi.lost {
		if n > 0 {
			out[op] = n
		}
	}
	return out
}
