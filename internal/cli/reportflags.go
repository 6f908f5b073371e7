package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/kcstack/kcstack/pkg/resource"
)

// reportFlags are the flags of the commands that read a stack and print a
// report of it (output, verify): -f FILE, --format text|json, and the AWS
// and cluster flags.
type reportFlags struct {
	file   string
	format string
	aws    awsFlags
}

func (r *reportFlags) register(cmd *cobra.Command, g *globals) {
	f := cmd.Flags()
	f.StringVarP(&r.file, "file", "f", defaultStackFile, "stack file")
	f.StringVar(&r.format, "format", "text", "output format: text or json")
	r.aws.register(cmd)
	g.registerClusterFlags(cmd)
	_ = cmd.MarkFlagFilename("file", "yaml", "yml")
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions([]string{"text", "json"}, cobra.ShellCompDirectiveNoFileComp))
}

// checkFormat refuses a --format other than text and json.
func (r *reportFlags) checkFormat() error {
	if r.format != "text" && r.format != "json" {
		return fmt.Errorf("unknown --format %q: use text or json", r.format)
	}
	return nil
}

// open checks --format, loads the stack file and connects to AWS; it
// returns the run, to close, and the stack's desired resources. what
// heads the error when they cannot be made ("cannot verify").
func (r *reportFlags) open(ctx context.Context, g *globals, what string, stderr io.Writer) (*runContext, []resource.Desired, error) {
	if err := r.checkFormat(); err != nil {
		return nil, nil, err
	}
	st, err := loadStack(r.file, stderr)
	if err != nil {
		return nil, nil, err
	}
	run, err := g.prepare(ctx, st, false, r.aws, false, stderr)
	if err != nil {
		return nil, nil, err
	}
	ds, err := run.desiredResources()
	if err != nil {
		run.close()
		return nil, nil, fmt.Errorf("%s: %w", what, err)
	}
	return run, ds, nil
}
