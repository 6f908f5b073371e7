package e2e

import (
	"strings"
	"testing"
)

// TestPlanUnavailableZone: a zone the region does not offer fails the plan
// before anything is created, naming the zone, its subnets, the field to
// set and the zones there are (the sandbox's regions have a, b and c).
func TestPlanUnavailableZone(t *testing.T) {
	t.Parallel()
	e, _ := newSandbox(t)
	file := e.stackFile(t, "ecs-jdbc-ping.yaml", "      instances: 2", "      zones: [eu-west-1a, eu-west-1d]\n      instances: 2")
	for _, cmd := range []string{"plan", "apply"} {
		r := e.kcstack(t, cmd, "-f", file, "--auto-approve")
		if cmd == "plan" {
			r = e.kcstack(t, cmd, "-f", file)
		}
		mustRun(t, cmd, r, 1, "availability zone eu-west-1d (for database.subnet[eu-west-1d]) is not an available zone of this region",
			"set spec.database.aurora.zones", "available: eu-west-1a, eu-west-1b, eu-west-1c")
		if strings.Contains(r.Stdout+r.Stderr, "Apply complete") {
			t.Errorf("%s went ahead:\n%s", cmd, r.Stdout)
		}
	}
	mustRun(t, "validate", e.kcstack(t, "validate", "-f", file), 0)
}
