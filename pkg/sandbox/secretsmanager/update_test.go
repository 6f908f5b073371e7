package secretsmanager_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

func TestUpdateSecretDescriptionOverHTTP(t *testing.T) {
	ctx := context.Background()
	client := newClient(t)
	if _, err := client.CreateSecret(ctx, &sm.CreateSecretInput{Name: aws.String("s"), SecretString: aws.String("v"), Description: aws.String("old")}); err != nil {
		t.Fatalf("CreateSecret: %v", err)
	}
	if _, err := client.UpdateSecret(ctx, &sm.UpdateSecretInput{SecretId: aws.String("s"), Description: aws.String("new")}); err != nil {
		t.Fatalf("UpdateSecret: %v", err)
	}
	out, err := client.DescribeSecret(ctx, &sm.DescribeSecretInput{SecretId: aws.String("s")})
	if err != nil || aws.ToString(out.Description) != "new" || len(out.VersionIdsToStages) != 1 {
		t.Errorf("after UpdateSecret of the description: %v, description %q, %d versions; want new and one version", err, aws.ToString(out.Description), len(out.VersionIdsToStages))
	}
}
