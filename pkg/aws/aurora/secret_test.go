package aurora

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/kcstack/kcstack/pkg/resource"
)

// TestNoSecretInObservations checks that the master password RDS keeps in
// Secrets Manager appears nowhere in what Create and Observe return (plans
// and plan files are built from them); the secret's ARN does, as an attr.
func TestNoSecretInObservations(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	e := newBareEnv(t)
	cluster := desiredCluster()
	delete(cluster.Props, "db_subnet_group_name")
	delete(cluster.Props, "vpc_security_group_ids")
	created := e.createAll(t, []resource.Desired{cluster})[cluster.Address]
	arn := created.Attrs["master_user_secret_arn"]
	if arn == "" {
		t.Fatalf("no master_user_secret_arn attr: %v", created.Attrs)
	}
	sm := secretsmanager.NewFromConfig(e.cfg)
	out, err := sm.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(arn)})
	if err != nil {
		t.Fatalf("get the managed secret: %v", err)
	}
	var secret struct{ Password string }
	if err := json.Unmarshal([]byte(aws.ToString(out.SecretString)), &secret); err != nil || secret.Password == "" {
		t.Fatalf("the managed secret has no password (%v)", err)
	}
	observed := e.observe(t, []resource.Desired{cluster})
	b, err := json.Marshal([]any{created, observed})
	if err != nil {
		t.Fatalf("marshal observations: %v", err)
	}
	if strings.Contains(string(b), secret.Password) {
		t.Errorf("the master password appears in an observation: %s", b)
	}
}
