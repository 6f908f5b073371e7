package cli

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/spf13/cobra"

	"github.com/kcstack/kcstack/pkg/apply"
)

func newUnlockCmd(g *globals) *cobra.Command {
	var (
		file string
		f    awsFlags
	)
	cmd := &cobra.Command{
		Use:   "unlock -f FILE LOCK_ID",
		Short: "Release a stack lock left by an apply that died",
		Long: `Release the stack's apply lock. The lock id is printed by the apply that is refused; unlock removes the
lock only when its id matches, so it never releases a lock taken since by someone else.`,
		Example: "  kcstack unlock -f stack.yaml 3f9c2a61d4e8b705",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := loadStack(file, cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			sess, err := g.connect(cmd.Context(), f, st.Spec.Region)
			if err != nil {
				return err
			}
			defer sess.Close()
			if err := apply.Unlock(cmd.Context(), ssm.NewFromConfig(sess.cfg), st.Metadata.Name, args[0]); err != nil {
				return explainAWS(err, sess)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Released the lock of stack %s.\n", st.Metadata.Name)
			return nil
		},
	}
	cmd.Flags().StringVarP(&file, "file", "f", defaultStackFile, "stack file")
	f.register(cmd)
	return cmd
}
