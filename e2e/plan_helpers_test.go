package e2e

import (
	"encoding/json"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// planJSON is the part of `kcstack plan --format json` (pkg/plan/render/json.md)
// these tests read.
type planJSON struct {
	FormatVersion   string       `json:"format_version"`
	Stack           string       `json:"stack"`
	Summary         summaryJSON  `json:"summary"`
	ResourceChanges []changeJSON `json:"resource_changes"`
}

// summaryJSON is a plan's summary; it is also what the text plan's last
// line says.
type summaryJSON struct {
	Add     int `json:"add"`
	Change  int `json:"change"`
	Destroy int `json:"destroy"`
}

type changeJSON struct {
	Address        string     `json:"address"`
	Kind           string     `json:"kind"`
	Action         string     `json:"action"`
	Before         any        `json:"before"`
	After          any        `json:"after"`
	Diffs          []diffJSON `json:"diffs"`
	ReplaceReasons []string   `json:"replace_reasons"`
	DependsOn      []string   `json:"depends_on"`
	DataLoss       bool       `json:"data_loss"`
}

type diffJSON struct {
	Path          string `json:"path"`
	Before        any    `json:"before"`
	After         any    `json:"after"`
	ForcesReplace bool   `json:"forces_replace"`
}

// planJSON runs `kcstack plan --format json --detailed-exitcode` on file
// and parses its output; a parse failure or an exit code other than 0 or 2
// fails the test.
func (e *env) planJSON(t *testing.T, file string) (planJSON, int) {
	t.Helper()
	r := e.kcstack(t, "plan", "-f", file, "--format", "json", "--detailed-exitcode")
	refused := r.Code == 1 && strings.Contains(r.Stderr, "this plan cannot be applied")
	if r.Code != 0 && r.Code != 2 && !refused {
		t.Fatalf("plan --format json: exit %d\n%s%s", r.Code, r.Stdout, r.Stderr)
	}
	var p planJSON
	if err := json.Unmarshal([]byte(r.Stdout), &p); err != nil {
		t.Fatalf("plan --format json does not parse: %v\n%s", err, r.Stdout)
	}
	return p, r.Code
}

// actions returns the action of every change that does something, by
// address (no-ops left out).
func (p planJSON) actions() map[string]string {
	out := map[string]string{}
	for _, c := range p.ResourceChanges {
		if c.Action != "no-op" {
			out[c.Address] = c.Action
		}
	}
	return out
}

// diffPaths returns the diff paths of every change that does something,
// by address, sorted.
func (p planJSON) diffPaths() map[string][]string {
	out := map[string][]string{}
	for _, c := range p.ResourceChanges {
		if c.Action == "no-op" || c.Action == "create" || c.Action == "delete" {
			continue
		}
		paths := []string{}
		for _, d := range c.Diffs {
			paths = append(paths, d.Path)
		}
		sort.Strings(paths)
		out[c.Address] = paths
	}
	return out
}

// change returns the change of address; the test fails when there is none.
func (p planJSON) change(t *testing.T, address string) changeJSON {
	t.Helper()
	for _, c := range p.ResourceChanges {
		if c.Address == address {
			return c
		}
	}
	t.Fatalf("no change for %s in the plan", address)
	return changeJSON{}
}

// countActions counts resource_changes per action the way the summary
// does: a replace is one add and one destroy.
func (p planJSON) countActions() summaryJSON {
	var s summaryJSON
	for _, c := range p.ResourceChanges {
		switch c.Action {
		case "create":
			s.Add++
		case "update":
			s.Change++
		case "replace":
			s.Add++
			s.Destroy++
		case "delete":
			s.Destroy++
		}
	}
	return s
}

var summaryLine = regexp.MustCompile(`(?m)^Plan: (\d+) to add, (\d+) to change, (\d+) to destroy\.$`)

// textSummary parses the closing `Plan: N to add, N to change, N to
// destroy.` line of a text plan; `No changes.` is all zeros.
func textSummary(t *testing.T, text string) summaryJSON {
	t.Helper()
	if m := summaryLine.FindAllStringSubmatch(text, -1); len(m) == 1 {
		n := func(s string) int { i, _ := strconv.Atoi(s); return i }
		return summaryJSON{Add: n(m[0][1]), Change: n(m[0][2]), Destroy: n(m[0][3])}
	}
	if strings.Contains(text, "No changes.") {
		return summaryJSON{}
	}
	t.Fatalf("no single `Plan: N to add, N to change, N to destroy.` line nor `No changes.` in:\n%s", text)
	return summaryJSON{}
}

// ownedAddresses are the 21 resources examples/aurora-rosa.yaml owns; the
// two ROSA VPCs are only looked up.
var ownedAddresses = []string{
	"database.vpc",
	"database.subnet[eu-west-1a]", "database.subnet[eu-west-1b]", "database.subnet[eu-west-1c]",
	"database.route-table",
	"database.route-table-association[eu-west-1a]", "database.route-table-association[eu-west-1b]", "database.route-table-association[eu-west-1c]",
	"database.security-group", "database.subnet-group", "database.cluster", "database.instance[0]", "database.instance[1]",
	"targets.rosa-a.peering", "targets.rosa-a.routes-from-database", "targets.rosa-a.routes-to-database", "targets.rosa-a.database-ingress",
	"targets.rosa-b.peering", "targets.rosa-b.routes-from-database", "targets.rosa-b.routes-to-database", "targets.rosa-b.database-ingress",
}

// everyAddress returns a map of every address to action.
func everyAddress(addresses []string, action string) map[string]string {
	out := map[string]string{}
	for _, a := range addresses {
		out[a] = action
	}
	return out
}

// awsOK runs the aws CLI; a failing command fails the test.
func (e *env) awsOK(t *testing.T, args ...string) result {
	t.Helper()
	r := e.aws(t, args...)
	if r.Code != 0 {
		t.Fatalf("aws %s: exit %d\n%s%s", strings.Join(args, " "), r.Code, r.Stdout, r.Stderr)
	}
	return r
}

// runWithEnv runs the kcstack binary in dir with exactly environ (not the
// sandbox's), for the credential and endpoint tests.
func runWithEnv(t *testing.T, dir string, environ []string, args ...string) result {
	t.Helper()
	return execute(t, invocation{bin: kcstackBin, args: args, dir: dir, environ: environ, timeout: time.Minute})
}
