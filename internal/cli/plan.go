package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/spf13/cobra"

	"github.com/kcstack/kcstack/pkg/apply"
	"github.com/kcstack/kcstack/pkg/aws/provider"
	"github.com/kcstack/kcstack/pkg/aws/trace"
	"github.com/kcstack/kcstack/pkg/desired"
	"github.com/kcstack/kcstack/pkg/kube/cluster"
	"github.com/kcstack/kcstack/pkg/plan"
	"github.com/kcstack/kcstack/pkg/plan/render"
	"github.com/kcstack/kcstack/pkg/resource"
	"github.com/kcstack/kcstack/pkg/sandbox/fixture"
	"github.com/kcstack/kcstack/pkg/stack"
	"github.com/kcstack/kcstack/pkg/state"
)

type planOptions struct {
	file     string
	out      string
	format   string
	detailed bool
	noColor  bool
	trace    bool
	aws      awsFlags
}

func newPlanCmd(g *globals) *cobra.Command {
	o := &planOptions{}
	cmd := &cobra.Command{
		Use:   "plan [-f FILE] [--format text|json|markdown] [--out PLANFILE]",
		Short: "Read live AWS and show what apply would change",
		Long: `Read live AWS for the stack, compare it with the file, and print the changes apply would make,
in Terraform's vocabulary (+ create, ~ update in-place, -/+ replace, - destroy).

Exit status: 0 on success, 1 on error. With --detailed-exitcode: 0 no changes, 1 error, 2 changes.
--out saves the plan (with fingerprints of everything it observed) for "kcstack apply PLANFILE".

ROSA targets' in-cluster objects are read through the kubeconfig context of each (--kubeconfig, KUBECONFIG,
~/.kube/config), and so are those of a ROSA target no longer in the file, through the context its peering's
tags name: the plan deletes them before the peering. --without-cluster TARGET (repeatable) neither reads
nor changes a target's in-cluster part, for a cluster that is gone: the plan notes it.`,
		Example: `  kcstack plan -f stack.yaml
  kcstack plan --format markdown --detailed-exitcode > plan.md
  kcstack --sandbox plan -f examples/aurora-rosa.yaml --out aurora.kcplan`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return o.run(cmd.Context(), g, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.file, "file", "f", defaultStackFile, "stack file")
	f.StringVar(&o.out, "out", "", "save the plan to this file for kcstack apply")
	f.StringVar(&o.format, "format", "text", "output format: text, json or markdown")
	f.BoolVar(&o.detailed, "detailed-exitcode", false, "exit 2 when there are changes, 0 when there are none")
	f.BoolVar(&o.noColor, "no-color", false, "never colour the output (also NO_COLOR)")
	f.BoolVar(&o.trace, "trace", false, "print every AWS API call with its duration to stderr")
	o.aws.register(cmd)
	g.registerClusterFlags(cmd)
	_ = cmd.MarkFlagFilename("file", "yaml", "yml")
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions([]string{"text", "json", "markdown"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func (f *awsFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.region, "region", "", "AWS region (default: spec.region; another region is refused)")
	cmd.Flags().StringVar(&f.profile, "profile", "", "shared config profile (default: AWS_PROFILE)")
}

func (o *planOptions) run(ctx context.Context, g *globals, stdout, stderr io.Writer) error {
	if o.format != "text" && o.format != "json" && o.format != "markdown" {
		return fmt.Errorf("unknown --format %q: use text, json or markdown", o.format)
	}
	st, err := loadStack(o.file, stderr)
	if err != nil {
		return err
	}
	run, err := g.prepare(ctx, st, true, o.aws, o.trace, stderr)
	if err != nil {
		return err
	}
	defer run.close()
	p, _, err := run.plan(ctx, false)
	if err != nil {
		return err
	}
	if err := writePlan(stdout, p, o.format, useColor(o.noColor, stdout)); err != nil {
		return err
	}
	if err := apply.Check(ctx, p, run.prov.Registry); err != nil {
		return &ExitError{Code: 1, Err: fmt.Errorf("this plan cannot be applied:\n%w", err)}
	}
	if o.out != "" {
		if err := savePlan(o.out, p); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "Saved the plan to %s. Apply exactly this plan with: kcstack apply %s\n", o.out, o.out)
	}
	if o.detailed && p.HasChanges() {
		return &ExitError{Code: 2}
	}
	return nil
}

// loadStack reads and validates a stack file, printing its diagnostics
// (warnings too) to stderr; an invalid file is exit 1.
func loadStack(file string, stderr io.Writer) (*stack.Stack, error) {
	st, ds, err := stack.LoadFile(file)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("no stack file %s: pass -f FILE, or start from one of the files in examples/", file)
	}
	if err != nil {
		return nil, err
	}
	if len(ds) > 0 {
		fmt.Fprint(stderr, ds.String())
	}
	if ds.HasErrors() {
		return nil, &ExitError{Code: 1, Err: fmt.Errorf("%s is not valid; fix the errors above (kcstack validate -f %s)", file, file)}
	}
	return st, nil
}

// runContext is a stack connected to AWS: what plan, apply and destroy share.
type runContext struct {
	st   *stack.Stack
	sess *session
	prov *provider.Provider
	// release gives up the stack lock of an apply, once; nil otherwise.
	release func()
	// desired are the resources plan observed for; nil for a saved plan.
	desired []resource.Desired
	// unread are the ROSA targets whose in-cluster part cannot be read.
	unread []cluster.Unread
	// former reads the in-cluster objects of ROSA targets no longer in the
	// file; nil for a saved plan.
	former *cluster.Former
	// without are the --without-cluster targets.
	without []string
	// notes are the notes of the plan being made, in the order made.
	notes []plan.Note
	// stderr receives the notes as they are made.
	stderr io.Writer
}

func (r *runContext) close() { _ = r.sess.Close() }

// unlock gives up the stack lock if this run took it.
func (r *runContext) unlock() {
	if r.release != nil {
		r.release()
	}
}

// prepare connects to AWS (or the embedded sandbox) for st. fromFile is
// false for a saved plan, which names no targets: the objects of former
// targets are not read.
func (g *globals) prepare(ctx context.Context, st *stack.Stack, fromFile bool, f awsFlags, traced bool, stderr io.Writer) (*runContext, error) {
	sess, err := g.connect(ctx, f, st.Spec.Region)
	if err != nil {
		return nil, err
	}
	if traced {
		trace.Enable(&sess.cfg, stderr)
	}
	if sess.sandbox != nil {
		if err := ensureSandboxROSA(ctx, sess, st, stderr); err != nil {
			sess.Close()
			return nil, err
		}
	}
	access := cluster.Access{Kubeconfig: g.kubeconfig, Without: g.withoutCluster}
	clusters, unread := cluster.Connect(access, st)
	var former *cluster.Former
	var opts []cluster.Option
	if fromFile {
		former = cluster.NewFormer(access)
		opts = append(opts, cluster.WithFormer(former))
	}
	prov, err := provider.New(sess.cfg, st.Metadata.Name, provider.WithKinds(cluster.New(clusters, secretsmanager.NewFromConfig(sess.cfg), opts...)))
	if err != nil {
		sess.Close()
		return nil, err
	}
	return &runContext{st: st, sess: sess, prov: prov, unread: unread, former: former, without: g.withoutCluster, stderr: stderr}, nil
}

// ensureSandboxROSA makes the networks of the stack's ROSA clusters in the
// embedded sandbox, where no ROSA installer made them.
func ensureSandboxROSA(ctx context.Context, sess *session, st *stack.Stack, stderr io.Writer) error {
	client := ec2.NewFromConfig(sess.cfg)
	for _, t := range st.Spec.Targets {
		if t.ROSA == nil || t.ROSA.VPC.Tags["Name"] != t.ROSA.Cluster+"-vpc" {
			continue
		}
		net, err := fixture.EnsureROSANetwork(ctx, client, t.ROSA.Cluster, t.ROSA.MachineCIDR)
		if err != nil {
			return fmt.Errorf("sandbox: create the network of ROSA cluster %s: %w", t.ROSA.Cluster, err)
		}
		if net.Created {
			fmt.Fprintf(stderr, "sandbox: created the network of ROSA cluster %s (%s), as its installer would have\n", t.ROSA.Cluster, net.VPCID)
		}
	}
	return nil
}

// plan observes AWS and computes the plan (or, with destroy, the plan that
// removes everything the stack owns).
func (r *runContext) plan(ctx context.Context, destroy bool) (*plan.Plan, *state.Snapshot, error) {
	r.notes = nil
	ds, err := r.desiredResources()
	if err != nil {
		return nil, nil, fmt.Errorf("cannot plan: %w", err)
	}
	refusal := "cannot plan"
	if destroy {
		refusal = ""
	}
	snap, err := r.observe(ctx, r.st.Metadata.Name, ds, refusal)
	if err != nil {
		return nil, nil, err
	}
	r.noteAdopted(snap)
	r.noteFormer(r.without)
	r.desired = ds
	p, err := plan.Compute(plan.Input{
		Stack: r.st.Metadata.Name, Region: r.sess.cfg.Region, StackDigest: r.st.Digest(),
		Desired: ds, Snapshot: snap, Registry: r.prov.Registry, Destroy: destroy, Now: time.Now(), Notes: r.notes,
	})
	if err != nil {
		return nil, nil, fmt.Errorf("cannot plan:\n%w", err)
	}
	return p, snap, nil
}

func writePlan(w io.Writer, p *plan.Plan, format string, color bool) error {
	switch format {
	case "json":
		return render.JSON(w, p)
	case "markdown":
		return render.Markdown(w, p)
	}
	return render.Text(w, p, render.TextOptions{Color: color})
}

// savePlan writes the full plan (with what apply needs) as JSON, readable
// by its owner only, with the digest of its content. The digest is taken
// over the plan as it will be read back, so that readPlan finds the same.
func savePlan(path string, p *plan.Plan) error {
	b, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("encode plan: %w", err)
	}
	var back plan.Plan
	if err := json.Unmarshal(b, &back); err != nil {
		return fmt.Errorf("encode plan: %w", err)
	}
	if back.Digest, err = back.ContentDigest(); err != nil {
		return err
	}
	if b, err = json.MarshalIndent(&back, "", "  "); err != nil {
		return fmt.Errorf("encode plan: %w", err)
	}
	// WriteFile keeps the mode of a file that exists: remove it first.
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("save plan: %w", err)
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("save plan: %w", err)
	}
	return nil
}

// useColor reports whether to colour output written to w.
func useColor(noColor bool, w io.Writer) bool {
	if noColor || os.Getenv("NO_COLOR") != "" {
		return false
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// desiredResources are the stack's AWS resources and the in-cluster
// objects of every ROSA target whose cluster this run reaches; each other
// ROSA target gets a note saying its in-cluster part was not read, and why.
func (r *runContext) desiredResources() ([]resource.Desired, error) {
	ds, err := desired.Resources(r.st)
	if err != nil {
		return nil, err
	}
	in, err := desired.InCluster(r.st)
	if err != nil {
		return nil, err
	}
	skipped := map[string]bool{}
	for _, u := range r.unread {
		skipped[u.Target] = true
		r.note(plan.Note{Target: u.Target, Blocking: u.Blocking,
			Text: fmt.Sprintf("the in-cluster part of target %s (Keycloak custom resource, Secrets, discovery objects) was not read: %s.", u.Target, u.Reason)})
	}
	for _, d := range in {
		if !skipped[targetOf(d.Address)] {
			ds = append(ds, d)
		}
	}
	return ds, nil
}

// targetOf returns the target an address belongs to ("rosa-a" for
// "targets.rosa-a.k8s.keycloak"), or "" for an address outside targets.
func targetOf(address string) string {
	rest, ok := strings.CutPrefix(address, "targets.")
	if !ok {
		return ""
	}
	t, _, _ := strings.Cut(rest, ".")
	return t
}

// note adds n to the notes of the plan being made and prints it on stderr
// at once, where the text form of a plan shows notes.
func (r *runContext) note(n plan.Note) {
	r.notes = append(r.notes, n)
	fmt.Fprintf(r.stderr, "Note: %s\n", n.Text)
}

// checkSavedNotes prints the notes of a saved plan on stderr, as plan
// did, and refuses the plan when one of them blocks: it was made while
// the cluster of a ROSA target could not be read, and applying it would
// leave that target half-applied.
func (r *runContext) checkSavedNotes(p *plan.Plan) error {
	for _, n := range p.Notes {
		fmt.Fprintf(r.stderr, "Note: %s\n", n.Text)
	}
	var blocked []string
	for _, n := range p.Blocking() {
		blocked = append(blocked, fmt.Sprintf("target %s: %s", n.Target, n.Text))
	}
	return unreachable(blocked)
}
