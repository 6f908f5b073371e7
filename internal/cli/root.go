package cli

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"
)

// Version is set at build time with -ldflags "-X github.com/kcstack/kcstack/internal/cli.Version=...".
var Version = "dev"

// ExitError carries a process exit code through cobra. Its message, when
// not empty, has already been printed or is printed by Run.
type ExitError struct {
	Code int
	Err  error
	// Message, when set, is printed as it is instead of "Error: <Err>":
	// an outcome the user chose ("Apply cancelled."), not a failure.
	Message string
}

func (e *ExitError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit %d", e.Code)
	}
	return e.Err.Error()
}

func (e *ExitError) Unwrap() error { return e.Err }

// globals are the flags every command shares.
type globals struct {
	sandbox bool
	// kubeconfig is the --kubeconfig file; "" for KUBECONFIG or ~/.kube/config.
	kubeconfig string
	// withoutCluster are the --without-cluster targets of plan, apply and
	// destroy: their in-cluster part is neither read nor changed.
	withoutCluster []string
	stdin          io.Reader
	// stderr is where commands write what happens while they wait.
	stderr io.Writer
}

// Run executes kcstack with args and returns the process exit code.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	g := &globals{stdin: stdin, stderr: stderr}
	root := newRoot(g)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return 0
	}
	var exit *ExitError
	if errors.As(err, &exit) {
		switch {
		case exit.Message != "":
			fmt.Fprintln(stderr, exit.Message)
		case exit.Err != nil:
			fmt.Fprintln(stderr, "Error:", exit.Err)
		}
		return exit.Code
	}
	fmt.Fprintln(stderr, "Error:", err)
	return 1
}

func newRoot(g *globals) *cobra.Command {
	root := &cobra.Command{
		Use:           "kcstack",
		Short:         "Run highly-available Keycloak on AWS from one declarative file",
		Long:          "kcstack validates, plans and applies stack.yaml: an Aurora PostgreSQL database, VPC peering,\nECS Fargate or ROSA compute targets, JGroups discovery and Infinispan cache owners for Keycloak.",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().BoolVar(&g.sandbox, "sandbox", false, "run against an embedded local AWS sandbox (state in .kcstack/sandbox.json) instead of AWS")
	root.PersistentFlags().StringVar(&g.kubeconfig, "kubeconfig", "", "kubeconfig file whose contexts reach the ROSA targets' clusters (rosa.kubeContext; default: KUBECONFIG, then ~/.kube/config)")
	root.AddCommand(newVersionCmd())
	for _, add := range commands {
		root.AddCommand(add(g))
	}
	return root
}

// commands lists the constructors of the top-level commands other than
// version; each command file adds itself here in one line.
var commands = []func(*globals) *cobra.Command{
	newValidateCmd,
	newSchemaCmd,
	newSandboxCmd,
	newPlanCmd,
	newApplyCmd,
	newDestroyCmd,
	newOutputCmd,
	newVerifyCmd,
	newUnlockCmd,
	newRenderCmd,
}

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print kcstack's version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintf(cmd.OutOrStdout(), "kcstack %s\n", Version)
			return err
		},
	}
}
