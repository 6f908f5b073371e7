package render

import (
	"strings"

	"github.com/kcstack/kcstack/pkg/plan"
	"github.com/kcstack/kcstack/pkg/resource"
)

// redact returns a copy of c in which every field a diff marks Sensitive is
// "(sensitive value)" wherever it appears, and every diff marked
// KnownAfterApply has "(known after apply)" as its after value. The planner
// already redacts; this is the renderers' second line of defence. c is not
// modified.
func redact(c plan.Change) plan.Change {
	var secret []string
	diffs := make([]resource.FieldDiff, len(c.Diffs))
	for i, d := range c.Diffs {
		if d.Sensitive {
			secret = append(secret, d.Path)
			d.Before, d.After = mask(d.Before), mask(d.After)
		}
		if d.KnownAfterApply && !d.Sensitive {
			d.After = unknownMarker
		}
		diffs[i] = d
	}
	c.Diffs = diffs
	c.Before = maskProps(c.Before, secret)
	c.After = maskProps(c.After, secret)
	return c
}

// mask hides a present value; an absent one (nil) reveals nothing.
func mask(v any) any {
	if v == nil {
		return nil
	}
	return sensitiveMarker
}

// maskProps returns props with the values at the given paths masked. A path
// is a top-level key or "key.sub" into a map; any other path into a key
// masks the whole key, so a secret is hidden even when its path form is
// unexpected.
func maskProps(props resource.Props, paths []string) resource.Props {
	if props == nil || len(paths) == 0 {
		return props
	}
	out := make(resource.Props, len(props))
	for k, v := range props {
		out[k] = v
	}
	for _, p := range paths {
		maskPath(out, p)
	}
	return out
}

// maskPath masks path in props, which the caller owns.
func maskPath(props resource.Props, path string) {
	if v, ok := props[path]; ok {
		props[path] = mask(v)
		return
	}
	key, rest := splitPath(path)
	v, ok := props[key]
	if !ok {
		return
	}
	m, isMap := asMap(v)
	if _, has := m[rest]; !isMap || !has {
		props[key] = mask(v)
		return
	}
	masked := make(map[string]any, len(m))
	for k, e := range m {
		masked[k] = e
	}
	masked[rest] = mask(m[rest])
	props[key] = masked
}

// splitPath splits a field path at its first "." or "[" into the top-level
// key and the rest ("tags.Name" → "tags", "Name"; "rules[0]" → "rules",
// "[0]").
func splitPath(path string) (key, rest string) {
	i := strings.IndexAny(path, ".[")
	if i < 0 {
		return path, ""
	}
	if path[i] == '.' {
		return path[:i], path[i+1:]
	}
	return path[:i], path[i:]
}
