package render

import (
	"encoding/json"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/plan"
	"github.com/kcstack/kcstack/pkg/plan/plantest"
	"github.com/kcstack/kcstack/pkg/resource"
)

func TestJSON(t *testing.T) {
	for name := range fixtures {
		t.Run(name, func(t *testing.T) {
			var b strings.Builder
			if err := JSON(&b, fixtures[name]()); err != nil {
				t.Fatalf("JSON: %v", err)
			}
			golden(t, name+".json.golden", b.String())
		})
	}
}

// parsedPlan is what a consumer of the JSON form reads back.
type parsedPlan struct {
	FormatVersion   string `json:"format_version"`
	Summary         plan.Summary
	ResourceChanges []struct {
		Action string `json:"action"`
	} `json:"resource_changes"`
}

func TestJSONSummaryMatchesChanges(t *testing.T) {
	cases := map[string]struct {
		reason string
		count  func(actions map[string]int) plan.Summary
	}{
		"TerraformCounting": {
			reason: "summary counts equal the changes per action, a replace being one add and one destroy",
			count: func(n map[string]int) plan.Summary {
				return plan.Summary{Add: n["create"] + n["replace"], Change: n["update"], Destroy: n["delete"] + n["replace"]}
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			for fixture, build := range fixtures {
				var b strings.Builder
				if err := JSON(&b, build()); err != nil {
					t.Fatalf("%s: JSON: %v", fixture, err)
				}
				var got parsedPlan
				if err := json.Unmarshal([]byte(b.String()), &got); err != nil {
					t.Fatalf("%s: %s: output does not parse: %v", tc.reason, fixture, err)
				}
				n := map[string]int{}
				for _, c := range got.ResourceChanges {
					n[c.Action]++
				}
				if diff := cmp.Diff(tc.count(n), got.Summary); diff != "" {
					t.Errorf("%s: %s: summary (-want +got):\n%s", tc.reason, fixture, diff)
				}
				if got.FormatVersion != plan.FormatVersion {
					t.Errorf("%s: format_version = %q, want %q", fixture, got.FormatVersion, plan.FormatVersion)
				}
			}
		})
	}
}

func TestJSONLeavesOutApplyFields(t *testing.T) {
	p := plantest.Creates()
	p.Changes[0].Desired = &resource.Desired{Address: "database.vpc", Props: resource.Props{"marker": "desired-only"}}
	p.Changes[0].Observed = &resource.Observation{Address: "database.vpc", ID: "vpc-observed-only"}
	p.Observed = map[string]string{"database.vpc": "fingerprint-only"}
	var b strings.Builder
	if err := JSON(&b, p); err != nil {
		t.Fatalf("JSON: %v", err)
	}
	for _, leak := range []string{"desired-only", "vpc-observed-only", "fingerprint-only", `"desired"`, `"observed"`} {
		if strings.Contains(b.String(), leak) {
			t.Errorf("apply-only data %s appears in the JSON plan", leak)
		}
	}
}

// exampleJSONPlan is the plan whose JSON form json.md shows.
func exampleJSONPlan() *plan.Plan {
	p := plantest.NewPlan(
		plan.Change{Address: "database.instance[0]", Kind: resource.KindDBInstance, Component: "database", Name: "kc-db-1",
			Action: plan.ActionUpdate, Before: resource.Props{"identifier": "kc-db-1", "instance_class": "db.r6g.large"},
			After:     resource.Props{"identifier": "kc-db-1", "instance_class": "db.r6g.xlarge"},
			Diffs:     []resource.FieldDiff{{Path: "instance_class", Before: "db.r6g.large", After: "db.r6g.xlarge"}},
			DependsOn: []string{"database.cluster"}},
		plan.Change{Address: "targets.rosa-b.peering", Kind: resource.KindPeering, Component: "target rosa-b", Name: "ROSA cluster rosa-b",
			Action: plan.ActionDelete, Before: resource.Props{"peer_vpc_id": "vpc-0rosab", "vpc_id": "vpc-0a1b2c"}},
	)
	p.Notes = []plan.Note{{Target: "rosa-a", Text: "the in-cluster part of target rosa-a (Keycloak custom resource, Secrets, discovery objects) was not read: no kubeconfig: set KUBECONFIG or pass --kubeconfig with a context named rosa-a."}}
	return p
}

// jsonDoc is the JSON format's documentation, pasted into the README.
const jsonDoc = "json.md"

func TestJSONDocExampleIsTrue(t *testing.T) {
	doc, err := os.ReadFile(jsonDoc)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)```json\n(.*?)```").FindSubmatch(doc)
	if m == nil {
		t.Fatalf("%s has no ```json example", jsonDoc)
	}
	var b strings.Builder
	if err := JSON(&b, exampleJSONPlan()); err != nil {
		t.Fatalf("JSON: %v", err)
	}
	if diff := cmp.Diff(b.String(), string(m[1])); diff != "" {
		t.Errorf("the example in %s is not what JSON writes for exampleJSONPlan (-want +got):\n%s", jsonDoc, diff)
	}
}

func TestJSONDocNamesEveryField(t *testing.T) {
	doc, err := os.ReadFile(jsonDoc)
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct {
		reason string
		typ    reflect.Type
	}{
		"Plan":    {reason: "every top-level field is documented", typ: reflect.TypeOf(jsonPlan{})},
		"Summary": {reason: "every summary field is documented", typ: reflect.TypeOf(jsonSummary{})},
		"Change":  {reason: "every change field is documented", typ: reflect.TypeOf(jsonChange{})},
		"Diff":    {reason: "every diff field is documented", typ: reflect.TypeOf(jsonDiff{})},
		"Note":    {reason: "every note field is documented", typ: reflect.TypeOf(jsonNote{})},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			for i := 0; i < tc.typ.NumField(); i++ {
				field := strings.Split(tc.typ.Field(i).Tag.Get("json"), ",")[0]
				if !strings.Contains(string(doc), "| `"+field+"` |") {
					t.Errorf("%s: %s has no table row for `%s`", tc.reason, jsonDoc, field)
				}
			}
		})
	}
}
