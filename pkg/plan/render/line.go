package render

import "strings"

// LineKind says what a rendered line shows, so a caller can style it.
type LineKind int

// Kinds of lines in a change's block.
const (
	// LineAttribute is an attribute, a list or map element, a closing
	// bracket, or a count of hidden unchanged values.
	LineAttribute LineKind = iota
	// LineHeading is a comment above a resource: "# <address> will be
	// created" and the reasons for a delete or replacement.
	LineHeading
	// LineWarning is a data-loss warning above a resource.
	LineWarning
	// LineResource opens or closes a resource block.
	LineResource
)

// Line is one line of a change as the text plan shows it, uncoloured. The
// symbol starts at column Indent; Text follows the symbol and one space
// (or starts at Indent when there is no symbol); Note, when set, is a
// trailing comment such as "# forces replacement".
type Line struct {
	Indent int
	Symbol string
	Text   string
	Note   string
	Kind   LineKind
}

// String returns the line without colour and without trailing spaces.
func (l Line) String() string {
	return l.render(nil)
}

// render writes the line, colouring its parts with pal when pal is set.
func (l Line) render(pal *palette) string {
	var b strings.Builder
	b.WriteString(strings.Repeat(" ", l.Indent))
	if l.Symbol != "" {
		b.WriteString(pal.symbol(l.Symbol))
		b.WriteByte(' ')
	}
	b.WriteString(pal.text(l.Kind, strings.TrimRight(l.Text, " ")))
	if l.Note != "" {
		b.WriteByte(' ')
		b.WriteString(pal.note(l.Note))
	}
	return strings.TrimRight(b.String(), " ")
}
