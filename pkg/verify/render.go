package verify

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// FormatVersion is the version of the JSON form (json.md).
const FormatVersion = "1"

// document is the JSON form (json.md).
type document struct {
	FormatVersion string  `json:"format_version"`
	Stack         string  `json:"stack"`
	Region        string  `json:"region"`
	Passed        bool    `json:"passed"`
	Checks        []Check `json:"checks"`
}

// JSON writes r in its versioned JSON form.
func JSON(w io.Writer, r *Report) error {
	doc := document{FormatVersion: FormatVersion, Stack: r.Stack, Region: r.Region, Passed: r.Passed(), Checks: []Check{}}
	for _, c := range r.Checks {
		if c.Details == nil {
			c.Details = []string{}
		}
		doc.Checks = append(doc.Checks, c)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("encode the verify report: %w", err)
	}
	return nil
}

// Text writes r for a person: one line per check, the details and hint
// of each failed one under it, and a summary line.
func Text(w io.Writer, r *Report) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Verifying stack %s in %s:\n\n", r.Stack, r.Region)
	for _, c := range r.Checks {
		fmt.Fprintf(&b, "%s  %s: %s: %s\n", strings.ToUpper(string(c.Status)), c.Address, c.Name, c.Message)
		for _, d := range c.Details {
			fmt.Fprintf(&b, "        %s\n", d)
		}
		if c.Status == Fail && c.Hint != "" {
			fmt.Fprintf(&b, "        Look at: %s\n", c.Hint)
		}
	}
	b.WriteString("\n" + Summary(r) + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// Summary is one line saying how many checks passed, failed and were
// skipped.
func Summary(r *Report) string {
	n := map[Status]int{}
	for _, c := range r.Checks {
		n[c.Status]++
	}
	word := "Verified"
	if n[Fail] > 0 {
		word = "Verification failed"
	}
	return fmt.Sprintf("%s: %d passed, %d failed, %d skipped.", word, n[Pass], n[Fail], n[Skip])
}

// Failing names the failed checks in one line each, for progress and
// timeout messages.
func Failing(r *Report) []string {
	var out []string
	for _, c := range r.Failed() {
		line := fmt.Sprintf("%s: %s: %s", c.Address, c.Name, c.Message)
		if len(c.Details) > 0 {
			line += " (" + strings.Join(c.Details, "; ") + ")"
		}
		out = append(out, line)
	}
	return out
}
