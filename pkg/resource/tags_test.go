package resource

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestTagDiffsAndSplit(t *testing.T) {
	desired := map[string]string{TagStack: "s", TagAddress: "a", "team": "identity", "cost": "", "Name": "a"}
	observed := map[string]string{TagStack: "s", TagAddress: "a", "team": "platform", "old": "x", "Name": "a", "aws:cloudformation:stack-name": "y"}
	diffs := TagDiffs(desired, observed)
	want := []FieldDiff{
		{Path: "tags.cost", After: ""},
		{Path: "tags.team", Before: "platform", After: "identity"},
		{Path: "tags.old", Before: "x"},
	}
	if d := cmp.Diff(want, diffs); d != "" {
		t.Fatalf("an empty value is still a tag to add, a changed value an update, an extra key a removal, aws: keys AWS's (-want +got):\n%s", d)
	}
	field := FieldDiff{Path: "instance_class", Before: "db.r7g.large", After: "db.r7g.xlarge"}
	others, set, remove := SplitTagDiffs(append([]FieldDiff{field}, diffs...))
	if d := cmp.Diff([]FieldDiff{field}, others); d != "" {
		t.Errorf("other diffs (-want +got):\n%s", d)
	}
	if d := cmp.Diff(map[string]string{"cost": "", "team": "identity"}, set); d != "" {
		t.Errorf("tags to set (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"old"}, remove); d != "" {
		t.Errorf("tags to remove (-want +got):\n%s", d)
	}
	after := WithTags(observed, set, remove)
	if after["aws:cloudformation:stack-name"] != "y" {
		t.Errorf("AWS's tag was dropped: %v", after)
	}
	delete(after, "aws:cloudformation:stack-name")
	if d := cmp.Diff(desired, after); d != "" {
		t.Errorf("tags after the change, AWS's aside (-want +got):\n%s", d)
	}
	if diffs := TagDiffs(desired, WithTags(observed, set, remove)); len(diffs) != 0 {
		t.Errorf("after applying the diffs: %+v, want none", diffs)
	}
}
