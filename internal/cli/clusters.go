package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kcstack/kcstack/pkg/kube"
	"github.com/kcstack/kcstack/pkg/kube/cluster"
	"github.com/kcstack/kcstack/pkg/plan"
	"github.com/kcstack/kcstack/pkg/resource"
	"github.com/kcstack/kcstack/pkg/state"
)

// nothingApplied begins the refusal of an apply that cannot reach a
// cluster it must change.
const nothingApplied = "nothing was applied"

// registerClusterFlags adds the flags of plan, apply and destroy about the
// clusters of ROSA targets.
func (g *globals) registerClusterFlags(cmd *cobra.Command) {
	cmd.Flags().StringArrayVar(&g.withoutCluster, "without-cluster", nil,
		"neither read nor change the in-cluster part of this ROSA target (repeatable): for a cluster that is gone; its objects, if any, stay in it")
}

// unreadTargets are the targets whose in-cluster part this run did not
// read: those of the file, and the former targets of the last observe.
func (r *runContext) unreadTargets() []cluster.Unread {
	out := append([]cluster.Unread(nil), r.unread...)
	if r.former != nil {
		out = append(out, r.former.Unread()...)
	}
	return out
}

// checkReachable refuses, before anything is applied, a run that cannot
// read the cluster of a ROSA target while a kubeconfig was given: applying
// the target's AWS part alone would leave it half-applied, and deleting a
// former target's peering would strand its objects.
func (r *runContext) checkReachable() error {
	var blocked []string
	for _, u := range r.unreadTargets() {
		if u.Blocking {
			blocked = append(blocked, fmt.Sprintf("target %s: %s", u.Target, u.Reason))
		}
	}
	return unreachable(blocked)
}

// unreachable is the refusal of a run that would apply half a target, one
// line per blocked target; nil when there is none.
func unreachable(blocked []string) error {
	if len(blocked) == 0 {
		return nil
	}
	return &ExitError{Code: 1, Err: fmt.Errorf("%s: the cluster of a ROSA target cannot be reached, and kcstack never applies half a target (pass --without-cluster TARGET for a cluster that is gone):\n  %s", nothingApplied, strings.Join(blocked, "\n  "))}
}

// noteFormer notes which former ROSA targets (no longer in the
// file, still peered) this run did not read the in-cluster part of, and
// which --without-cluster names no target at all.
func (r *runContext) noteFormer(without []string) {
	if r.former == nil {
		return
	}
	named := map[string]bool{}
	for _, t := range r.st.Spec.Targets {
		named[t.Name] = t.ROSA != nil
	}
	for _, u := range r.former.Unread() {
		named[u.Target] = true
		then := "its in-cluster objects, if any, stay in the cluster"
		if u.Blocking {
			then = "apply stops before changing anything; if the cluster is gone, pass --without-cluster " + u.Target + " (its in-cluster objects, if any, then stay in it)"
		}
		r.note(plan.Note{Target: u.Target, Blocking: u.Blocking,
			Text: fmt.Sprintf("target %s is no longer in the file, and its in-cluster part (Keycloak custom resource, Secrets, discovery objects) was not read: %s; %s.", u.Target, u.Reason, then)})
	}
	for _, t := range without {
		if !named[t] {
			fmt.Fprintf(r.stderr, "Warning: --without-cluster %s changes nothing: %s is neither a ROSA target of the file nor a removed one the stack still peers with.\n", t, t)
		}
	}
}

// noteAdopted notes which Namespaces the stack uses without owning them,
// without kcstack's labels or owned by another kcstack stack: kcstack uses
// them as they are and never changes nor deletes them.
func (r *runContext) noteAdopted(snap *state.Snapshot) {
	for _, a := range resource.SortedKeys(snap.Observations) {
		ob := snap.Observations[a]
		if ob.Kind != kube.KindNamespace || !ob.Found {
			continue
		}
		why := "exists without kcstack's labels"
		if other := ob.Attrs[cluster.AttrOwnerStack]; other != "" {
			why = fmt.Sprintf("is owned by kcstack stack %q", other)
		}
		r.note(plan.Note{Target: targetOf(a), Address: a,
			Text: fmt.Sprintf("namespace %s (%s) %s: kcstack uses it as it is and never deletes it.", ob.ID, a, why)})
	}
}
