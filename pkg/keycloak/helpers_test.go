package keycloak

import (
	"testing"

	"github.com/kcstack/kcstack/internal/testutil/examples"
	"github.com/kcstack/kcstack/pkg/stack"
)

// loadExample loads examples/<file> after replacing each old string of
// edits (old, new, old, new, ...) and fails on any error diagnostic.
func loadExample(t *testing.T, file string, edits ...string) *stack.Stack {
	t.Helper()
	return examples.Load(t, file, edits...)
}

// The stacks of the tests, one per version the configuration differs for.
func kc24(t *testing.T) *stack.Stack {
	return loadExample(t, "ecs-dns-ping.yaml", `"26.2.5"`, `"24.0.5"`)
}

func kc25(t *testing.T) *stack.Stack {
	return loadExample(t, "ecs-dns-ping.yaml", `"26.2.5"`, `"25.0.6"`)
}

func kc260(t *testing.T) *stack.Stack { return loadExample(t, "ecs-s3-ping.yaml") }

func kc262(t *testing.T) *stack.Stack { return loadExample(t, "ecs-dns-ping.yaml") }

func kc264(t *testing.T) *stack.Stack { return loadExample(t, "ecs-jdbc-ping.yaml") }

// realFacts are facts as the apply engine passes them.
var realFacts = Facts{
	WriterEndpoint:   "sso-db.cluster-abc.eu-west-1.rds.amazonaws.com",
	DBSecretARN:      "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!cluster-1234-AbCdEf",
	LogGroup:         "/kcstack/sso/ecs",
	ExecutionRoleARN: "arn:aws:iam::123456789012:role/sso-ecs-execution",
	TaskRoleARN:      "arn:aws:iam::123456789012:role/sso-ecs-task",
}
