package render

import (
	"fmt"

	"github.com/kcstack/kcstack/pkg/plan"
)

// actionWords are the words a plan uses for each action that changes
// something: its symbol, its verb in the legend and the outcome that
// follows an address. Any other action (no-op) has noChange's.
var actionWords = map[plan.Action]words{
	plan.ActionCreate:  {symbol: "+", verb: "create", outcome: "will be created"},
	plan.ActionUpdate:  {symbol: "~", verb: "update in-place", outcome: "will be updated in-place"},
	plan.ActionReplace: {symbol: "-/+", verb: "destroy and then create replacement", outcome: "must be replaced"},
	plan.ActionDelete:  {symbol: "-", verb: "destroy", outcome: "will be destroyed"},
}

// noChange are the words of a no-op (and of an unknown action).
var noChange = words{verb: "no change", outcome: "has no changes"}

// words are the words of one action.
type words struct{ symbol, verb, outcome string }

// wordsOf returns the words of action a.
func wordsOf(a plan.Action) words {
	if w, ok := actionWords[a]; ok {
		return w
	}
	return noChange
}

// Symbol returns the symbol that marks action a in a plan: "+" create,
// "~" update in place, "-/+" replace (destroy, then create), "-" delete,
// and "" for no-op or an unknown action.
func Symbol(a plan.Action) string { return wordsOf(a).symbol }

// Verb returns what action a does, in the words of a plan's symbol legend:
// "create", "update in-place", "destroy and then create replacement",
// "destroy", or "no change" for no-op.
func Verb(a plan.Action) string { return wordsOf(a).verb }

// Outcome returns what happens to a resource under action a, as it follows
// the address in a change's heading: "will be created", "will be updated
// in-place", "must be replaced", "will be destroyed", or "has no changes".
func Outcome(a plan.Action) string { return wordsOf(a).outcome }

// actionOrder is the order of actions in legends and counts.
var actionOrder = []plan.Action{plan.ActionCreate, plan.ActionUpdate, plan.ActionReplace, plan.ActionDelete}

// SummaryLine returns the plan's closing line from p.Summary:
// "Plan: 3 to add, 1 to change, 1 to destroy." or, when the plan does
// nothing, "No changes. Your infrastructure matches the configuration."
func SummaryLine(p *plan.Plan) string {
	if !p.HasChanges() {
		return "No changes. Your infrastructure matches the configuration."
	}
	return "Plan: " + counts(p.Summary) + "."
}

// counts formats a summary as "N to add, N to change, N to destroy".
func counts(s plan.Summary) string {
	return fmt.Sprintf("%d to add, %d to change, %d to destroy", s.Add, s.Change, s.Destroy)
}

// Reasons returns why change c of plan p deletes or replaces a resource, one
// sentence fragment each: for a replacement, every field that forces it
// ("engine_version: <the diff's reason>", or "<path> forces replacement"
// when the diff gives none) followed by any ReplaceReasons not already
// named; for a delete, that the plan destroys the stack, that the resource
// is on a parent the stack owns (Observation.Parent) and the stack file
// does not name it, or that it carries the stack's tags but is no longer
// in the stack file.
// Other actions have no reasons.
func Reasons(p *plan.Plan, c plan.Change) []string {
	switch c.Action {
	case plan.ActionReplace:
		return replaceReasons(c)
	case plan.ActionDelete:
		if p.Destroy {
			return []string{"the plan destroys everything the stack owns"}
		}
		if c.Observed != nil && c.Observed.Parent != "" {
			return []string{fmt.Sprintf("it is on %s, which stack %q owns, and the stack file does not name it", c.Observed.Parent, p.Stack)}
		}
		return []string{fmt.Sprintf("it is tagged for stack %q but is no longer in the stack file", p.Stack)}
	}
	return nil
}

// replaceReasons lists the forcing diffs, then the change's own reasons that
// do not just repeat a forcing field's path.
func replaceReasons(c plan.Change) []string {
	var out []string
	named := map[string]bool{}
	for _, d := range c.Diffs {
		if !d.ForcesReplace {
			continue
		}
		named[d.Path] = true
		if d.Reason != "" {
			// The planner's ReplaceReasons say the same as "path: reason".
			named[d.Path+": "+d.Reason] = true
			out = append(out, d.Path+": "+d.Reason)
			continue
		}
		out = append(out, d.Path+" forces replacement")
	}
	for _, r := range c.ReplaceReasons {
		if !named[r] {
			named[r] = true
			out = append(out, r)
		}
	}
	return out
}

// NoteLines returns note n for a terminal, wrapped to width cells: its
// text made printable and, when it blocks apply, led by "Blocks apply:".
func NoteLines(n plan.Note, width int) []string {
	text := printable(n.Text)
	if n.Blocking {
		text = "Blocks apply: " + text
	}
	return wrap(text, width)
}
