package cli

import (
	"fmt"

	"github.com/spf13/cobra"
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
