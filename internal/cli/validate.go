package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"

	"github.com/spf13/cobra"

	"github.com/kcstack/kcstack/pkg/stack"
)

// defaultStackFile is the stack file commands read without -f.
const defaultStackFile = "stack.yaml"

// stdinName names standard input in diagnostics.
const stdinName = "<stdin>"

// validateFormatVersion versions the JSON output of kcstack validate.
const validateFormatVersion = 1

type validateOptions struct {
	file   string
	output string
}

func newValidateCmd(_ *globals) *cobra.Command {
	o := &validateOptions{}
	cmd := &cobra.Command{
		Use:   "validate",
		Short: "Check a stack file without contacting AWS",
		Long: `Check a stack file against the schema and kcstack's rules, offline.

Every problem is reported at once as file:line:column, the field path, what
is wrong and what to do. Exit status: 0 when the stack is valid (warnings
allowed), 1 when it is not or cannot be read.`,
		Example: `  kcstack validate
  kcstack validate -f examples/aurora-rosa.yaml
  kcstack validate -f stack.yaml --output json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return o.run(cmd.InOrStdin(), cmd.OutOrStdout())
		},
	}
	cmd.Flags().StringVarP(&o.file, "file", "f", defaultStackFile, "stack file to check (- for standard input)")
	cmd.Flags().StringVarP(&o.output, "output", "o", "text", "output format: text or json")
	_ = cmd.MarkFlagFilename("file", "yaml", "yml")
	_ = cmd.RegisterFlagCompletionFunc("output", cobra.FixedCompletions([]string{"text", "json"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func (o *validateOptions) run(in io.Reader, out io.Writer) error {
	if o.output != "text" && o.output != "json" {
		return fmt.Errorf("unknown --output %q: use text or json", o.output)
	}
	st, ds, err := readStackFile(o.file, in)
	if err != nil {
		return err
	}
	name := o.file
	if name == "-" {
		name = stdinName
	}
	if o.output == "json" {
		err = writeValidateJSON(out, name, st, ds)
	} else {
		err = writeValidateText(out, name, ds)
	}
	if err != nil {
		return fmt.Errorf("write result: %w", err)
	}
	if ds.HasErrors() {
		return &ExitError{Code: 1}
	}
	return nil
}

// readStackFile loads the stack file at path, or standard input for "-".
func readStackFile(path string, in io.Reader) (*stack.Stack, stack.Diagnostics, error) {
	if path == "-" {
		return stack.LoadReader(stdinName, in)
	}
	st, ds, err := stack.LoadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, fmt.Errorf("no stack file %s: pass -f FILE, or start from one of the files in examples/", path)
	}
	return st, ds, err
}

func writeValidateText(out io.Writer, file string, ds stack.Diagnostics) error {
	if _, err := io.WriteString(out, ds.String()); err != nil {
		return err
	}
	errs, warns := len(ds.Errors()), len(ds.Warnings())
	if errs > 0 {
		_, err := fmt.Fprintf(out, "%s is invalid: %s, %s\n", file, plural(errs, "error"), plural(warns, "warning"))
		return err
	}
	if warns > 0 {
		_, err := fmt.Fprintf(out, "%s is valid, with %s\n", file, plural(warns, "warning"))
		return err
	}
	_, err := fmt.Fprintf(out, "%s is valid\n", file)
	return err
}

// validateResult is the JSON output of kcstack validate.
type validateResult struct {
	FormatVersion int               `json:"format_version"`
	File          string            `json:"file"`
	Valid         bool              `json:"valid"`
	Errors        int               `json:"errors"`
	Warnings      int               `json:"warnings"`
	Digest        string            `json:"digest,omitempty"`
	Diagnostics   stack.Diagnostics `json:"diagnostics"`
}

func writeValidateJSON(out io.Writer, file string, st *stack.Stack, ds stack.Diagnostics) error {
	r := validateResult{
		FormatVersion: validateFormatVersion,
		File:          file,
		Valid:         !ds.HasErrors(),
		Errors:        len(ds.Errors()),
		Warnings:      len(ds.Warnings()),
		Diagnostics:   ds,
	}
	if r.Diagnostics == nil {
		r.Diagnostics = stack.Diagnostics{}
	}
	if r.Valid && st != nil {
		r.Digest = st.Digest()
	}
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
