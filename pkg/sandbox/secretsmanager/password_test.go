package secretsmanager_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/kcstack/kcstack/pkg/sandbox/sandboxtest"
)

func TestGetRandomPasswordOverHTTP(t *testing.T) {
	ctx := context.Background()
	client := newClient(t)
	got, err := client.GetRandomPassword(ctx, &sm.GetRandomPasswordInput{})
	if err != nil {
		t.Fatalf("GetRandomPassword: %v", err)
	}
	if pw := aws.ToString(got.RandomPassword); len(pw) != 32 || !strings.ContainsAny(pw, "!#$%&()*+,-./:;<=>?@[]^_{|}~") ||
		!strings.ContainsAny(pw, "0123456789") || strings.ContainsRune(pw, ' ') {
		t.Errorf("default password has length %d or lacks a required character class", len(pw))
	}
	got, err = client.GetRandomPassword(ctx, &sm.GetRandomPasswordInput{
		PasswordLength: aws.Int64(64), ExcludePunctuation: aws.Bool(true), ExcludeCharacters: aws.String("abcdef0123"),
	})
	if err != nil {
		t.Fatalf("GetRandomPassword: %v", err)
	}
	pw := aws.ToString(got.RandomPassword)
	if len(pw) != 64 || strings.ContainsAny(pw, "abcdef0123!@#$%^&*()-_=+[]{}") {
		t.Errorf("password of length %d holds an excluded character", len(pw))
	}
	if !strings.ContainsAny(pw, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") || !strings.ContainsAny(pw, "456789") {
		t.Error("password lacks an upper-case letter or a digit although each included type is required")
	}
	for _, length := range []int64{0, 4097} {
		if _, err := client.GetRandomPassword(ctx, &sm.GetRandomPasswordInput{PasswordLength: aws.Int64(length)}); sandboxtest.Code(err) != "ValidationException" {
			t.Errorf("GetRandomPassword of length %d: %v, want the model's ValidationException", length, err)
		}
	}
	for _, in := range []*sm.GetRandomPasswordInput{
		{PasswordLength: aws.Int64(3)},
		{ExcludeLowercase: aws.Bool(true), ExcludeUppercase: aws.Bool(true), ExcludeNumbers: aws.Bool(true), ExcludePunctuation: aws.Bool(true)},
	} {
		if _, err := client.GetRandomPassword(ctx, in); sandboxtest.Code(err) != "InvalidParameterException" {
			t.Errorf("GetRandomPassword(%+v): %v, want InvalidParameterException", in, err)
		}
	}
}

func TestCreateSecretIdempotentOverHTTP(t *testing.T) {
	ctx := context.Background()
	client := newClient(t)
	in := &sm.CreateSecretInput{Name: aws.String("kcstack/prod/redis/app-dev"), ClientRequestToken: aws.String("token-0000000000000000000000000000001"),
		SecretString: aws.String(`{"password":"one"}`), Description: aws.String("redis")}
	first, err := client.CreateSecret(ctx, in)
	if err != nil {
		t.Fatalf("CreateSecret: %v", err)
	}
	again, err := client.CreateSecret(ctx, in)
	if err != nil {
		t.Fatalf("retried CreateSecret: %v", err)
	}
	if aws.ToString(again.ARN) != aws.ToString(first.ARN) || aws.ToString(again.VersionId) != "token-0000000000000000000000000000001" {
		t.Errorf("retry answered %s %s, want %s and the token as version", aws.ToString(again.ARN), aws.ToString(again.VersionId), aws.ToString(first.ARN))
	}
	desc, err := client.DescribeSecret(ctx, &sm.DescribeSecretInput{SecretId: first.ARN})
	if err != nil {
		t.Fatalf("DescribeSecret: %v", err)
	}
	if stages := desc.VersionIdsToStages["token-0000000000000000000000000000001"]; len(desc.VersionIdsToStages) != 1 || len(stages) != 1 || stages[0] != "AWSCURRENT" {
		t.Errorf("VersionIdsToStages %v", desc.VersionIdsToStages)
	}
	changed := *in
	changed.SecretString = aws.String(`{"password":"two"}`)
	if _, err := client.CreateSecret(ctx, &changed); sandboxtest.Code(err) != "ResourceExistsException" {
		t.Errorf("CreateSecret with the same token and another value: %v, want ResourceExistsException", err)
	}
	other := *in
	other.ClientRequestToken = aws.String("token-0000000000000000000000000000002")
	if _, err := client.CreateSecret(ctx, &other); sandboxtest.Code(err) != "ResourceExistsException" {
		t.Errorf("CreateSecret with another token: %v, want ResourceExistsException", err)
	}
	del, err := client.DeleteSecret(ctx, &sm.DeleteSecretInput{SecretId: first.ARN, RecoveryWindowInDays: aws.Int64(7)})
	if err != nil || del.DeletionDate == nil {
		t.Fatalf("DeleteSecret: %v", err)
	}
	if desc, err := client.DescribeSecret(ctx, &sm.DescribeSecretInput{SecretId: first.ARN}); err != nil || desc.DeletedDate == nil {
		t.Fatalf("DescribeSecret after scheduled delete: %v (DeletedDate must be set)", err)
	}
	if _, err := client.CreateSecret(ctx, in); sandboxtest.Code(err) != "InvalidRequestException" {
		t.Errorf("CreateSecret of a name scheduled for deletion: %v, want InvalidRequestException", err)
	}
	if _, err := client.RestoreSecret(ctx, &sm.RestoreSecretInput{SecretId: first.ARN}); err != nil {
		t.Fatalf("RestoreSecret: %v", err)
	}
	if desc, err := client.DescribeSecret(ctx, &sm.DescribeSecretInput{SecretId: first.ARN}); err != nil || desc.DeletedDate != nil {
		t.Errorf("DescribeSecret after restore: %v (DeletedDate must be cleared)", err)
	}
}
