package render

import (
	"testing"

	"github.com/kcstack/kcstack/internal/testutil/deps"
)

// TestDependencies keeps the renderers free of the packages other layers
// own: no AWS SDK, no YAML, no terminal UI framework, no CLI framework.
func TestDependencies(t *testing.T) {
	deps.Forbid(t, ".", map[string]string{
		"github.com/aws/":                      "the AWS SDK",
		"gopkg.in/yaml":                        "YAML",
		"charm.land/":                          "bubbletea",
		"github.com/charmbracelet/":            "the terminal UI libraries",
		"github.com/spf13/cobra":               "cobra",
		"github.com/kcstack/kcstack/pkg/stack": "the stack file",
	})
}
