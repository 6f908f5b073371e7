package render

import (
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/kcstack/kcstack/pkg/plan"
	"github.com/kcstack/kcstack/pkg/resource"
)

// jsonPlan is the JSON form of a plan, documented in json.md. Field order
// here is output order; every field is always present.
type jsonPlan struct {
	FormatVersion   string       `json:"format_version"`
	Stack           string       `json:"stack"`
	Region          string       `json:"region"`
	StackDigest     string       `json:"stack_digest"`
	CreatedAt       string       `json:"created_at"`
	Destroy         bool         `json:"destroy"`
	Summary         jsonSummary  `json:"summary"`
	ResourceChanges []jsonChange `json:"resource_changes"`
	Notes           []jsonNote   `json:"notes"`
}

// jsonNote is one plan-level note.
type jsonNote struct {
	Target   string `json:"target"`
	Address  string `json:"address"`
	Text     string `json:"text"`
	Blocking bool   `json:"blocking"`
}

// jsonSummary counts changes; a replacement is one add and one destroy.
type jsonSummary struct {
	Add     int `json:"add"`
	Change  int `json:"change"`
	Destroy int `json:"destroy"`
}

// jsonChange is one resource's change.
type jsonChange struct {
	Address        string     `json:"address"`
	Kind           string     `json:"kind"`
	Component      string     `json:"component"`
	Name           string     `json:"name"`
	Action         string     `json:"action"`
	Before         any        `json:"before"`
	After          any        `json:"after"`
	Diffs          []jsonDiff `json:"diffs"`
	ReplaceReasons []string   `json:"replace_reasons"`
	DependsOn      []string   `json:"depends_on"`
	DataLoss       bool       `json:"data_loss"`
}

// jsonDiff is one differing field.
type jsonDiff struct {
	Path            string `json:"path"`
	Before          any    `json:"before"`
	After           any    `json:"after"`
	ForcesReplace   bool   `json:"forces_replace"`
	Reason          string `json:"reason"`
	Sensitive       bool   `json:"sensitive"`
	KnownAfterApply bool   `json:"known_after_apply"`
}

// JSON writes plan p in its versioned machine form (format_version
// plan.FormatVersion, described in json.md): two-space indented, fields in
// a fixed order, map keys sorted, every change including no-ops, sensitive
// values redacted. The fields that exist only for apply (desired and
// observed resources, observation fingerprints) are left out.
func JSON(w io.Writer, p *plan.Plan) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(toJSON(p)); err != nil {
		return fmt.Errorf("write json plan: %w", err)
	}
	return nil
}

// toJSON converts a plan to its JSON form.
func toJSON(p *plan.Plan) jsonPlan {
	out := jsonPlan{
		FormatVersion:   p.FormatVersion,
		Stack:           p.Stack,
		Region:          p.Region,
		StackDigest:     p.StackDigest,
		Destroy:         p.Destroy,
		Summary:         jsonSummary(p.Summary),
		ResourceChanges: make([]jsonChange, 0, len(p.Changes)),
		Notes:           make([]jsonNote, 0, len(p.Notes)),
	}
	if out.FormatVersion == "" {
		out.FormatVersion = plan.FormatVersion
	}
	if !p.CreatedAt.IsZero() {
		out.CreatedAt = p.CreatedAt.UTC().Format(time.RFC3339)
	}
	for _, c := range p.Changes {
		out.ResourceChanges = append(out.ResourceChanges, changeJSON(redact(c)))
	}
	for _, n := range p.Notes {
		out.Notes = append(out.Notes, jsonNote(n))
	}
	return out
}

// changeJSON converts a redacted change.
func changeJSON(c plan.Change) jsonChange {
	out := jsonChange{
		Address:        c.Address,
		Kind:           string(c.Kind),
		Component:      c.Component,
		Name:           c.Name,
		Action:         string(c.Action),
		Before:         propsJSON(c.Before),
		After:          propsJSON(c.After),
		Diffs:          make([]jsonDiff, 0, len(c.Diffs)),
		ReplaceReasons: nonNil(c.ReplaceReasons),
		DependsOn:      nonNil(c.DependsOn),
		DataLoss:       c.DataLoss,
	}
	for _, d := range c.Diffs {
		out.Diffs = append(out.Diffs, diffJSON(d))
	}
	return out
}

// diffJSON converts a redacted field diff.
func diffJSON(d resource.FieldDiff) jsonDiff {
	return jsonDiff{
		Path:            d.Path,
		Before:          plain(d.Before),
		After:           plain(d.After),
		ForcesReplace:   d.ForcesReplace,
		Reason:          d.Reason,
		Sensitive:       d.Sensitive,
		KnownAfterApply: d.KnownAfterApply,
	}
}

// propsJSON returns props as plain data, or nil (JSON null) when there are
// none: before of a create, after of a delete.
func propsJSON(props resource.Props) any {
	if len(props) == 0 {
		return nil
	}
	return plain(props)
}

// plain returns v as JSON-ready data: lists and maps rebuilt element by
// element, and a leftover reference as "(known after apply)", as the text
// plan shows it.
func plain(v any) any {
	if _, ok := v.(resource.Ref); ok {
		return unknownMarker
	}
	if l, ok := asList(v); ok {
		out := make([]any, len(l))
		for i, e := range l {
			out[i] = plain(e)
		}
		return out
	}
	if m, ok := asMap(v); ok {
		out := make(map[string]any, len(m))
		for k, e := range m {
			out[k] = plain(e)
		}
		return out
	}
	return v
}

// nonNil returns s, or an empty slice for nil so JSON shows [] not null.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
