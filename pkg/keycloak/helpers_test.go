package keycloak

import (
	"os"
	"strings"
	"testing"

	"github.com/kcstack/kcstack/pkg/stack"
)

// loadExample loads examples/<file> after replacing each old string of
// edits (old, new, old, new, ...) and fails on any error diagnostic.
func loadExample(t *testing.T, file string, edits ...string) *stack.Stack {
	t.Helper()
	data, err := os.ReadFile("../../examples/" + file)
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	for i := 0; i+1 < len(edits); i += 2 {
		if !strings.Contains(text, edits[i]) {
			t.Fatalf("%s lacks %q", file, edits[i])
		}
		text = strings.Replace(text, edits[i], edits[i+1], 1)
	}
	st, ds, err := stack.Load(file, []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if ds.HasErrors() {
		t.Fatalf("%s is invalid:\n%s", file, ds.String())
	}
	return st
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
