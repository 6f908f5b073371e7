package secrets

import (
	"context"

	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// API is the part of the Secrets Manager API this package calls.
type API interface {
	GetRandomPassword(context.Context, *sm.GetRandomPasswordInput, ...func(*sm.Options)) (*sm.GetRandomPasswordOutput, error)
	CreateSecret(context.Context, *sm.CreateSecretInput, ...func(*sm.Options)) (*sm.CreateSecretOutput, error)
	PutSecretValue(context.Context, *sm.PutSecretValueInput, ...func(*sm.Options)) (*sm.PutSecretValueOutput, error)
	UpdateSecret(context.Context, *sm.UpdateSecretInput, ...func(*sm.Options)) (*sm.UpdateSecretOutput, error)
	DescribeSecret(context.Context, *sm.DescribeSecretInput, ...func(*sm.Options)) (*sm.DescribeSecretOutput, error)
	ListSecrets(context.Context, *sm.ListSecretsInput, ...func(*sm.Options)) (*sm.ListSecretsOutput, error)
	DeleteSecret(context.Context, *sm.DeleteSecretInput, ...func(*sm.Options)) (*sm.DeleteSecretOutput, error)
	RestoreSecret(context.Context, *sm.RestoreSecretInput, ...func(*sm.Options)) (*sm.RestoreSecretOutput, error)
	TagResource(context.Context, *sm.TagResourceInput, ...func(*sm.Options)) (*sm.TagResourceOutput, error)
	UntagResource(context.Context, *sm.UntagResourceInput, ...func(*sm.Options)) (*sm.UntagResourceOutput, error)
}

var _ API = (*sm.Client)(nil)
