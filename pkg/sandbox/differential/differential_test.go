package differential_test

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/kcstack/kcstack/internal/testutil/moto"
	"github.com/kcstack/kcstack/pkg/sandbox/api"
	"github.com/kcstack/kcstack/pkg/sandbox/sandboxtest"
)

func TestMain(m *testing.M) { os.Exit(moto.Run(m)) }

// TestSandboxAgainstMoto runs the same SDK call sequence against the
// sandbox and against moto's server and compares, step by step, the error
// codes and the response shapes (fields set, formats of ids, states).
// Every difference must be listed in knownDifferences with the AWS
// documentation that says which side is right.
func TestSandboxAgainstMoto(t *testing.T) {
	motoURL := moto.URL(t)
	name := "diff-" + api.RandomHex(8) // moto may be shared: names are unique per run
	srv := sandboxtest.New(t)
	sandbox := newRun(t, "sandbox", sandboxtest.AWSConfig(t, srv), name)
	sandbox.sequence()
	other := newRun(t, "moto", sandboxtest.Config(t, motoURL), name)
	other.sequence()

	seen := map[string]bool{}
	var unexpected []string
	for _, d := range group(compare(sandbox, other)) {
		seen[d.key] = true
		if k, ok := knownDifferences[d.key]; ok {
			t.Logf("%s %s (sandbox %s, moto %s; steps: %s): %s %s", k.verdict, d.key, d.sandbox, d.moto, strings.Join(d.steps, ", "), k.why, k.doc)
			continue
		}
		unexpected = append(unexpected, d.String())
	}
	if len(unexpected) > 0 {
		t.Errorf("%d differences between the sandbox and moto: fix the sandbox where it is wrong, or list the difference in knownDifferences with the AWS documentation that shows the sandbox is right:\n%s",
			len(unexpected), strings.Join(unexpected, "\n"))
	}
	for key := range knownDifferences {
		if !seen[key] {
			t.Logf("known difference %q no longer shows (moto changed?): remove it from knownDifferences", key)
		}
	}
}

// grouped is one difference with every step that showed it.
type grouped struct {
	key, sandbox, moto string
	steps              []string
}

func (g grouped) String() string {
	return fmt.Sprintf("  %q: {sandbox: %s, moto: %s} in %s", g.key, g.sandbox, g.moto, strings.Join(g.steps, ", "))
}

// group merges the differences that only differ by step: a field of a
// DB cluster differs the same way in every response that holds one.
// Error differences stay per step.
func group(diffs []difference) []grouped {
	var out []grouped
	index := map[string]int{}
	for _, d := range diffs {
		key := d.step + " error"
		if d.path != "error" {
			key = normalize(d.step, d.path)
		}
		id := key + "\x00" + d.sandbox + "\x00" + d.moto
		if i, ok := index[id]; ok {
			out[i].steps = append(out[i].steps, d.step)
			continue
		}
		index[id] = len(out)
		out = append(out, grouped{key: key, sandbox: d.sandbox, moto: d.moto, steps: []string{d.step}})
	}
	return out
}

// containers map the ways a response holds a resource to one name.
var containers = []struct{ from, to string }{
	{"DBClusters[].", "DBCluster."}, {"DBInstances[].", "DBInstance."}, {"DBSubnetGroups[].", "DBSubnetGroup."},
	{"Vpcs[].", "Vpc."}, {"Subnets[].", "Subnet."}, {"SecurityGroups[].", "SecurityGroup."},
	{"VpcPeeringConnections[].", "VpcPeeringConnection."}, {"RouteTables[].", "RouteTable."},
	{"ReplicationGroups[].", "ReplicationGroup."}, {"CacheSubnetGroups[].", "CacheSubnetGroup."}, {"Users[].", "User."},
}

// normalize names a path by the resource that holds it (DBCluster.Port),
// or by the operation for fields of the response itself
// (GetCallerIdentity Arn).
func normalize(step, path string) string {
	for _, c := range containers {
		if strings.HasPrefix(path, c.from) {
			return c.to + strings.TrimPrefix(path, c.from)
		}
		if strings.HasPrefix(path, c.to) {
			return path
		}
	}
	op, _, _ := strings.Cut(step, " ")
	return op + " " + path
}

// difference is one step's path where the two sides disagree.
type difference struct {
	step, path, sandbox, moto string
}

func (d difference) String() string {
	return fmt.Sprintf("  %q: {sandbox: %s, moto: %s}", d.step+" "+d.path, d.sandbox, d.moto)
}

// compare lists every difference, in the order of the steps.
func compare(a, b *run) []difference {
	var out []difference
	for _, step := range a.steps {
		x, y := a.obs[step], b.obs[step]
		if x.code != "" || y.code != "" {
			if x.code != y.code {
				out = append(out, difference{step, "error", orNone(x.code), orNone(y.code)})
			}
			continue
		}
		paths := map[string]bool{}
		for p := range x.shape {
			paths[p] = true
		}
		for p := range y.shape {
			paths[p] = true
		}
		sorted := make([]string, 0, len(paths))
		for p := range paths {
			sorted = append(sorted, p)
		}
		sort.Strings(sorted)
		for _, p := range sorted {
			vx, okx := x.shape[p]
			vy, oky := y.shape[p]
			if okx != oky || vx != vy {
				out = append(out, difference{step, p, quoteOrUnset(vx, okx), quoteOrUnset(vy, oky)})
			}
		}
	}
	return out
}

func orNone(code string) string {
	if code == "" {
		return "success"
	}
	return code
}

func quoteOrUnset(v string, ok bool) string {
	if !ok {
		return "unset"
	}
	return fmt.Sprintf("%q", v)
}
