// Package graph orders work with dependencies: it checks a dependency
// graph for cycles, sorts it topologically, and walks it with bounded
// parallelism, starting each node as soon as everything it depends on has
// succeeded and skipping nodes whose dependencies failed.
package graph

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
)

// Graph maps each node to the nodes it depends on. Dependencies on nodes
// absent from the graph are ignored (they are already satisfied).
type Graph map[string][]string

// Sort returns the nodes so that every node comes after its dependencies,
// ties broken by name, or an error naming a cycle.
func (g Graph) Sort() ([]string, error) {
	indeg := map[string]int{}
	users := map[string][]string{}
	for n, deps := range g {
		indeg[n] += 0
		for _, d := range deps {
			if _, ok := g[d]; ok && d != n {
				indeg[n]++
				users[d] = append(users[d], n)
			}
		}
	}
	var ready, out []string
	for n, k := range indeg {
		if k == 0 {
			ready = append(ready, n)
		}
	}
	for len(ready) > 0 {
		sort.Strings(ready)
		n := ready[0]
		ready = ready[1:]
		out = append(out, n)
		for _, u := range users[n] {
			if indeg[u]--; indeg[u] == 0 {
				ready = append(ready, u)
			}
		}
	}
	if len(out) != len(g) {
		var stuck []string
		for n, k := range indeg {
			if k > 0 {
				stuck = append(stuck, n)
			}
		}
		sort.Strings(stuck)
		return nil, fmt.Errorf("dependency cycle among %s", strings.Join(stuck, ", "))
	}
	return out, nil
}

// Result is what happened to one node in a Walk.
type Result struct {
	Err error
	// Skipped is set when the node did not run because a dependency
	// failed or was skipped, or the walk was stopped.
	Skipped bool
	// BlockedBy names the dependency that failed, for skipped nodes.
	BlockedBy string
}

// Walk runs visit for every node, at most parallel at a time, each only
// after all its dependencies succeeded. When ctx is cancelled no new node
// starts; running ones finish. It returns every node's result.
func (g Graph) Walk(ctx context.Context, parallel int, visit func(ctx context.Context, node string) error) (map[string]Result, error) {
	order, err := g.Sort()
	if err != nil {
		return nil, err
	}
	if parallel < 1 {
		parallel = 1
	}
	w := &walk{g: g, results: map[string]Result{}, done: map[string]chan struct{}{}}
	for _, n := range order {
		w.done[n] = make(chan struct{})
	}
	sem := make(chan struct{}, parallel)
	var wg sync.WaitGroup
	for _, n := range order {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer close(w.done[n])
			w.run(ctx, n, sem, visit)
		}()
	}
	wg.Wait()
	return w.results, nil
}

type walk struct {
	g       Graph
	mu      sync.Mutex
	results map[string]Result
	done    map[string]chan struct{}
}

func (w *walk) run(ctx context.Context, n string, sem chan struct{}, visit func(context.Context, string) error) {
	for _, d := range w.g[n] {
		ch, ok := w.done[d]
		if !ok || d == n {
			continue
		}
		<-ch
		if r := w.result(d); r.Err != nil || r.Skipped {
			w.set(n, Result{Skipped: true, BlockedBy: d})
			return
		}
	}
	select {
	case sem <- struct{}{}:
	case <-ctx.Done():
		w.set(n, Result{Skipped: true})
		return
	}
	defer func() { <-sem }()
	if ctx.Err() != nil {
		w.set(n, Result{Skipped: true})
		return
	}
	w.set(n, Result{Err: visit(ctx, n)})
}

func (w *walk) result(n string) Result {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.results[n]
}

func (w *walk) set(n string, r Result) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.results[n] = r
}
