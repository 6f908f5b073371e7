package cli

import (
	"github.com/spf13/cobra"

	"github.com/kcstack/kcstack/schema"
)

func newSchemaCmd(_ *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "schema",
		Short: "Print the JSON Schema of the stack file",
		Long: `Print the JSON Schema (2020-12) of stack.yaml, as embedded in kcstack.

Editors use it through yaml-language-server; put this first line in a stack file:
  # yaml-language-server: $schema=<path or URL of the schema>`,
		Example: `  kcstack schema > stack.schema.json`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := cmd.OutOrStdout().Write(schema.JSON())
			return err
		},
	}
}
