// Package render turns a plan.Plan into what people and programs read: text
// in Terraform's vocabulary for terminals and CI logs (Text), a versioned
// JSON form for automation (JSON), and Markdown for pull-request comments
// (Markdown).
//
// Renderers only read a plan; they never contact AWS and ignore the fields
// that exist for apply (Desired, Observed and the observation
// fingerprints). They hide secrets a second time: a field that any diff
// marks Sensitive is shown as "(sensitive value)" wherever it appears, even
// if the planner left a real value in Before or After.
//
// The small helpers (Symbol, Verb, Outcome, SummaryLine, Reasons, Lines)
// are exported so the terminal UI shows changes in the same words and
// layout as the text plan without re-implementing them.
package render
