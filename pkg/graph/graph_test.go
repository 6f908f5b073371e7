package graph

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSort(t *testing.T) {
	cases := map[string]struct {
		reason  string
		g       Graph
		want    []string
		wantErr bool
	}{
		"chain":   {reason: "dependencies come first", g: Graph{"c": {"b"}, "b": {"a"}, "a": nil}, want: []string{"a", "b", "c"}},
		"ties":    {reason: "independent nodes sort by name", g: Graph{"z": nil, "y": nil, "x": {"z"}}, want: []string{"y", "z", "x"}},
		"outside": {reason: "a dependency outside the graph is already satisfied", g: Graph{"a": {"elsewhere"}}, want: []string{"a"}},
		"cycle":   {reason: "a cycle is an error", g: Graph{"a": {"b"}, "b": {"a"}}, wantErr: true},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := tc.g.Sort()
			if (err != nil) != tc.wantErr {
				t.Fatalf("%s: err %v", tc.reason, err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s\n-want +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestWalkOrderAndFailure(t *testing.T) {
	g := Graph{"vpc": nil, "subnet": {"vpc"}, "cluster": {"subnet"}, "instance": {"cluster"}, "sg": {"vpc"}}
	var mu sync.Mutex
	var seen []string
	res, err := g.Walk(context.Background(), 4, func(_ context.Context, n string) error {
		mu.Lock()
		defer mu.Unlock()
		for _, d := range g[n] {
			if !contains(seen, d) {
				t.Errorf("%s ran before its dependency %s", n, d)
			}
		}
		seen = append(seen, n)
		if n == "cluster" {
			return errors.New("boom")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !res["instance"].Skipped || res["instance"].BlockedBy != "cluster" {
		t.Errorf("instance: %+v, want skipped, blocked by cluster", res["instance"])
	}
	if res["sg"].Err != nil || res["sg"].Skipped {
		t.Errorf("sg: %+v, want run: an independent change finishes despite the failure", res["sg"])
	}
}

func TestWalkBoundsParallelism(t *testing.T) {
	g := Graph{}
	for _, n := range []string{"a", "b", "c", "d", "e", "f"} {
		g[n] = nil
	}
	var running, peak int32
	_, err := g.Walk(context.Background(), 2, func(context.Context, string) error {
		n := atomic.AddInt32(&running, 1)
		for {
			p := atomic.LoadInt32(&peak)
			if n <= p || atomic.CompareAndSwapInt32(&peak, p, n) {
				break
			}
		}
		atomic.AddInt32(&running, -1)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if peak > 2 {
		t.Errorf("peak parallelism %d, want at most 2", peak)
	}
}

func TestWalkStopsScheduling(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	g := Graph{"a": nil, "b": {"a"}}
	res, err := g.Walk(ctx, 1, func(_ context.Context, n string) error {
		cancel()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if res["a"].Skipped || !res["b"].Skipped {
		t.Errorf("results %+v: want a run (in flight) and b skipped after cancel", res)
	}
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}
