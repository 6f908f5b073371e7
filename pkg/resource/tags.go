package resource

import (
	"context"
	"strings"
)

// Tagger is implemented by the handlers of taggable kinds. When the tags
// of a live resource differ from those the stack gives it (spec.tags
// changed, or tags edited by hand), the plan updates them and the engine
// calls SetTags instead of Update: set holds the keys to add or change,
// remove the keys to drop. Tags AWS manages (aws:*) are never touched.
type Tagger interface {
	SetTags(ctx context.Context, o Observation, set map[string]string, remove []string) error
}

// TagPath prefixes the paths of tag diffs: "tags.team".
const TagPath = "tags."

// TagDiffs compares the desired tags with the observed ones: a diff per
// key to add or change (Before nil when absent) and per key to remove
// (After nil). Keys starting with "aws:" belong to AWS and are ignored.
func TagDiffs(desired, observed map[string]string) []FieldDiff {
	var diffs []FieldDiff
	for _, k := range SortedKeys(desired) {
		if have, ok := observed[k]; !ok || have != desired[k] {
			d := FieldDiff{Path: TagPath + k, After: desired[k]}
			if ok {
				d.Before = have
			}
			diffs = append(diffs, d)
		}
	}
	for _, k := range SortedKeys(observed) {
		if _, ok := desired[k]; !ok && !strings.HasPrefix(k, "aws:") {
			diffs = append(diffs, FieldDiff{Path: TagPath + k, Before: observed[k]})
		}
	}
	return diffs
}

// SplitTagDiffs separates the tag diffs from the others and returns the
// tags to set and the keys to remove.
func SplitTagDiffs(diffs []FieldDiff) (others []FieldDiff, set map[string]string, remove []string) {
	for _, d := range diffs {
		k, ok := strings.CutPrefix(d.Path, TagPath)
		if !ok {
			others = append(others, d)
			continue
		}
		if v, ok := d.After.(string); ok {
			if set == nil {
				set = map[string]string{}
			}
			set[k] = v
		} else {
			remove = append(remove, k)
		}
	}
	return others, set, remove
}

// WithTags returns tags with set applied and remove removed, as a new map.
func WithTags(tags, set map[string]string, remove []string) map[string]string {
	out := make(map[string]string, len(tags)+len(set))
	for k, v := range tags {
		out[k] = v
	}
	for k, v := range set {
		out[k] = v
	}
	for _, k := range remove {
		delete(out, k)
	}
	return out
}
