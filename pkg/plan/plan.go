package plan

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/kcstack/kcstack/pkg/resource"
)

// FormatVersion is the version of the plan's JSON form. It changes when a
// field changes meaning or disappears; new fields do not change it.
const FormatVersion = "1.0"

// Action is what apply does to one resource.
type Action string

// Actions, in Terraform's vocabulary.
const (
	ActionNoOp    Action = "no-op"
	ActionCreate  Action = "create"
	ActionUpdate  Action = "update"
	ActionReplace Action = "replace"
	ActionDelete  Action = "delete"
)

// Plan is an ordered set of changes for one stack.
type Plan struct {
	FormatVersion string    `json:"format_version"`
	Stack         string    `json:"stack"`
	Region        string    `json:"region"`
	StackDigest   string    `json:"stack_digest"`
	CreatedAt     time.Time `json:"created_at"`
	// Destroy is true for a plan that removes everything the stack owns.
	Destroy bool    `json:"destroy,omitempty"`
	Summary Summary `json:"summary"`
	// Changes are in apply order; no-op changes are included so that
	// renderers can count and dependencies resolve, but hidden by default.
	Changes []Change `json:"changes"`
	// Observed is the fingerprint of every observation the plan depends on,
	// by address; apply re-observes and refuses when one differs.
	Observed map[string]string `json:"observed"`
	// Notes are what a reviewer must read besides the changes: parts of
	// the stack the plan could not read, objects it uses but leaves alone.
	// They are plan content: a saved plan carries them, ContentDigest
	// covers them, and left out when there are none, so that plan files
	// saved before notes existed keep their digest.
	Notes []Note `json:"notes,omitempty"`
	// Digest is ContentDigest of the saved plan, set when it is written to
	// a file; apply refuses a plan file whose content no longer matches it.
	Digest string `json:"digest,omitempty"`
}

// Note is one plan-level message: about a target, a resource, or the
// whole stack.
type Note struct {
	// Target is the stack target the note is about; "" when none.
	Target string `json:"target,omitempty"`
	// Address is the resource the note is about; "" when none.
	Address string `json:"address,omitempty"`
	// Text is the note, one or more sentences.
	Text string `json:"text"`
	// Blocking is true when apply refuses to run while the note holds:
	// applying the rest would leave a target half-applied.
	Blocking bool `json:"blocking,omitempty"`
}

// Blocking returns the notes of p that stop an apply.
func (p *Plan) Blocking() []Note {
	var out []Note
	for _, n := range p.Notes {
		if n.Blocking {
			out = append(out, n)
		}
	}
	return out
}

// Summary counts changes the way Terraform does: a replacement counts as
// one add and one destroy.
type Summary struct {
	Add     int `json:"add"`
	Change  int `json:"change"`
	Destroy int `json:"destroy"`
}

// Change is what happens to one resource.
type Change struct {
	Address   string        `json:"address"`
	Kind      resource.Kind `json:"kind"`
	Component string        `json:"component"`
	Name      string        `json:"name"`
	Action    Action        `json:"action"`
	// Before and After are the properties shown to reviewers: sensitive
	// values are replaced by "(sensitive value)" and references to
	// resources not yet created by "(known after apply)".
	Before resource.Props `json:"before,omitempty"`
	After  resource.Props `json:"after,omitempty"`
	// Diffs are the differing fields of an update or replace.
	Diffs []resource.FieldDiff `json:"diffs,omitempty"`
	// ReplaceReasons name the fields that force a replacement.
	ReplaceReasons []string `json:"replace_reasons,omitempty"`
	// DependsOn lists the addresses that must be applied first: for a
	// delete, the deletes (and the updates that move off the resource)
	// that must finish before it.
	DependsOn []string `json:"depends_on,omitempty"`
	// DestroyFirst lists what must be deleted before this resource is
	// created: resources (deleted, or the old ones of replacements) holding
	// values AWS keeps unique that the new one takes (a peering of the same
	// VPCs, a subnet's CIDR block).
	DestroyFirst []string `json:"destroy_first,omitempty"`
	// DestroyAfter lists, for a replacement, what must finish before the
	// old resource is deleted: the deletes of what refers to it and the
	// updates that move off it.
	DestroyAfter []string `json:"destroy_after,omitempty"`
	// DataLoss marks deletes and replacements that destroy stored data
	// (databases, buckets): reviewers must see them loudly.
	DataLoss bool `json:"data_loss,omitempty"`

	// Desired and Observed carry what apply needs; renderers ignore them.
	Desired  *resource.Desired     `json:"desired,omitempty"`
	Observed *resource.Observation `json:"observed,omitempty"`
}

// HasChanges reports whether the plan does anything.
func (p *Plan) HasChanges() bool {
	return p.Summary.Add+p.Summary.Change+p.Summary.Destroy > 0
}

// Effective returns the changes of p that do something (all but no-ops),
// in plan order: the changes a plan shows.
func (p *Plan) Effective() []Change {
	var out []Change
	for _, c := range p.Changes {
		if c.Action != ActionNoOp {
			out = append(out, c)
		}
	}
	return out
}

// Group is the changes of one component, in plan order.
type Group struct {
	Component string
	Changes   []Change
}

// ByComponent groups changes by component, components in the order they
// first appear; a change without a component goes under "other".
func ByComponent(changes []Change) []Group {
	var groups []Group
	index := map[string]int{}
	for _, c := range changes {
		name := c.Component
		if name == "" {
			name = "other"
		}
		i, ok := index[name]
		if !ok {
			i = len(groups)
			index[name] = i
			groups = append(groups, Group{Component: name})
		}
		groups[i].Changes = append(groups[i].Changes, c)
	}
	return groups
}

// Destructive returns the changes that delete or replace something.
func (p *Plan) Destructive() []Change {
	var out []Change
	for _, c := range p.Changes {
		if c.Action == ActionDelete || c.Action == ActionReplace {
			out = append(out, c)
		}
	}
	return out
}

// ContentDigest is the SHA-256 of the plan's JSON form without its Digest:
// it covers every field apply uses (changes, their desired and observed
// values, fingerprints, stack and region) and the notes, so that removing
// a blocking note from a plan file is an edit apply refuses.
func (p *Plan) ContentDigest() (string, error) {
	c := *p
	c.Digest = ""
	b, err := json.Marshal(&c)
	if err != nil {
		return "", fmt.Errorf("encode plan: %w", err)
	}
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:]), nil
}
