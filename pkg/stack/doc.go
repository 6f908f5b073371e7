// Package stack reads and checks kcstack stack files.
//
// Load and LoadFile parse the YAML keeping every node's position, check the
// document against the JSON Schema of package schema, decode it into a
// Stack, fill in defaults (defaults.go) and apply the semantic rules
// (validate.go). Every problem found is a Diagnostic carrying the file, the
// line and column, the field path (spec.targets[1].rosa.machineCidr), what is
// wrong and what to do; all of them are reported at once.
//
// A Stack returned without error diagnostics is complete: every defaulted
// field is set, so the planner reads it without knowing the defaults.
package stack
