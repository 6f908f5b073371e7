package state

import (
	"context"
	"fmt"
	"sort"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/kcstack/kcstack/pkg/resource"
)

// FormatVersion is the version of a Snapshot's JSON form.
const FormatVersion = "1.0"

// Snapshot is what AWS holds for a stack at one moment.
type Snapshot struct {
	FormatVersion string `json:"format_version"`
	Stack         string `json:"stack"`
	// Observations by address: one per desired resource (Exists false
	// when missing) and one per owned resource no longer desired.
	Observations map[string]resource.Observation `json:"observations"`
	// Extra are owned observations whose address collides with another
	// owned one (a duplicate from an interrupted create); plans delete them.
	Extra []resource.Observation `json:"extra,omitempty"`
}

// Observe runs every observer for the desired resources of stack and
// returns the snapshot. Observers of one round run in parallel; a round
// starts when the previous one has finished.
func Observe(ctx context.Context, stack string, desired []resource.Desired, observers []resource.Observer) (*Snapshot, error) {
	snap := &Snapshot{FormatVersion: FormatVersion, Stack: stack, Observations: map[string]resource.Observation{}}
	for _, round := range rounds(observers) {
		results, err := runRound(ctx, stack, desired, snap.Observations, round)
		if err != nil {
			return nil, err
		}
		for _, ob := range results {
			snap.add(ob)
		}
	}
	return snap, nil
}

func (s *Snapshot) add(ob resource.Observation) {
	if ob.Address == "" {
		return // owned but without an address tag: not kcstack's to judge
	}
	prev, ok := s.Observations[ob.Address]
	switch {
	case !ok || !prev.Exists:
		s.Observations[ob.Address] = ob
	case ob.Exists && ob.ID != prev.ID && ob.Owned:
		s.Extra = append(s.Extra, ob)
	}
}

func rounds(observers []resource.Observer) [][]resource.Observer {
	by := map[int][]resource.Observer{}
	for _, o := range observers {
		by[o.Round()] = append(by[o.Round()], o)
	}
	keys := make([]int, 0, len(by))
	for k := range by {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	out := make([][]resource.Observer, 0, len(keys))
	for _, k := range keys {
		out = append(out, by[k])
	}
	return out
}

func runRound(ctx context.Context, stack string, desired []resource.Desired, known map[string]resource.Observation, round []resource.Observer) ([]resource.Observation, error) {
	q := resource.Query{Stack: stack, Desired: desired, Known: copyKnown(known)}
	var mu sync.Mutex
	var all []resource.Observation
	g, gctx := errgroup.WithContext(ctx)
	for _, o := range round {
		g.Go(func() error {
			obs, err := o.Observe(gctx, q)
			if err != nil {
				return fmt.Errorf("read live AWS: %w", err)
			}
			mu.Lock()
			all = append(all, obs...)
			mu.Unlock()
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].Address < all[j].Address })
	return all, nil
}

func copyKnown(m map[string]resource.Observation) map[string]resource.Observation {
	out := make(map[string]resource.Observation, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
