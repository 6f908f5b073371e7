package tui

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/apply"
	"github.com/kcstack/kcstack/pkg/plan"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// sizes are the terminal sizes every view is rendered at.
var sizes = [][2]int{{80, 24}, {120, 40}}

// t0 is when fixture applies start.
var t0 = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

// golden compares got with testdata/name.golden, or rewrites it with
// -update. Every view must fill the screen exactly and never overflow it.
func golden(t *testing.T, name string, got string, width, height int) {
	t.Helper()
	lines := strings.Split(got, "\n")
	if len(lines) != height {
		t.Errorf("%s: %d lines, want %d", name, len(lines), height)
	}
	for i, l := range lines {
		if w := ansi.StringWidth(l); w > width {
			t.Errorf("%s: line %d is %d cells wide, more than %d: %q", name, i+1, w, width, l)
		}
	}
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./pkg/tui -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s: view differs from %s (-want +got):\n%s", name, path, diff)
	}
}

// reviewSetup puts a review into the state its golden file shows.
var reviewSetup = map[string]struct {
	reason string
	keys   []string
}{
	"no-changes":     {reason: "a plan that does nothing says so and offers only quit"},
	"creates":        {reason: "creates are listed by component, first selected"},
	"update":         {reason: "the first update expanded into its field diffs", keys: []string{"enter"}},
	"replace-delete": {reason: "the replacement expanded with its reasons and data-loss warning", keys: []string{"enter"}},
	"failed":         {reason: "a filter narrows the list to one target", keys: []string{"/", "rosa-b", "enter", "down"}},
	"notes":          {reason: "the notes follow the changes, the blocking one marked"},
	"notes-only":     {reason: "a plan that changes nothing it read still shows why it did not read the rest"},
}

func TestReviewGolden(t *testing.T) {
	for name, tc := range reviewSetup {
		for _, size := range sizes {
			t.Run(fmt.Sprintf("%s/%dx%d", name, size[0], size[1]), func(t *testing.T) {
				d := newDriver(t, fixtures[name](), size[0], size[1], nil)
				d.keys(tc.keys...)
				golden(t, fmt.Sprintf("%s.review.%dx%d", name, size[0], size[1]), d.view(), size[0], size[1])
			})
		}
	}
}

// confirmSetup is the name typed so far on each destructive fixture's
// confirmation; the other fixtures never show one.
var confirmSetup = map[string]string{
	"replace-delete": "",
	"failed":         "pro",
	"long-destroy":   "prod",
}

func TestConfirmGolden(t *testing.T) {
	for name, typed := range confirmSetup {
		for _, size := range sizes {
			t.Run(fmt.Sprintf("%s/%dx%d", name, size[0], size[1]), func(t *testing.T) {
				d := newDriver(t, fixtures[name](), size[0], size[1], nil)
				d.keys("a", typed)
				if d.m.screen != screenConfirm {
					t.Fatalf("screen %d after a, want the confirmation", d.m.screen)
				}
				wants := []string{"> " + typed + "█", "enter confirm"}
				if name != "failed" {
					wants = append(wants, "WARNING: DATA LOSS")
				}
				for _, want := range wants {
					if !strings.Contains(d.view(), want) {
						t.Errorf("the confirmation does not show %q", want)
					}
				}
				golden(t, fmt.Sprintf("%s.confirm.%dx%d", name, size[0], size[1]), d.view(), size[0], size[1])
			})
		}
	}
}

// apiErr is an AWS API error as the SDK's smithy.GenericAPIError shows it.
type apiErr struct{ code, msg string }

func (e apiErr) Error() string        { return "api error " + e.code + ": " + e.msg }
func (e apiErr) ErrorCode() string    { return e.code }
func (e apiErr) ErrorMessage() string { return e.msg }

// at returns an event of the fixture apply, s seconds after t0.
func at(s float64, addr string, a plan.Action, ph apply.Phase) apply.Event {
	return apply.Event{Address: addr, Action: a, Phase: ph, At: t0.Add(time.Duration(s * float64(time.Second)))}
}

// progressSetup is the events (and result, when finished) each fixture's
// progress golden shows, and the clock when it is drawn.
var progressSetup = map[string]struct {
	reason string
	events []apply.Event
	result *apply.Result
	now    float64
	keys   []string
}{
	"no-changes": {reason: "nothing to do: the summary at once", result: &apply.Result{}},
	"creates": {
		reason: "mid-apply: done, running, waiting for a dependency",
		events: []apply.Event{
			at(0, "database.vpc", plan.ActionCreate, apply.PhaseStarted),
			at(1.2, "database.vpc", plan.ActionCreate, apply.PhaseDone),
			at(1.2, "database.subnet[eu-west-1a]", plan.ActionCreate, apply.PhaseStarted),
			at(1.2, "database.subnet[eu-west-1b]", plan.ActionCreate, apply.PhaseStarted),
			at(1.9, "database.subnet[eu-west-1a]", plan.ActionCreate, apply.PhaseDone),
		},
		now: 4.5,
	},
	"update": {
		reason: "a retried update shows the attempt and the AWS error",
		events: []apply.Event{
			at(0, "database.security-group", plan.ActionUpdate, apply.PhaseStarted),
			at(0, "database.instance[0]", plan.ActionUpdate, apply.PhaseStarted),
			{Address: "database.security-group", Action: plan.ActionUpdate, Phase: apply.PhaseRetry, At: t0.Add(time.Second), Attempt: 2,
				Err: fmt.Errorf("authorize ingress: %w", apiErr{"Throttling", "Rate exceeded"})},
			at(31, "database.instance[0]", plan.ActionUpdate, apply.PhaseDone),
		},
		now: 62,
	},
	"replace-delete": {
		reason: "a replacement between its halves, and the stop question",
		events: []apply.Event{
			at(0, "targets.rosa-b.peering", plan.ActionDelete, apply.PhaseStarted),
			at(0.4, "targets.rosa-b.peering", plan.ActionDelete, apply.PhaseDone),
			{Address: "database.cluster", Action: plan.ActionReplace, Phase: apply.PhaseStarted, Step: "destroy", At: t0},
			{Address: "database.cluster", Action: plan.ActionReplace, Phase: apply.PhaseDone, Step: "destroy", At: t0.Add(20 * time.Second)},
			{Address: "database.cluster", Action: plan.ActionReplace, Phase: apply.PhaseStarted, Step: "create", At: t0.Add(20 * time.Second)},
		},
		now:  95,
		keys: []string{"ctrl+c"},
	},
	"long-destroy": {
		reason: "a destroy longer than the screen follows the changes in flight; waiting lines are cut, not wrapped",
		events: []apply.Event{
			at(0, "targets.rosa-a.routes-from-database", plan.ActionDelete, apply.PhaseStarted),
			at(0.2, "targets.rosa-a.routes-from-database", plan.ActionDelete, apply.PhaseDone),
			at(0, "targets.rosa-a.database-ingress", plan.ActionDelete, apply.PhaseStarted),
			at(0.1, "targets.rosa-a.database-ingress", plan.ActionDelete, apply.PhaseDone),
			at(0.2, "targets.rosa-a.peering", plan.ActionDelete, apply.PhaseStarted),
		},
		now: 0.9,
	},
	"failed": {
		reason: "finished with a failure: the AWS code and message inline, dependents not applied",
		events: []apply.Event{
			at(0, "targets.rosa-c.peering", plan.ActionCreate, apply.PhaseStarted),
			at(0, "targets.rosa-c.database-ingress", plan.ActionCreate, apply.PhaseStarted),
			at(0, "targets.rosa-b.routes-from-database", plan.ActionDelete, apply.PhaseStarted),
			at(0, "targets.rosa-b.database-ingress", plan.ActionDelete, apply.PhaseStarted),
			at(0.3, "targets.rosa-c.peering", plan.ActionCreate, apply.PhaseDone),
			at(0.3, "targets.rosa-c.routes-from-database", plan.ActionCreate, apply.PhaseStarted),
			at(0.5, "targets.rosa-c.routes-from-database", plan.ActionCreate, apply.PhaseDone),
			at(0.6, "targets.rosa-c.database-ingress", plan.ActionCreate, apply.PhaseDone),
			at(0.7, "targets.rosa-b.database-ingress", plan.ActionDelete, apply.PhaseDone),
			{Address: "targets.rosa-b.routes-from-database", Action: plan.ActionDelete, Phase: apply.PhaseFailed, At: t0.Add(1500 * time.Millisecond),
				Err: fmt.Errorf("delete route 10.2.0.0/16 from rtb-0aa: %w", apiErr{"InvalidRoute.NotFound", "no route with destination-cidr-block 10.2.0.0/16 in route table rtb-0aa"})},
			{Address: "targets.rosa-b.peering", Action: plan.ActionDelete, Phase: apply.PhaseSkipped, At: t0.Add(1500 * time.Millisecond),
				BlockedBy: "targets.rosa-b.routes-from-database"},
		},
		result: &apply.Result{Added: 3, Destroyed: 1,
			Failed: []apply.Failure{{Address: "targets.rosa-b.routes-from-database", Err: errors.New("InvalidRoute.NotFound")}},
			NotRun: []string{"targets.rosa-b.peering"}},
		now: 1.5,
	},
}

func TestProgressGolden(t *testing.T) {
	for name, tc := range progressSetup {
		for _, size := range sizes {
			t.Run(fmt.Sprintf("%s/%dx%d", name, size[0], size[1]), func(t *testing.T) {
				d := newDriver(t, fixtures[name](), size[0], size[1], nil)
				d.m.screen = screenProgress
				g := d.m.progress
				g.started(t0)
				for _, ev := range tc.events {
					d.send(eventMsg{ev: ev})
				}
				if tc.result != nil {
					d.send(doneMsg{res: tc.result})
				}
				g.now = t0.Add(time.Duration(tc.now * float64(time.Second)))
				d.keys(tc.keys...)
				golden(t, fmt.Sprintf("%s.progress.%dx%d", name, size[0], size[1]), d.view(), size[0], size[1])
			})
		}
	}
}

// TestColorGolden keeps the colours: green +, yellow ~, red - and -/+
// halves, bold red data loss, the selection in reverse video.
func TestColorGolden(t *testing.T) {
	d := newDriver(t, replaceDeletePlan(), 80, 24, nil)
	st := newStyles(true)
	d.m.review.st, d.m.confirm.st, d.m.progress.st = st, st, st
	d.keys("enter")
	golden(t, "replace-delete.review.color.80x24", d.view(), 80, 24)
	d.keys("a", "pro")
	golden(t, "replace-delete.confirm.color.80x24", d.view(), 80, 24)
}

// TestHelpGolden renders the review's help.
func TestHelpGolden(t *testing.T) {
	for _, size := range sizes {
		d := newDriver(t, createsPlan(), size[0], size[1], nil)
		d.keys("?")
		golden(t, fmt.Sprintf("creates.help.%dx%d", size[0], size[1]), d.view(), size[0], size[1])
	}
}
