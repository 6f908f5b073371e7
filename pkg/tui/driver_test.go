package tui

import (
	"context"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/kcstack/kcstack/pkg/apply"
	"github.com/kcstack/kcstack/pkg/plan"
)

// driver runs a root model the way tea.Program does, synchronously:
// every command's message is fed back until none is left. Ticks are off,
// so views depend only on the messages given.
type driver struct {
	t     *testing.T
	m     *model
	queue []tea.Msg
	// quit is set once the model asked the program to quit.
	quit bool
	// applied counts calls of the Apply function.
	applied int
}

// newDriver returns a driver for plan p at width × height. apply, when
// nil, applies nothing and returns an empty result.
func newDriver(t *testing.T, p *plan.Plan, width, height int, apply ApplyFunc) *driver {
	t.Helper()
	d := &driver{t: t}
	if apply == nil {
		apply = func(context.Context, func(applyEvent)) *applyResult { return &applyResult{} }
	}
	d.m = newModel(context.Background(), p, Options{Stack: p.Stack, Apply: func(ctx context.Context, on func(applyEvent)) *applyResult {
		d.applied++
		return apply(ctx, on)
	}})
	d.m.send = func(msg tea.Msg) { d.queue = append(d.queue, msg) }
	d.send(tea.WindowSizeMsg{Width: width, Height: height})
	return d
}

// Aliases keep test signatures short.
type (
	applyEvent  = apply.Event
	applyResult = apply.Result
)

// send delivers msgs and everything their commands produce.
func (d *driver) send(msgs ...tea.Msg) {
	d.t.Helper()
	d.queue = append(d.queue, msgs...)
	for len(d.queue) > 0 && !d.quit {
		msg := d.queue[0]
		d.queue = d.queue[1:]
		_, cmd := d.m.Update(msg)
		d.run(cmd)
	}
}

// run executes cmd and queues its message; a batch runs each command.
func (d *driver) run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	switch msg := cmd().(type) {
	case nil:
	case tea.QuitMsg:
		d.quit = true
	case tea.BatchMsg:
		for _, c := range msg {
			d.run(c)
		}
	default:
		d.queue = append(d.queue, msg)
	}
}

// keys presses each key in turn: "a", "enter", "esc", "ctrl+c", "up",
// "down", "backspace", or any printable text typed one rune at a time.
func (d *driver) keys(ks ...string) {
	d.t.Helper()
	for _, k := range ks {
		for _, msg := range keyMsgs(k) {
			d.send(msg)
		}
	}
}

// keyMsgs returns the key presses for k.
func keyMsgs(k string) []tea.Msg {
	special := map[string]tea.Key{
		"enter": {Code: tea.KeyEnter}, "esc": {Code: tea.KeyEscape}, "up": {Code: tea.KeyUp}, "down": {Code: tea.KeyDown},
		"backspace": {Code: tea.KeyBackspace}, "ctrl+c": {Code: 'c', Mod: tea.ModCtrl}, "pgdown": {Code: tea.KeyPgDown},
		"pgup": {Code: tea.KeyPgUp}, "space": {Code: tea.KeySpace, Text: " "},
	}
	if key, ok := special[k]; ok {
		return []tea.Msg{tea.KeyPressMsg(key)}
	}
	var msgs []tea.Msg
	for _, r := range k {
		msgs = append(msgs, tea.KeyPressMsg(tea.Key{Code: r, Text: string(r)}))
	}
	return msgs
}

// view is the current screen.
func (d *driver) view() string { return d.m.current().view() }
