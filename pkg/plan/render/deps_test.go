package render

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDependencies keeps the renderers free of the packages other layers
// own: no AWS SDK, no YAML, no terminal UI framework, no CLI framework.
func TestDependencies(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go tool not found")
	}
	out, err := exec.Command(goTool, "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	forbidden := map[string]string{
		"github.com/aws/":                      "the AWS SDK",
		"gopkg.in/yaml":                        "YAML",
		"charm.land/":                          "bubbletea",
		"github.com/charmbracelet/":            "the terminal UI libraries",
		"github.com/spf13/cobra":               "cobra",
		"github.com/kcstack/kcstack/pkg/stack": "the stack file",
	}
	for _, dep := range strings.Fields(string(out)) {
		for prefix, what := range forbidden {
			if strings.HasPrefix(dep, prefix) {
				t.Errorf("package render depends on %s (%s)", what, dep)
			}
		}
	}
}
