package provider_test

import (
	"testing"

	"github.com/kcstack/kcstack/internal/testutil/deps"
)

// TestLayers keeps the handlers free of the stack file and of Keycloak
// (what they create arrives generated, in the desired resources), and the
// apply engine free of AWS (it reads the kind descriptors).
func TestLayers(t *testing.T) {
	stackSide := map[string]string{
		"github.com/kcstack/kcstack/pkg/stack":    "the stack file",
		"github.com/kcstack/kcstack/pkg/keycloak": "Keycloak's configuration",
		"github.com/kcstack/kcstack/pkg/desired":  "the desired-resource builder",
	}
	deps.Forbid(t, "github.com/kcstack/kcstack/pkg/aws/...", stackSide)
	deps.Forbid(t, "github.com/kcstack/kcstack/pkg/apply", map[string]string{"github.com/kcstack/kcstack/pkg/aws/": "an AWS package"})
}
