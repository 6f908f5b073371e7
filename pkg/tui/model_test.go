package tui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/apply"
	"github.com/kcstack/kcstack/pkg/plan"
	"github.com/kcstack/kcstack/pkg/plan/plantest"
)

// addresses returns the addresses of cs.
func addresses(cs []plan.Change) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Address)
	}
	return out
}

func TestReviewKeys(t *testing.T) {
	type want struct {
		Screen   screenID
		Quit     bool
		Approved bool
		Applied  int
		Shown    []string
		Cursor   string
		Expanded bool
	}
	creates := []string{"database.vpc", "database.subnet[eu-west-1a]", "database.subnet[eu-west-1b]", "database.cluster", "database.instance[0]"}
	cases := map[string]struct {
		reason string
		plan   func() *plan.Plan
		keys   []string
		want   want
	}{
		"ApproveCreates": {
			reason: "a approves a plan without deletes at once: the apply runs",
			plan:   createsPlan, keys: []string{"a"},
			want: want{Screen: screenProgress, Approved: true, Applied: 1, Shown: creates, Cursor: "database.vpc"},
		},
		"ApproveDestructiveAsks": {
			reason: "a on a plan that deletes opens the confirmation and applies nothing",
			plan:   failedPlan, keys: []string{"a"},
			want: want{Screen: screenConfirm, Shown: addresses(failedPlan().Effective()), Cursor: "targets.rosa-c.peering"},
		},
		"Quit": {
			reason: "q quits without applying",
			plan:   createsPlan, keys: []string{"down", "q"},
			want: want{Quit: true, Shown: creates, Cursor: "database.subnet[eu-west-1a]"},
		},
		"Esc": {
			reason: "esc quits without applying",
			plan:   createsPlan, keys: []string{"esc"},
			want: want{Quit: true, Shown: creates, Cursor: "database.vpc"},
		},
		"CtrlC": {
			reason: "ctrl+c in the review quits without applying",
			plan:   createsPlan, keys: []string{"ctrl+c"},
			want: want{Quit: true, Shown: creates, Cursor: "database.vpc"},
		},
		"Move": {
			reason: "j/k and the arrows move, and stop at the ends",
			plan:   createsPlan, keys: []string{"j", "j", "down", "k", "up", "up", "up", "G"},
			want: want{Shown: creates, Cursor: "database.instance[0]"},
		},
		"Expand": {
			reason: "enter expands the selected change; again collapses it",
			plan:   plantest.Update, keys: []string{"j", "enter"},
			want: want{Shown: []string{"database.security-group", "database.instance[0]"}, Cursor: "database.instance[0]", Expanded: true},
		},
		"OpenClose": {
			reason: "→ shows the diff and ← hides it, whatever the state",
			plan:   plantest.Update, keys: []string{"l", "right", "h", "l"},
			want: want{Shown: []string{"database.security-group", "database.instance[0]"}, Cursor: "database.security-group", Expanded: true},
		},
		"Collapse": {
			reason: "enter twice leaves the change collapsed",
			plan:   plantest.Update, keys: []string{"enter", "enter"},
			want: want{Shown: []string{"database.security-group", "database.instance[0]"}, Cursor: "database.security-group"},
		},
		"Filter": {
			reason: "/ filters by address; j and k are typed, not moves; the cursor goes to the first match",
			plan:   failedPlan, keys: []string{"/", "rosa-b.", "enter"},
			want: want{Shown: []string{"targets.rosa-b.peering", "targets.rosa-b.routes-from-database", "targets.rosa-b.database-ingress"}, Cursor: "targets.rosa-b.peering"},
		},
		"FilterByAction": {
			reason: "the filter matches the action too, case-insensitively",
			plan:   replaceDeletePlan, keys: []string{"/", "REPLACE", "enter"},
			want: want{Shown: []string{"database.cluster", "database.instance[0]"}, Cursor: "database.cluster"},
		},
		"FilterBackspace": {
			reason: "backspace widens the filter again",
			plan:   failedPlan, keys: []string{"/", "peeringx", "backspace", "enter"},
			want: want{Shown: []string{"targets.rosa-c.peering", "targets.rosa-b.peering"}, Cursor: "targets.rosa-c.peering"},
		},
		"FilterCleared": {
			reason: "esc clears the filter before it quits",
			plan:   createsPlan, keys: []string{"/", "cluster", "enter", "esc"},
			want: want{Shown: creates, Cursor: "database.cluster"},
		},
		"ApproveWhileFiltered": {
			reason: "approving from a filtered list still approves the whole plan (which deletes): confirmation",
			plan:   failedPlan, keys: []string{"/", "rosa-c", "enter", "a"},
			want: want{Screen: screenConfirm, Shown: []string{"targets.rosa-c.peering", "targets.rosa-c.routes-from-database", "targets.rosa-c.database-ingress"}, Cursor: "targets.rosa-c.peering"},
		},
		"QWhileFiltering": {
			reason: "q typed in the filter is text, not quit",
			plan:   createsPlan, keys: []string{"/", "q"},
			want: want{Shown: nil, Cursor: ""},
		},
		"HelpThenQuit": {
			reason: "? opens help; q closes help; q again quits",
			plan:   createsPlan, keys: []string{"?", "q", "q"},
			want: want{Quit: true, Shown: creates, Cursor: "database.vpc"},
		},
		"NoChangesCannotApprove": {
			reason: "a does nothing on a plan without changes",
			plan:   plantest.NoChanges, keys: []string{"a"},
			want: want{},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			d := newDriver(t, tc.plan(), 80, 24, nil)
			d.keys(tc.keys...)
			got := want{Screen: d.m.screen, Quit: d.quit, Approved: d.m.outcome.Approved, Applied: d.applied,
				Shown: addresses(d.m.review.changes()), Cursor: d.m.review.cursor, Expanded: d.m.review.expanded[d.m.review.cursor]}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s\nkeys %q (-want +got):\n%s", tc.reason, tc.keys, diff)
			}
		})
	}
}

func TestConfirmName(t *testing.T) {
	cases := map[string]struct {
		reason string
		keys   []string
		// approved is whether the apply ran.
		approved bool
	}{
		"Right":          {reason: "the exact name approves", keys: []string{"prod", "enter"}, approved: true},
		"Edited":         {reason: "backspace corrects a typo", keys: []string{"prodd", "backspace", "enter"}, approved: true},
		"Empty":          {reason: "enter alone never approves: the default is no", keys: []string{"enter"}},
		"Prefix":         {reason: "a prefix of the name cancels", keys: []string{"pro", "enter"}},
		"Upper":          {reason: "the name is case-sensitive", keys: []string{"PROD", "enter"}},
		"Title":          {reason: "the name is case-sensitive", keys: []string{"Prod", "enter"}},
		"Extra":          {reason: "the name plus more characters cancels", keys: []string{"prod1", "enter"}},
		"TrailingSpace":  {reason: "spaces are not trimmed", keys: []string{"prod ", "enter"}},
		"LeadingSpace":   {reason: "spaces are not trimmed", keys: []string{" prod", "enter"}},
		"Yes":            {reason: `"yes" is not the name`, keys: []string{"yes", "enter"}},
		"Y":              {reason: `"y" is not the name`, keys: []string{"y", "enter"}},
		"A":              {reason: "pressing a again is not a confirmation", keys: []string{"a", "enter"}},
		"Esc":            {reason: "esc cancels even after the right name", keys: []string{"prod", "esc"}},
		"CtrlC":          {reason: "ctrl+c cancels even after the right name", keys: []string{"prod", "ctrl+c"}},
		"ClearedByCtrlU": {reason: "ctrl+u clears the input", keys: []string{"prod", "ctrl+u", "enter"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			d := newDriver(t, replaceDeletePlan(), 80, 24, nil)
			d.keys("a")
			if d.m.screen != screenConfirm || d.applied != 0 {
				t.Fatalf("after a: screen %d, applied %d; want the confirmation and nothing applied", d.m.screen, d.applied)
			}
			for _, k := range tc.keys {
				if k == "ctrl+u" {
					d.send(tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl})
					continue
				}
				d.keys(k)
			}
			got := struct{ Approved, Applied, Quit bool }{d.m.outcome.Approved, d.applied == 1, d.quit}
			want := struct{ Approved, Applied, Quit bool }{tc.approved, tc.approved, !tc.approved}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s\nkeys %q (-want +got):\n%s", tc.reason, tc.keys, diff)
			}
			if !tc.approved && d.m.outcome.Reason == "" {
				t.Errorf("%s: a cancelled outcome has no reason", tc.reason)
			}
		})
	}
}

// TestConfirmWithoutStackName checks that an empty stack name can never
// be confirmed, not even by typing nothing.
func TestConfirmWithoutStackName(t *testing.T) {
	p := replaceDeletePlan()
	p.Stack = ""
	d := newDriver(t, p, 80, 24, nil)
	d.keys("a", "enter")
	if d.m.outcome.Approved || d.applied != 0 {
		t.Errorf("an empty stack name was confirmed by an empty input")
	}
}

func TestApplyProgress(t *testing.T) {
	p := createsPlan()
	res := &apply.Result{Added: 5}
	fake := func(_ context.Context, on func(apply.Event)) *apply.Result {
		for _, c := range p.Changes {
			on(apply.Event{Address: c.Address, Action: c.Action, Phase: apply.PhaseStarted, At: t0})
			on(apply.Event{Address: c.Address, Action: c.Action, Phase: apply.PhaseDone, At: t0.Add(time.Second)})
		}
		return res
	}
	d := newDriver(t, p, 80, 24, fake)
	d.keys("a")
	view := d.view()
	for _, want := range []string{"✓   + database.cluster", "created in 1s", "5/5", "Apply complete! Resources: 5 added, 0 changed, 0 destroyed.", "q exit"} {
		if !strings.Contains(view, want) {
			t.Errorf("progress view lacks %q:\n%s", want, view)
		}
	}
	if d.quit {
		t.Fatal("the UI exited before the summary was read")
	}
	d.keys("q")
	if !d.quit || d.m.outcome.Result != res || !d.m.outcome.Approved {
		t.Errorf("after q: quit %v, outcome %+v; want quit with the apply's result", d.quit, d.m.outcome)
	}
}

// TestSignalAtSummary: the caller's context ending (SIGHUP: the terminal
// closed) while the summary of a finished apply waits for q exits the UI
// with the apply's result.
func TestSignalAtSummary(t *testing.T) {
	res := &apply.Result{Added: 1}
	d := newDriver(t, createsPlan(), 80, 24, func(context.Context, func(apply.Event)) *apply.Result { return res })
	d.keys("a")
	if d.quit || !strings.Contains(d.view(), "q exit") {
		t.Fatalf("the summary is not shown:\n%s", d.view())
	}
	d.send(contextDoneMsg{})
	if !d.quit {
		t.Fatal("a signal at the summary of a finished apply did not exit the UI")
	}
	if d.m.outcome.Result != res {
		t.Errorf("outcome %+v, want the apply's result", d.m.outcome)
	}
}

// TestStop drives the stop question against an apply that runs until its
// context ends, in its own goroutine as under tea.Program.
func TestStop(t *testing.T) {
	p := createsPlan()
	applyDone := make(chan struct{})
	m := newModel(context.Background(), p, Options{Stack: "prod", Apply: func(ctx context.Context, on func(apply.Event)) *apply.Result {
		defer close(applyDone)
		on(apply.Event{Address: "database.vpc", Action: plan.ActionCreate, Phase: apply.PhaseStarted, At: time.Now()})
		<-ctx.Done()
		on(apply.Event{Address: "database.vpc", Action: plan.ActionCreate, Phase: apply.PhaseDone, At: time.Now()})
		return &apply.Result{Added: 1, Interrupted: true, NotRun: []string{"database.cluster"}}
	}})
	msgs := make(chan tea.Msg, 16)
	m.send = func(msg tea.Msg) { msgs <- msg }
	press := func(k string) tea.Cmd {
		_, cmd := m.Update(keyMsgs(k)[0])
		return cmd
	}
	_, run := m.Update(press("a")())
	go func() { msgs <- run() }()
	receive := func() tea.Msg {
		select {
		case msg := <-msgs:
			return msg
		case <-time.After(5 * time.Second):
			t.Fatal("no message from the apply in 5s")
		}
		return nil
	}
	m.Update(receive()) // started
	if cmd := press("ctrl+c"); cmd != nil || !strings.Contains(m.View().Content, "Stop the apply?") {
		t.Fatalf("ctrl+c did not ask whether to stop:\n%s", m.View().Content)
	}
	press("n")
	if strings.Contains(m.View().Content, "Stop the apply?") {
		t.Fatal("n did not dismiss the question")
	}
	select {
	case <-applyDone:
		t.Fatal("the apply stopped without being asked to")
	default:
	}
	press("ctrl+c")
	stop := press("y")
	if stop == nil {
		t.Fatal("y did not stop")
	}
	m.Update(stop())
	m.Update(receive()) // done event
	m.Update(receive()) // result
	<-applyDone
	view := m.View().Content
	for _, want := range []string{"Apply interrupted.", "Resources: 1 added"} {
		if !strings.Contains(view, want) {
			t.Errorf("view after stopping lacks %q:\n%s", want, view)
		}
	}
	if out := m.finish(); !out.Approved || out.Result == nil || !out.Result.Interrupted {
		t.Errorf("outcome %+v, want approved and interrupted", out)
	}
}

func TestSecondInterruptExits(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	m := newModel(context.Background(), createsPlan(), Options{Stack: "prod", Apply: func(ctx context.Context, on func(apply.Event)) *apply.Result {
		<-release // a call in flight that outlives the stop
		return &apply.Result{Interrupted: true}
	}})
	m.send = func(tea.Msg) {}
	press := func(k string) tea.Cmd {
		_, cmd := m.Update(keyMsgs(k)[0])
		return cmd
	}
	_, run := m.Update(press("a")())
	go run()
	press("ctrl+c")
	m.Update(press("ctrl+c")()) // yes: stop
	if !strings.Contains(m.View().Content, "exit now") {
		t.Errorf("the stopping notice does not say ctrl+c exits at once:\n%s", m.View().Content)
	}
	abort := press("ctrl+c")
	if abort == nil {
		t.Fatal("a second ctrl+c while stopping did nothing")
	}
	if _, quit := m.Update(abort()); quit == nil {
		t.Fatal("a second ctrl+c while stopping did not quit")
	}
	if out := m.finish(); !out.Aborted || out.Result != nil {
		t.Errorf("outcome %+v, want aborted without a result", out)
	}
}

func TestResize(t *testing.T) {
	d := newDriver(t, longPlan(), 80, 24, nil)
	d.keys("G")
	last := "targets.rosa-j.database-ingress"
	for _, size := range [][2]int{{80, 24}, {120, 40}, {60, 12}, {200, 10}} {
		d.send(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
		view := d.view()
		lines := strings.Split(view, "\n")
		if len(lines) != size[1] {
			t.Errorf("%dx%d: %d lines", size[0], size[1], len(lines))
		}
		if !strings.Contains(view, "▸") || !strings.Contains(view, last[:min(len(last), size[0]-14)]) {
			t.Errorf("%dx%d: the selected last change is not shown:\n%s", size[0], size[1], view)
		}
	}
	d.keys("g")
	if view := d.view(); !strings.Contains(view, "▸   + targets.rosa-a.peering") {
		t.Errorf("after g the first change is not shown:\n%s", view)
	}
}

func TestScrollFollowsCursor(t *testing.T) {
	d := newDriver(t, longPlan(), 80, 24, nil)
	for i := range 29 {
		d.keys("j")
		c := d.m.review.cursor
		if view := d.view(); !strings.Contains(view, "▸   + "+c) {
			t.Fatalf("after %d moves the selected %s is not shown:\n%s", i+1, c, view)
		}
	}
}
