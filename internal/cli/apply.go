package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/kcstack/kcstack/pkg/apply"
	"github.com/kcstack/kcstack/pkg/aws/awserr"
	"github.com/kcstack/kcstack/pkg/plan"
	"github.com/kcstack/kcstack/pkg/resource"
	"github.com/kcstack/kcstack/pkg/stack"
	"github.com/kcstack/kcstack/pkg/state"
	"github.com/kcstack/kcstack/pkg/tui"
)

type applyOptions struct {
	file        string
	fileSet     bool // -f was given
	autoApprove bool
	allowDelete bool
	parallelism int
	lockTimeout time.Duration
	noColor     bool
	trace       bool
	aws         awsFlags
	destroy     bool
	// wait is apply --wait: verify after the apply until every check
	// passes or waitTimeout passes.
	wait        bool
	waitTimeout time.Duration
}

func newApplyCmd(g *globals) *cobra.Command {
	o := &applyOptions{}
	cmd := &cobra.Command{
		Use:   "apply [-f FILE | PLANFILE]",
		Short: "Make AWS match the stack file (or apply a saved plan)",
		Long: `Plan, ask for approval, and apply: creates and updates in dependency order, deletes in reverse order,
independent changes in parallel. One apply per stack runs at a time (a lock in SSM Parameter Store).

Approval: on a terminal kcstack asks; otherwise pass --auto-approve. --auto-approve never implies deletes:
a plan that deletes or replaces anything also needs --allow-delete.
With PLANFILE (from kcstack plan --out) exactly that plan is applied, or nothing if AWS changed since, if
the file was edited, or if it would change anything not tagged for the stack; -f cannot be given with it.
A ROSA target whose cluster cannot be reached (a context missing from the kubeconfig, an API server that does
not answer), in the file or removed from it, stops apply before anything changes; --without-cluster TARGET
(repeatable) leaves a gone cluster out: the AWS part is applied and the target's objects stay in it.
The lock is taken after approval. Ctrl-C (or SIGTERM, or SIGHUP) stops scheduling, lets the AWS calls in flight finish and stops waits at once (exit 130); a second
Ctrl-C exits at once. Running it again converges.
--wait (the default when standard error is a terminal; --wait=false skips it) then polls the checks of
kcstack verify until every one passes (tasks running, targets healthy, Cloud Map registered), printing
progress on stderr (in the terminal UI: on its progress screen), up to --wait-timeout (exit 1 naming the
failing checks). The lock is released before the wait; Ctrl-C stops waiting at once (exit 130): the apply
is complete by then and nothing is undone. An apply with nothing to change still prints the outputs.`,
		Example: `  kcstack apply -f stack.yaml
  kcstack apply -f stack.yaml --auto-approve --wait --wait-timeout 20m
  kcstack apply -f stack.yaml --auto-approve
  kcstack plan -f stack.yaml --out reviewed.kcplan && kcstack apply reviewed.kcplan --auto-approve`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.fileSet = cmd.Flags().Changed("file")
			if !cmd.Flags().Changed("wait") {
				o.wait = isTerminal(os.Stderr)
			}
			return o.run(cmd.Context(), g, args, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	o.flags(cmd, true, g)
	return cmd
}

func newDestroyCmd(g *globals) *cobra.Command {
	o := &applyOptions{destroy: true}
	cmd := &cobra.Command{
		Use:   "destroy [-f FILE]",
		Short: "Remove everything the stack owns",
		Long: `Remove every resource tagged for the stack, in a safe order: peering routes and rules before the
peering and the database, instances before the cluster, subnets before the VPC. Resources the stack only
references (a ROSA cluster's VPC) are never touched. A ROSA target's in-cluster objects go before its peering;
--without-cluster TARGET (repeatable) leaves a cluster that is gone out. The Aurora cluster gets a final snapshot unless the
stack file says skipFinalSnapshot, and deletion protection is honoured.

Approval: on a terminal kcstack asks for the stack's name; otherwise pass --auto-approve, which is all
destroy needs. One apply or destroy per stack runs at a time (a lock in SSM Parameter Store).
Ctrl-C stops scheduling, lets the AWS calls in flight finish and stops waits at once (exit 130); a second
Ctrl-C exits at once. Running it again converges.`,
		Example: `  kcstack destroy -f stack.yaml
  kcstack --sandbox destroy -f examples/aurora-rosa.yaml --auto-approve`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return o.run(cmd.Context(), g, args, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	o.flags(cmd, false, g)
	return cmd
}

func (o *applyOptions) flags(cmd *cobra.Command, isApply bool, g *globals) {
	f := cmd.Flags()
	f.StringVarP(&o.file, "file", "f", defaultStackFile, "stack file")
	if isApply {
		f.BoolVar(&o.autoApprove, "auto-approve", false, "apply without asking (deletes also need --allow-delete)")
		f.BoolVar(&o.allowDelete, "allow-delete", false, "with --auto-approve, allow a plan that deletes or replaces resources")
		f.BoolVar(&o.wait, "wait", false, "after the apply, wait until kcstack verify passes (default: true when stderr is a terminal)")
		f.DurationVar(&o.waitTimeout, "wait-timeout", defaultWaitTimeout, "give up waiting after this long (exit 1)")
	} else {
		f.BoolVar(&o.autoApprove, "auto-approve", false, "destroy without asking for the stack's name")
	}
	f.IntVar(&o.parallelism, "parallelism", 10, "changes applied at the same time")
	f.DurationVar(&o.lockTimeout, "lock-timeout", 0, "wait this long for another apply's lock before giving up")
	f.BoolVar(&o.noColor, "no-color", false, "never colour the output (also NO_COLOR)")
	f.BoolVar(&o.trace, "trace", false, "print every AWS API call with its duration to stderr")
	o.aws.register(cmd)
	g.registerClusterFlags(cmd)
	_ = cmd.MarkFlagFilename("file", "yaml", "yml")
}

func (o *applyOptions) command() string {
	if o.destroy {
		return "kcstack destroy"
	}
	return "kcstack apply"
}

func (o *applyOptions) run(ctx context.Context, g *globals, args []string, stdout, stderr io.Writer) error {
	if o.parallelism < 1 {
		return fmt.Errorf("--parallelism %d: must be at least 1", o.parallelism)
	}
	if len(args) == 1 && o.fileSet {
		return fmt.Errorf("kcstack apply %s -f %s is ambiguous: a saved plan is applied exactly as it was reviewed, without a stack file; drop -f to apply the plan, or drop %s to plan and apply the stack file", args[0], o.file, args[0])
	}
	var saved *plan.Plan
	var st *stack.Stack
	var err error
	if len(args) == 1 {
		if saved, err = readPlan(args[0]); err != nil {
			return err
		}
		st = &stack.Stack{Metadata: stack.Metadata{Name: saved.Stack}, Spec: stack.Spec{Region: saved.Region}}
	} else if st, err = loadStack(o.file, stderr); err != nil {
		return err
	}
	run, err := g.prepare(ctx, st, saved == nil, o.aws, o.trace, stderr)
	if err != nil {
		return err
	}
	defer run.close()
	defer run.unlock()
	if err := run.checkReachable(); err != nil {
		return err
	}
	p, snap, err := o.planFor(ctx, run, saved)
	if err != nil {
		return err
	}
	// The clusters of former targets are known once AWS is read.
	if err := run.checkReachable(); err != nil {
		return err
	}
	return o.execute(ctx, run, p, snap, saved != nil, stackFile(args, o.file), stdout, stderr)
}

// lock takes the stack lock once the plan is approved, then re-reads what
// the plan touches and refuses when it changed meanwhile, or (trusted
// false: a saved plan) when the plan does not hold up against AWS. The
// lock is released by run.unlock.
func (o *applyOptions) lock(ctx context.Context, run *runContext, p *plan.Plan, trusted bool, file string, stderr io.Writer) error {
	lock, err := apply.Acquire(ctx, ssm.NewFromConfig(run.sess.cfg), p.Stack, o.command(), o.lockTimeout,
		apply.WithStackFile(file), apply.WithWaitNotice(5*time.Second, lockNotice(stderr)))
	if err != nil {
		return explainAWS(err, run.sess)
	}
	if file == "" {
		file = "<stack file>"
	}
	run.release = sync.OnceFunc(func() {
		if err := lock.Release(); err != nil {
			fmt.Fprintf(stderr, "Warning: could not release the stack lock %s: %v\nRelease it with: kcstack unlock -f %s %s\n", lock.Info.ID, err, file, lock.Info.ID)
		}
	})
	ds := run.desired
	if ds == nil {
		ds = savedDesired(p)
	}
	snap, err := state.Observe(ctx, p.Stack, ds, run.prov.Observers)
	if err != nil {
		return explainAWS(err, run.sess)
	}
	if changed := plan.Stale(p, snap); len(changed) > 0 {
		return fmt.Errorf("AWS changed since the plan was made, at:\n  %s\nNothing was applied. Run the same command again to plan from what AWS holds now", strings.Join(changed, "\n  "))
	}
	if trusted {
		return nil
	}
	return o.verify(p, snap, run)
}

// stackFile is the stack file an apply of args uses, for the unlock
// hint: none that kcstack knows when it applies a saved plan.
func stackFile(args []string, file string) string {
	if len(args) == 1 {
		return ""
	}
	return file
}

// lockNotice tells, on stderr, who holds the stack lock while apply waits.
func lockNotice(stderr io.Writer) func(*apply.HeldError) {
	return func(h *apply.HeldError) {
		fmt.Fprintf(stderr, "Waiting for the stack lock held by %s (%q, lock id %s) (%s)\n", h.Info.Who, h.Info.Command, h.Info.ID, h.Waited.Round(time.Second))
	}
}

// planFor computes the plan, or checks that a saved plan is still exact;
// it also returns the observation of AWS the plan was checked against.
func (o *applyOptions) planFor(ctx context.Context, run *runContext, saved *plan.Plan) (*plan.Plan, *state.Snapshot, error) {
	if saved == nil {
		return run.plan(ctx, o.destroy)
	}
	if err := inClusterFree(saved); err != nil {
		return nil, nil, err
	}
	if err := run.checkSavedNotes(saved); err != nil {
		return nil, nil, err
	}
	refusal := "the saved plan cannot be applied; nothing was applied"
	if saved.Destroy {
		refusal = ""
	}
	snap, err := run.observe(ctx, saved.Stack, savedDesired(saved), refusal)
	if err != nil {
		return nil, nil, err
	}
	if changed := plan.Stale(saved, snap); len(changed) > 0 {
		return nil, nil, fmt.Errorf("the saved plan is stale: AWS changed since it was made, at:\n  %s\nNothing was applied. Make a new plan with kcstack plan --out and review it", strings.Join(changed, "\n  "))
	}
	if err := o.verify(saved, snap, run); err != nil {
		return nil, nil, err
	}
	return saved, snap, nil
}

// verify checks a saved plan against a fresh snapshot: every change must
// be the one its own desired resources give (plan.Underived), and every
// update, replacement or delete must act on a resource the stack owns at
// that address (plan.Unowned). A plan file is data anyone who can write it
// may have edited; AWS is the authority.
func (o *applyOptions) verify(saved *plan.Plan, snap *state.Snapshot, run *runContext) error {
	fresh, err := plan.Compute(plan.Input{
		Stack: saved.Stack, Region: saved.Region, StackDigest: saved.StackDigest, Desired: savedDesired(saved),
		Snapshot: snap, Registry: run.prov.Registry, Destroy: saved.Destroy, Now: saved.CreatedAt,
	})
	if err != nil {
		return fmt.Errorf("the saved plan does not hold against AWS; nothing was applied:\n%w", err)
	}
	if bad := plan.Underived(saved, fresh); len(bad) > 0 {
		return fmt.Errorf("the saved plan has changes its own desired state does not give (the plan file was edited), at:\n  %s\nNothing was applied. Make a new plan with kcstack plan --out and review it", strings.Join(bad, "\n  "))
	}
	if bad := plan.Unowned(saved, snap, run.prov.Registry); len(bad) > 0 {
		return fmt.Errorf("the saved plan changes resources that are not tagged %s=%s with their address, at:\n  %s\nNothing was applied. kcstack changes only what the stack owns; make a new plan with kcstack plan --out", resource.TagStack, saved.Stack, strings.Join(bad, "\n  "))
	}
	return nil
}

// execute shows p, asks for approval, takes the lock and applies. A saved
// plan is checked against AWS again under the lock; file is the stack
// file for the unlock hint. snap is the observation p was made from: when
// p changes nothing, the outputs are built from it.
func (o *applyOptions) execute(ctx context.Context, run *runContext, p *plan.Plan, snap *state.Snapshot, saved bool, file string, stdout, stderr io.Writer) error {
	if err := writePlan(stdout, p, "text", useColor(o.noColor, stdout)); err != nil {
		return err
	}
	if !p.HasChanges() {
		return o.finish(ctx, run, p, saved, nil, snap, stdout, stderr)
	}
	if err := apply.Check(ctx, p, run.prov.Registry); err != nil {
		return &ExitError{Code: 1, Err: err}
	}
	// --trace writes to stderr, where the UI draws: it keeps the plain path.
	if tty, ok := stderr.(*os.File); ok && !o.autoApprove && !o.trace && isTerminal(os.Stdin) && isTerminal(tty) {
		return o.interactive(ctx, run, p, saved, func(ctx context.Context) error { return o.lock(ctx, run, p, !saved, file, tty) }, stdout, tty)
	}
	if err := o.approve(p, run.st.Metadata.Name, stdout, stderr); err != nil {
		return err
	}
	if err := o.lock(ctx, run, p, !saved, file, stderr); err != nil {
		return err
	}
	fmt.Fprintln(stdout)
	res := apply.Apply(ctx, p, apply.Options{Stack: p.Stack, Handlers: run.prov.Registry, Retryable: awserr.IsAmbiguous, Parallelism: o.parallelism, OnEvent: printEvent(stdout)})
	return o.finish(ctx, run, p, saved, report(stdout, res, o.destroy), nil, stdout, stderr)
}

// interactive reviews, confirms and applies p in the terminal UI drawn on
// tty (standard error); with --wait the wait runs inside the UI too. The
// outcome is then reported on stdout, and the wait's lines are repeated on
// tty so that they stay once the UI has closed. lock runs once the plan is
// approved, before anything is applied.
func (o *applyOptions) interactive(ctx context.Context, run *runContext, p *plan.Plan, saved bool, lock func(context.Context) error, stdout io.Writer, tty *os.File) error {
	var locked error
	var said []string
	opts := tui.Options{Stack: run.st.Metadata.Name, Destroy: o.destroy, Input: os.Stdin, Output: tty, Color: useColor(o.noColor, tty),
		Apply: func(ctx context.Context, onEvent func(apply.Event)) *apply.Result {
			// The lock goes when the apply ends, not when its summary closes.
			defer run.unlock()
			if locked = lock(ctx); locked != nil {
				return &apply.Result{Failed: []apply.Failure{{Address: "before apply", Err: locked}}}
			}
			return apply.Apply(ctx, p, apply.Options{Stack: p.Stack, Handlers: run.prov.Registry, Retryable: awserr.IsAmbiguous, Parallelism: o.parallelism, OnEvent: onEvent})
		}}
	if o.wait && !o.destroy {
		opts.Wait = func(ctx context.Context, say func(string)) error {
			return o.waitVerified(ctx, run, o.desired(run, p), func(line string) { said = append(said, line); say(line) })
		}
	}
	out, err := tui.Run(ctx, p, opts)
	if locked != nil {
		return locked
	}
	if out.Aborted {
		return &ExitError{Code: 130, Message: "Second interrupt: exited at once. Calls in flight may be incomplete; run the same command again to converge."}
	}
	if out.Result == nil && err != nil {
		return err
	}
	if out.Result == nil {
		return &ExitError{Code: 1, Message: "Apply cancelled."}
	}
	if err != nil {
		fmt.Fprintf(tty, "Warning: %v\n", err)
	}
	reported := report(stdout, out.Result, o.destroy)
	if !out.Waited {
		return o.finish(ctx, run, p, saved, reported, nil, stdout, tty)
	}
	if reported != nil {
		return reported
	}
	o.printOutputs(ctx, run, p, saved, nil, stdout, tty)
	fmt.Fprintln(tty)
	for _, line := range said {
		fmt.Fprintln(tty, line)
	}
	return out.WaitErr
}

// finish prints the outputs after an apply that completed (reported nil),
// also when it changed nothing (from snap, the plan's observation), never
// after a destroy; then with --wait waits for the stack to verify, with
// progress on stderr. It returns reported, or the wait's outcome.
func (o *applyOptions) finish(ctx context.Context, run *runContext, p *plan.Plan, saved bool, reported error, snap *state.Snapshot, stdout, stderr io.Writer) error {
	if reported != nil || o.destroy {
		return reported
	}
	o.printOutputs(ctx, run, p, saved, snap, stdout, stderr)
	if !o.wait {
		return nil
	}
	fmt.Fprintln(stderr)
	return o.waitVerified(ctx, run, o.desired(run, p), lines(stderr))
}

// desired are the desired resources the apply of p was planned from: the
// stack file's, or a saved plan's.
func (o *applyOptions) desired(run *runContext, p *plan.Plan) []resource.Desired {
	if run.desired != nil {
		return run.desired
	}
	return savedDesired(p)
}

// approve asks on a terminal, or checks the flags that stand for approval.
func (o *applyOptions) approve(p *plan.Plan, name string, stdout, stderr io.Writer) error {
	destructive := p.Destructive()
	if o.autoApprove {
		if len(destructive) > 0 && !o.destroy && !o.allowDelete {
			return &ExitError{Code: 1, Err: fmt.Errorf("this plan deletes or replaces %d resources (%s); --auto-approve never implies deletes: add --allow-delete to allow them, or run without --auto-approve to confirm on a terminal", len(destructive), addresses(destructive))}
		}
		return nil
	}
	if !isTerminal(os.Stdin) && o.destroy {
		return &ExitError{Code: 1, Err: fmt.Errorf("kcstack destroy needs approval, and standard input is not a terminal: review the plan above, then run again with --auto-approve")}
	}
	if !isTerminal(os.Stdin) {
		return &ExitError{Code: 1, Err: fmt.Errorf("%s needs approval, and standard input is not a terminal: review the plan above, then run again with --auto-approve (plus --allow-delete when it deletes or replaces anything), or apply a reviewed plan file with kcstack apply PLANFILE --auto-approve", o.command())}
	}
	return confirm(os.Stdin, stderr, p, name, destructive)
}

// confirm asks for "yes", or for the stack's name when anything is deleted
// or replaced. Anything else cancels.
func confirm(in io.Reader, out io.Writer, p *plan.Plan, name string, destructive []plan.Change) error {
	want := "yes"
	if len(destructive) > 0 {
		fmt.Fprintf(out, "\nThis plan DELETES or REPLACES %d resources:\n", len(destructive))
		for _, c := range destructive {
			loss := ""
			if c.DataLoss {
				loss = "  <-- DATA LOSS"
			}
			fmt.Fprintf(out, "  %s %s (%s)%s\n", c.Action, c.Address, c.Kind, loss)
		}
		want = name
		fmt.Fprintf(out, "Type the stack name %q to confirm: ", name)
	} else {
		fmt.Fprint(out, "\nDo you want to perform these actions? Only 'yes' will be accepted: ")
	}
	line, _ := bufio.NewReader(in).ReadString('\n')
	if strings.TrimSpace(line) != want {
		return &ExitError{Code: 1, Message: "Apply cancelled."}
	}
	return nil
}

func addresses(cs []plan.Change) string {
	var a []string
	for _, c := range cs {
		a = append(a, c.Address)
	}
	return strings.Join(a, ", ")
}

// isTerminal reports whether f is a terminal. A character device is not
// enough: /dev/null is one, and reading it as the answer would cancel an
// apply run by automation instead of telling it how to approve.
func isTerminal(f *os.File) bool {
	return term.IsTerminal(f.Fd())
}

// savedDesired returns the desired resources a saved plan was made for.
func savedDesired(p *plan.Plan) []resource.Desired {
	var out []resource.Desired
	for _, c := range p.Changes {
		if c.Desired != nil && c.Action != plan.ActionDelete {
			out = append(out, *c.Desired)
		}
	}
	return out
}

func readPlan(path string) (*plan.Plan, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read plan file: %w", err)
	}
	var p plan.Plan
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("%s is not a kcstack plan file: %w", path, err)
	}
	if p.FormatVersion != plan.FormatVersion {
		return nil, fmt.Errorf("%s has plan format %q; this kcstack reads %q: make the plan again with this version", path, p.FormatVersion, plan.FormatVersion)
	}
	sum, err := p.ContentDigest()
	if err != nil {
		return nil, err
	}
	if p.Digest != sum {
		return nil, &ExitError{Code: 1, Err: fmt.Errorf("%s was modified after kcstack plan wrote it (its content digest does not match); nothing was applied: make a new plan with kcstack plan --out and review it", path)}
	}
	return &p, nil
}

// inClusterFree refuses a saved plan that changes in-cluster objects: a
// plan file names no kubeconfig context, so apply could not reach the
// clusters and would leave the targets half-applied.
func inClusterFree(p *plan.Plan) error {
	for _, c := range p.Changes {
		if c.Action != plan.ActionNoOp && strings.HasPrefix(string(c.Kind), "k8s:") {
			return &ExitError{Code: 1, Err: fmt.Errorf("nothing was applied: the saved plan changes in-cluster objects (%s), which only an apply from the stack file reaches: run kcstack apply -f <stack file> --kubeconfig <file>", c.Address)}
		}
	}
	return nil
}
