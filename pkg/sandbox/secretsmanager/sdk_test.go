package secretsmanager_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/sandbox/sandboxtest"
	"github.com/kcstack/kcstack/pkg/sandbox/secretsmanager"
)

func newClient(t *testing.T) *sm.Client {
	return sandboxtest.Client(t, sm.NewFromConfig, secretsmanager.Service())
}

func TestSecretLifecycleOverHTTP(t *testing.T) {
	ctx := context.Background()
	client := newClient(t)
	created, err := client.CreateSecret(ctx, &sm.CreateSecretInput{
		Name: aws.String("kcstack/prod/db"), SecretString: aws.String(`{"password":"one"}`), Description: aws.String("db"),
		Tags: []types.Tag{{Key: aws.String("kcstack:stack"), Value: aws.String("prod")}},
	})
	if err != nil {
		t.Fatalf("CreateSecret: %v", err)
	}
	if !strings.HasPrefix(aws.ToString(created.ARN), "arn:aws:secretsmanager:eu-west-1:123456789012:secret:kcstack/prod/db-") {
		t.Errorf("ARN %s", aws.ToString(created.ARN))
	}
	if _, err := client.PutSecretValue(ctx, &sm.PutSecretValueInput{SecretId: created.ARN, SecretString: aws.String(`{"password":"two"}`)}); err != nil {
		t.Fatalf("PutSecretValue: %v", err)
	}
	got, err := client.GetSecretValue(ctx, &sm.GetSecretValueInput{SecretId: aws.String("kcstack/prod/db")})
	if err != nil {
		t.Fatalf("GetSecretValue: %v", err)
	}
	if aws.ToString(got.SecretString) != `{"password":"two"}` || !cmp.Equal(got.VersionStages, []string{"AWSCURRENT"}) {
		t.Errorf("GetSecretValue returned another version than the current one (stages %v)", got.VersionStages)
	}
	if _, err := client.TagResource(ctx, &sm.TagResourceInput{SecretId: created.ARN, Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("id")}}}); err != nil {
		t.Fatalf("TagResource: %v", err)
	}
	if _, err := client.UntagResource(ctx, &sm.UntagResourceInput{SecretId: created.ARN, TagKeys: []string{"kcstack:stack"}}); err != nil {
		t.Fatalf("UntagResource: %v", err)
	}
	desc, err := client.DescribeSecret(ctx, &sm.DescribeSecretInput{SecretId: created.ARN})
	if err != nil {
		t.Fatalf("DescribeSecret: %v", err)
	}
	if len(desc.Tags) != 1 || aws.ToString(desc.Tags[0].Key) != "team" || len(desc.VersionIdsToStages) != 2 || desc.CreatedDate == nil {
		t.Errorf("DescribeSecret: tags %v, versions %v", desc.Tags, desc.VersionIdsToStages)
	}
	del, err := client.DeleteSecret(ctx, &sm.DeleteSecretInput{SecretId: created.ARN, RecoveryWindowInDays: aws.Int64(7)})
	if err != nil || del.DeletionDate == nil {
		t.Fatalf("DeleteSecret: %v", err)
	}
	if _, err := client.DeleteSecret(ctx, &sm.DeleteSecretInput{SecretId: created.ARN}); sandboxtest.Code(err) != "InvalidRequestException" {
		t.Errorf("second DeleteSecret: want InvalidRequestException, got %v", err)
	}
	if _, err := client.GetSecretValue(ctx, &sm.GetSecretValueInput{SecretId: created.ARN}); sandboxtest.Code(err) != "InvalidRequestException" {
		t.Errorf("GetSecretValue of a deleted secret: want InvalidRequestException, got %v", err)
	}
	if _, err := client.RestoreSecret(ctx, &sm.RestoreSecretInput{SecretId: created.ARN}); err != nil {
		t.Fatalf("RestoreSecret: %v", err)
	}
	if _, err := client.DeleteSecret(ctx, &sm.DeleteSecretInput{SecretId: created.ARN, ForceDeleteWithoutRecovery: aws.Bool(true)}); err != nil {
		t.Fatalf("forced DeleteSecret: %v", err)
	}
	if _, err := client.DescribeSecret(ctx, &sm.DescribeSecretInput{SecretId: created.ARN}); sandboxtest.Code(err) != "ResourceNotFoundException" {
		t.Errorf("DescribeSecret after a forced delete: want ResourceNotFoundException, got %v", err)
	}
}

func TestSecretErrorsOverHTTP(t *testing.T) {
	ctx := context.Background()
	client := newClient(t)
	if _, err := client.CreateSecret(ctx, &sm.CreateSecretInput{Name: aws.String("dup"), SecretString: aws.String("x")}); err != nil {
		t.Fatal(err)
	}
	cases := map[string]struct {
		reason string
		call   func() error
		code   string
	}{
		"Exists": {reason: "names are unique", code: "ResourceExistsException", call: func() error {
			_, err := client.CreateSecret(ctx, &sm.CreateSecretInput{Name: aws.String("dup"), SecretString: aws.String("y")})
			return err
		}},
		"NotFound": {reason: "unknown secrets", code: "ResourceNotFoundException", call: func() error {
			_, err := client.GetSecretValue(ctx, &sm.GetSecretValueInput{SecretId: aws.String("nope")})
			return err
		}},
		"BadWindow": {reason: "windows are 7 to 30 days", code: "InvalidParameterException", call: func() error {
			_, err := client.DeleteSecret(ctx, &sm.DeleteSecretInput{SecretId: aws.String("dup"), RecoveryWindowInDays: aws.Int64(31)})
			return err
		}},
		"ForceMissing": {reason: "forced deletes of unknown secrets succeed", call: func() error {
			_, err := client.DeleteSecret(ctx, &sm.DeleteSecretInput{SecretId: aws.String("nope"), ForceDeleteWithoutRecovery: aws.Bool(true)})
			return err
		}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if got := sandboxtest.Code(tc.call()); got != tc.code {
				t.Errorf("%s: want %q, got %q", tc.reason, tc.code, got)
			}
		})
	}
}

func TestListSecretsPaginatorOverHTTP(t *testing.T) {
	ctx := context.Background()
	client := newClient(t)
	var want []string
	for _, n := range []string{"a", "b", "c", "d", "e", "f", "g"} {
		name := "app/" + n
		want = append(want, name)
		if _, err := client.CreateSecret(ctx, &sm.CreateSecretInput{Name: aws.String(name), SecretString: aws.String("v")}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := client.CreateSecret(ctx, &sm.CreateSecretInput{Name: aws.String("other"), SecretString: aws.String("v")}); err != nil {
		t.Fatal(err)
	}
	p := sm.NewListSecretsPaginator(client, &sm.ListSecretsInput{
		MaxResults: aws.Int32(3), SortBy: types.SortByTypeName,
		Filters: []types.Filter{{Key: types.FilterNameStringTypeName, Values: []string{"app/"}}},
	})
	sandboxtest.CheckPages(t, "ListSecrets", want, 3, p.HasMorePages, p.NextPage,
		func(o *sm.ListSecretsOutput) []types.SecretListEntry { return o.SecretList }, func(s types.SecretListEntry) *string { return s.Name })
}
