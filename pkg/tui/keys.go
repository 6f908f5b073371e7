package tui

import (
	"slices"
	"strings"

	tea "charm.land/bubbletea/v2"
)

// binding is a set of keys that do one thing, with the words the help
// shows for it.
type binding struct {
	keys []string
	// label names the keys ("↑/k"); short says what they do in a footer,
	// desc in the help screen.
	label, short, desc string
}

// matches reports whether msg is one of the binding's keys.
func (b binding) matches(msg tea.KeyPressMsg) bool {
	return slices.Contains(b.keys, msg.String())
}

// keymap holds every key binding of the UI, by what it does.
type keymap struct {
	up, down, pageUp, pageDown, top, bottom   binding
	expand, open, close, filter, help         binding
	approve, quit                             binding
	interrupt, confirm, cancel, exit, yes, no binding
	abort, stopWait                           binding
}

// keys are kcstack's key bindings.
var keys = keymap{
	up:        binding{keys: []string{"up", "k"}, label: "↑/k", short: "up", desc: "previous change"},
	down:      binding{keys: []string{"down", "j"}, label: "↓/j", short: "down", desc: "next change"},
	pageUp:    binding{keys: []string{"pgup", "ctrl+u", "b"}, label: "pgup", short: "page up", desc: "scroll up a page"},
	pageDown:  binding{keys: []string{"pgdown", "ctrl+d", "space"}, label: "pgdn", short: "page down", desc: "scroll down a page"},
	top:       binding{keys: []string{"home", "g"}, label: "g", short: "top", desc: "first change"},
	bottom:    binding{keys: []string{"end", "G"}, label: "G", short: "bottom", desc: "last change"},
	expand:    binding{keys: []string{"enter"}, label: "enter", short: "diff", desc: "show or hide the change's field diff"},
	open:      binding{keys: []string{"right", "l"}, label: "→/l", short: "show diff", desc: "show the change's field diff"},
	close:     binding{keys: []string{"left", "h"}, label: "←/h", short: "hide diff", desc: "hide the change's field diff"},
	filter:    binding{keys: []string{"/"}, label: "/", short: "filter", desc: "filter changes by address, kind or action (esc clears)"},
	help:      binding{keys: []string{"?"}, label: "?", short: "help", desc: "show or hide this help"},
	approve:   binding{keys: []string{"a"}, label: "a", short: "approve", desc: "approve: apply now, or confirm deletes first"},
	quit:      binding{keys: []string{"q", "esc", "ctrl+c"}, label: "q", short: "quit", desc: "quit without applying anything"},
	interrupt: binding{keys: []string{"ctrl+c", "q", "esc"}, label: "ctrl+c", short: "stop", desc: "stop the apply (calls in flight finish, waits stop)"},
	confirm:   binding{keys: []string{"enter"}, label: "enter", short: "confirm", desc: "confirm"},
	cancel:    binding{keys: []string{"esc", "ctrl+c"}, label: "esc", short: "cancel", desc: "cancel"},
	exit:      binding{keys: []string{"q", "enter", "esc", "ctrl+c"}, label: "q", short: "exit", desc: "exit"},
	yes:       binding{keys: []string{"y", "Y", "ctrl+c"}, label: "y", short: "stop", desc: "stop"},
	abort:     binding{keys: []string{"ctrl+c"}, label: "ctrl+c", short: "exit now", desc: "exit at once, leaving the calls in flight"},
	no:        binding{keys: []string{"n", "N", "esc"}, label: "n", short: "keep going", desc: "keep going"},
	stopWait:  binding{keys: []string{"ctrl+c"}, label: "ctrl+c", short: "stop waiting (the apply is complete)", desc: "stop waiting for the stack to verify; the apply is complete"},
}

// hint renders a footer of bindings: "↑/k up · q quit".
func hint(s styles, bs ...binding) string {
	var b strings.Builder
	for i, k := range bs {
		if i > 0 {
			b.WriteString(s.faint.render(" · "))
		}
		b.WriteString(s.key.render(k.label) + " " + s.faint.render(k.short))
	}
	return b.String()
}
