package cli

import "testing"

// TestOutputRefusesBeforeReading: a wrong --format or more than one NAME
// is refused before the file or AWS is read, saying what to pass.
func TestOutputRefusesBeforeReading(t *testing.T) {
	checkRefusals(t, 1, map[string]refusal{
		"format":    {reason: "only text and json", args: []string{"output", "-f", "missing.yaml", "--format", "yaml"}, want: `unknown --format "yaml": use text or json`},
		"two names": {reason: "one NAME at most", args: []string{"output", "-f", "missing.yaml", "a", "b"}, want: "accepts at most 1 arg(s)"},
	})
}
