package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/kcstack/kcstack/pkg/output"
	"github.com/kcstack/kcstack/pkg/plan"
	"github.com/kcstack/kcstack/pkg/resource"
	"github.com/kcstack/kcstack/pkg/state"
)

type outputOptions struct {
	reportFlags
}

func newOutputCmd(g *globals) *cobra.Command {
	o := &outputOptions{}
	cmd := &cobra.Command{
		Use:   "output [-f FILE] [--format text|json] [NAME]",
		Short: "Read live AWS and print where the stack's parts are",
		Long: `Read live AWS (one observation, the one a plan makes) and print the stack's outputs, per stack and
per target: the Aurora writer and reader endpoints, port and the ARN of the secret holding the master
password (never its value), each ECS target's load balancer DNS name and Keycloak URL (and admin URL when
spec.keycloak.adminHostname is set), each ROSA target's peering id and, when its cluster is read
(--kubeconfig), the Keycloak custom resource's status and hostname.

A resource not created yet shows "(not created)" (null in JSON). NAME prints that one value alone, for
scripts (nothing when it has none); an unknown NAME is an error that lists the names. Exit 0 unless
AWS cannot be read.`,
		Example: `  kcstack output -f stack.yaml
  kcstack output -f stack.yaml --format json
  psql -h "$(kcstack output -f stack.yaml database.writer_endpoint)"`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return o.run(cmd.Context(), g, args, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	o.register(cmd, g)
	return cmd
}

func (o *outputOptions) run(ctx context.Context, g *globals, args []string, stdout, stderr io.Writer) error {
	run, ds, err := o.open(ctx, g, "cannot read the outputs", stderr)
	if err != nil {
		return err
	}
	defer run.close()
	outs, err := run.outputs(ctx, ds, true)
	if err != nil {
		return err
	}
	if len(args) == 0 {
		return writeOutputs(stdout, outs, o.format)
	}
	v, err := outs.Lookup(args[0])
	if err != nil {
		return err
	}
	if v.Value == nil {
		fmt.Fprintf(stderr, "Note: %s has no value: %s.\n", v.Name, v.Missing)
	}
	if o.format == "json" {
		return output.JSONValue(stdout, v)
	}
	return output.Raw(stdout, v)
}

// outputs reads live AWS once for ds and builds the stack's outputs.
// fromFile is false for a saved plan: without the stack file no Keycloak
// URL is derived.
func (r *runContext) outputs(ctx context.Context, ds []resource.Desired, fromFile bool) (*output.Outputs, error) {
	snap, err := r.observe(ctx, r.st.Metadata.Name, ds, "")
	if err != nil {
		return nil, err
	}
	return r.outputsOf(snap, ds, fromFile), nil
}

// outputsOf builds the stack's outputs of ds from snap, live AWS read once.
func (r *runContext) outputsOf(snap *state.Snapshot, ds []resource.Desired, fromFile bool) *output.Outputs {
	k := r.st.Spec.Keycloak
	var notes []string
	if !fromFile {
		notes = append(notes, "a plan file holds no hostname: kcstack output -f FILE adds the Keycloak URLs.")
	}
	return output.Build(output.Input{
		Stack: r.st.Metadata.Name, Region: r.sess.cfg.Region, Desired: ds, Snapshot: snap,
		Descriptors: r.prov.Registry.Descriptors(), Hostname: k.Hostname, AdminHostname: k.AdminHostname,
		HostnameUnknown: !fromFile, Notes: notes,
	})
}

func writeOutputs(w io.Writer, outs *output.Outputs, format string) error {
	if format == "json" {
		return output.JSON(w, outs)
	}
	return output.Text(w, outs)
}

// printOutputs prints the stack's outputs after an apply that completed:
// from snap, the plan's observation, when the apply changed nothing (nil
// reads AWS again, one observation). Not reading them does not undo the
// apply: it is a warning, and kcstack output reads them later.
func (o *applyOptions) printOutputs(ctx context.Context, run *runContext, p *plan.Plan, saved bool, snap *state.Snapshot, stdout, stderr io.Writer) {
	ds := o.desired(run, p)
	var outs *output.Outputs
	var err error
	if snap != nil {
		outs = run.outputsOf(snap, ds, !saved)
	} else {
		outs, err = run.outputs(ctx, ds, !saved)
	}
	if err == nil {
		fmt.Fprintln(stdout, "\nOutputs:")
		err = output.Text(stdout, outs)
	}
	if err != nil {
		fmt.Fprintf(stderr, "Warning: could not read the outputs after the apply: %v\nRead them with: kcstack output\n", err)
	}
}
