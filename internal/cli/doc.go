// Package cli holds kcstack's cobra commands and flags. It wires the stack
// loader, the sandbox, the planner, the apply engine and the terminal UI
// together; it is the only package that knows about all of them.
package cli
