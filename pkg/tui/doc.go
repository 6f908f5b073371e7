// Package tui is kcstack's terminal UI for apply and destroy: a review of
// the plan grouped by component, a typed confirmation when the plan
// deletes or replaces anything, and live progress of the apply.
//
// The UI only reads: it shows a plan.Plan (through pkg/plan/render, in the
// same words and layout as the text plan) and the apply engine's events.
// It never calls AWS and never changes the plan; after approval it calls
// the Apply function it was given and draws what that reports.
//
// The structure follows soft-serve's pkg/ui: a root model that only routes
// messages between screens, one model per screen (review, confirm,
// progress), styles and key bindings in their own files. Every screen's
// view is a pure function of its state and size, so golden tests render
// them at fixed sizes.
package tui
