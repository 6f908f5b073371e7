package render

import "strings"

// ANSI escape sequences used when colour is on.
const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[31m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
)

// palette colours the parts of a plan. A nil *palette leaves text as it is,
// so callers colour unconditionally and pass nil for no colour.
type palette struct{}

// newPalette returns a palette when color is true and nil otherwise.
func newPalette(color bool) *palette {
	if !color {
		return nil
	}
	return &palette{}
}

// paint wraps s in the escape sequence code, unless p is nil or s empty.
func (p *palette) paint(code, s string) string {
	if p == nil || s == "" {
		return s
	}
	return code + s + ansiReset
}

// symbol colours an action symbol: + green, ~ yellow, - red, and -/+ as a
// red minus and a green plus.
func (p *palette) symbol(s string) string {
	switch s {
	case "+":
		return p.paint(ansiGreen, s)
	case "~":
		return p.paint(ansiYellow, s)
	case "-":
		return p.paint(ansiRed, s)
	case "-/+":
		return p.paint(ansiRed, "-") + "/" + p.paint(ansiGreen, "+")
	}
	return s
}

// text styles the body of a line by kind: headings bold, warnings bold red.
func (p *palette) text(k LineKind, s string) string {
	switch k {
	case LineHeading:
		return p.paint(ansiBold, s)
	case LineWarning:
		return p.paint(ansiBold+ansiRed, s)
	}
	return s
}

// note colours a trailing comment; "# forces replacement" is red.
func (p *palette) note(s string) string {
	if strings.Contains(s, "forces replacement") {
		return p.paint(ansiRed, s)
	}
	return s
}

// bold makes s bold.
func (p *palette) bold(s string) string { return p.paint(ansiBold, s) }

// warn makes s bold red.
func (p *palette) warn(s string) string { return p.paint(ansiBold+ansiRed, s) }
