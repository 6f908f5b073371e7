package plan

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/kcstack/kcstack/pkg/graph"
	"github.com/kcstack/kcstack/pkg/resource"
	"github.com/kcstack/kcstack/pkg/state"
)

// Redacted values shown in place of the real ones.
const (
	Sensitive       = "(sensitive value)"
	KnownAfterApply = "(known after apply)"
)

// Input is everything a plan is computed from.
type Input struct {
	Stack       string
	Region      string
	StackDigest string
	Desired     []resource.Desired
	Snapshot    *state.Snapshot
	// Registry holds the handlers (their Diff and descriptors) by kind.
	Registry resource.Registry
	// Destroy plans the removal of everything the stack owns.
	Destroy bool
	Now     time.Time
	// Notes are copied into the plan as they are.
	Notes []Note
}

// Compute builds the plan. It does no I/O. Problems that make a plan
// impossible (a referenced VPC missing, a name taken by a resource the
// stack does not own) are all returned together.
func Compute(in Input) (*Plan, error) {
	p := &Plan{
		FormatVersion: FormatVersion, Stack: in.Stack, Region: in.Region, StackDigest: in.StackDigest,
		CreatedAt: in.Now.UTC(), Destroy: in.Destroy, Observed: Fingerprints(in.Snapshot),
		Notes: in.Notes,
	}
	var problems []error
	desired := map[string]bool{}
	if !in.Destroy {
		ordered, err := sortDesired(in.Desired)
		if err != nil {
			return nil, err
		}
		pend := newPending()
		for _, d := range ordered {
			desired[d.Address] = true
			c, err := change(in, d, pend)
			if err != nil {
				problems = append(problems, err)
				continue
			}
			pend.record(c, in.Registry)
			p.Changes = append(p.Changes, c)
		}
	}
	deletes, err := deletions(in, desired, p.Changes)
	if err != nil {
		problems = append(problems, err)
	}
	waitForClashes(in.Registry, p.Changes, deletes)
	p.Changes = append(p.Changes, deletes...)
	if len(problems) > 0 {
		return nil, errors.Join(problems...)
	}
	p.Summary = summarize(p.Changes)
	return p, nil
}

func sortDesired(ds []resource.Desired) ([]resource.Desired, error) {
	g := graph.Graph{}
	by := map[string]resource.Desired{}
	for _, d := range ds {
		g[d.Address] = d.DependsOn
		by[d.Address] = d
	}
	order, err := g.Sort()
	if err != nil {
		return nil, fmt.Errorf("stack resources: %w", err)
	}
	out := make([]resource.Desired, 0, len(order))
	for _, a := range order {
		out = append(out, by[a])
	}
	return out, nil
}

// change plans one desired resource given what the changes planned before
// it leave known only after apply.
func change(in Input, d resource.Desired, pend *pending) (Change, error) {
	ob := in.Snapshot.Observations[d.Address]
	c := Change{Address: d.Address, Kind: d.Kind, Component: d.Component, Name: d.Name, DependsOn: d.DependsOn}
	if d.Lookup != nil {
		if !ob.Exists {
			return c, fmt.Errorf("%s: %s not found (%s); %s", d.Address, d.Kind, describeLookup(d.Lookup), d.Lookup.Hint)
		}
		c.Action = ActionNoOp
		c.Observed = &ob
		c.Desired = &d
		return c, nil
	}
	if ob.Exists && !ob.Owned {
		return c, fmt.Errorf("%s: %s %s exists but is not tagged %s=%s; kcstack never takes over resources it does not own: rename it in the stack file, remove it, or tag it with %s=%s and %s=%s to adopt it",
			d.Address, d.Kind, ob.ID, resource.TagStack, in.Stack, resource.TagStack, in.Stack, resource.TagAddress, d.Address)
	}
	resolved := d
	resolved.Props = resource.Resolve(d.Props, resolver(in.Snapshot, pend))
	c.Desired = &resolved
	c.After = redact(resolved.Props, d.Sensitive)
	if !ob.Exists {
		c.Action = ActionCreate
		return c, nil
	}
	c.Observed = &ob
	c.Before = redact(ob.Props, d.Sensitive)
	differ, ok := in.Registry[d.Kind]
	if !ok {
		return c, fmt.Errorf("%s: no handler for kind %s", d.Address, d.Kind)
	}
	diffs := followReplacements(differ.Describe(), resolved, ob, differ.Diff(resolved, ob), pend)
	if _, taggable := differ.(resource.Tagger); taggable && d.Tags != nil {
		diffs = append(diffs, resource.TagDiffs(d.Tags, ob.Tags)...)
	}
	c.Diffs = redactDiffs(diffs)
	c.Action = actionFor(c.Diffs)
	for _, fd := range c.Diffs {
		if fd.ForcesReplace {
			c.ReplaceReasons = append(c.ReplaceReasons, fd.Path+": "+fd.Reason)
		}
	}
	c.DataLoss = c.Action == ActionReplace && losesData(in.Registry, d.Kind)
	return c, nil
}

func describeLookup(l *resource.Lookup) string {
	if l.ID != "" {
		return "id " + l.ID
	}
	var parts []string
	for _, k := range resource.SortedKeys(l.Tags) {
		parts = append(parts, "tag "+k+"="+l.Tags[k])
	}
	return strings.Join(parts, ", ")
}

func actionFor(diffs []resource.FieldDiff) Action {
	if len(diffs) == 0 {
		return ActionNoOp
	}
	for _, d := range diffs {
		if d.ForcesReplace {
			return ActionReplace
		}
	}
	return ActionUpdate
}

// resolver resolves a Ref from the snapshot unless apply gives its value
// anew.
func resolver(s *state.Snapshot, pend *pending) func(resource.Ref) (string, bool) {
	return func(r resource.Ref) (string, bool) {
		if pend.unknown(r) {
			return "", false
		}
		ob, ok := s.Observations[r.Address]
		if !ok || !ob.Exists {
			return "", false
		}
		v := ob.Attrs[r.Attr]
		return v, v != ""
	}
}

func byAddress(ds []resource.Desired) map[string]resource.Desired {
	m := make(map[string]resource.Desired, len(ds))
	for _, d := range ds {
		m[d.Address] = d
	}
	return m
}

// component guesses the component of an undesired resource from its
// address: database.x → database, targets.a.x → target a.
func component(addr string) string {
	parts := strings.SplitN(addr, ".", 3)
	switch {
	case len(parts) >= 2 && parts[0] == "targets":
		return "target " + parts[1]
	case len(parts) >= 2 && parts[0] == "peers":
		return "peer " + parts[1]
	}
	return parts[0]
}

func redact(p resource.Props, sensitive []string) resource.Props {
	if p == nil {
		return nil
	}
	out := make(resource.Props, len(p))
	for k, v := range p {
		out[k] = shown(v)
	}
	for _, k := range sensitive {
		if _, ok := out[k]; ok {
			out[k] = Sensitive
		}
	}
	return out
}

func shown(v any) any {
	if resource.HasRef(v) {
		return KnownAfterApply
	}
	return resource.Normalize(v)
}

func redactDiffs(ds []resource.FieldDiff) []resource.FieldDiff {
	for i := range ds {
		ds[i].After = shown(ds[i].After)
		if ds[i].Sensitive {
			ds[i].Before, ds[i].After = Sensitive, Sensitive
		}
	}
	return ds
}

func summarize(cs []Change) Summary {
	var s Summary
	for _, c := range cs {
		switch c.Action {
		case ActionCreate:
			s.Add++
		case ActionUpdate:
			s.Change++
		case ActionReplace:
			s.Add++
			s.Destroy++
		case ActionDelete:
			s.Destroy++
		}
	}
	return s
}

// Fingerprints hashes every observation of a snapshot by address, so a
// saved plan can tell when what it saw has changed.
func Fingerprints(s *state.Snapshot) map[string]string {
	out := map[string]string{}
	if s == nil {
		return out
	}
	for a, ob := range s.Observations {
		out[a] = Fingerprint(ob)
	}
	for _, ob := range s.Extra {
		out[duplicateAddress(ob)] = Fingerprint(ob)
	}
	return out
}

// Fingerprint is a stable hash of what matters in an observation.
func Fingerprint(ob resource.Observation) string {
	b, _ := json.Marshal(struct {
		Exists bool              `json:"exists"`
		ID     string            `json:"id"`
		Props  resource.Props    `json:"props"`
		Tags   map[string]string `json:"tags"`
	}{ob.Exists, ob.ID, ob.Props, ob.Tags})
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:12])
}

// Stale compares a saved plan's fingerprints with a fresh snapshot and
// returns the addresses that changed, sorted.
func Stale(p *Plan, s *state.Snapshot) []string {
	now := Fingerprints(s)
	var changed []string
	for a, fp := range p.Observed {
		if now[a] != fp {
			changed = append(changed, a)
		}
	}
	for a := range now {
		if _, ok := p.Observed[a]; !ok {
			changed = append(changed, a)
		}
	}
	sort.Strings(changed)
	return changed
}
