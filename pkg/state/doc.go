// Package state observes live AWS for a stack: it runs the observers of
// every resource kind, round by round and in parallel within a round, and
// returns a Snapshot of what exists — the desired resources as found, and
// everything tagged for the stack that the file no longer describes. Live
// AWS is the only state kcstack keeps; there is no state file.
package state
