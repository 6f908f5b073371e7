package tui

import "github.com/kcstack/kcstack/pkg/plan"

// ANSI escape sequences used when colour is on.
const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiFaint  = "\x1b[2m"
	ansiRev    = "\x1b[7m"
	ansiRed    = "\x1b[31m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
)

// style is an ANSI escape sequence; the empty style leaves text as it is.
type style string

// render wraps s in the style, unless the style or s is empty.
func (st style) render(s string) string {
	if st == "" || s == "" {
		return s
	}
	return string(st) + s + ansiReset
}

// styles are the styles of every part of the UI. The zero value has no
// colour: golden tests and NO_COLOR use it.
type styles struct {
	title, bold, faint, selected style
	create, update, delete       style
	warn, ok, fail, key, input   style
}

// newStyles returns coloured styles when color is true, plain ones
// otherwise.
func newStyles(color bool) styles {
	if !color {
		return styles{}
	}
	return styles{
		title: ansiBold, bold: ansiBold, faint: ansiFaint, selected: ansiRev,
		create: ansiGreen, update: ansiYellow, delete: ansiRed,
		warn: ansiBold + ansiRed, ok: ansiGreen, fail: ansiBold + ansiRed,
		key: ansiCyan, input: ansiBold,
	}
}

// symbol colours an action's Terraform symbol: + green, ~ yellow, - red,
// -/+ a red minus and a green plus.
func (s styles) symbol(sym string) string {
	switch sym {
	case "+":
		return s.create.render(sym)
	case "~":
		return s.update.render(sym)
	case "-":
		return s.delete.render(sym)
	case "-/+":
		return s.delete.render("-") + "/" + s.create.render("+")
	}
	return sym
}

// action returns the style of text about action a.
func (s styles) action(a plan.Action) style {
	switch a {
	case plan.ActionCreate:
		return s.create
	case plan.ActionUpdate:
		return s.update
	case plan.ActionReplace, plan.ActionDelete:
		return s.delete
	}
	return ""
}
