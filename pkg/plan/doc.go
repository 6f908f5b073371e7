// Package plan computes what apply must do: it compares the desired
// resources of a stack with a snapshot of what AWS holds and produces an
// ordered list of changes. A Plan is plain data — no clients, no functions —
// that round-trips through JSON, so it can be saved, reviewed and applied
// later; it carries fingerprints of every observation it was computed from
// so a stale plan is refused. Package plan knows nothing of YAML or the AWS
// SDK.
package plan
