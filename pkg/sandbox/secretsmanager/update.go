package secretsmanager

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

// updateSecret changes a secret's description or KMS key and, when a
// value is given, stores it as a new current version (as PutSecretValue).
func updateSecret(c *api.Call, in *secretsmanager.UpdateSecretInput) (*secretsmanager.UpdateSecretOutput, error) {
	sec, err := lookupChangeable(c, in.SecretId)
	if err != nil {
		return nil, err
	}
	out := &secretsmanager.UpdateSecretOutput{ARN: aws.String(sec.ARN), Name: aws.String(sec.Name)}
	if in.SecretString != nil || in.SecretBinary != nil {
		put, err := putSecretValue(c, &secretsmanager.PutSecretValueInput{SecretId: in.SecretId,
			SecretString: in.SecretString, SecretBinary: in.SecretBinary, ClientRequestToken: in.ClientRequestToken})
		if err != nil {
			return nil, err
		}
		out.VersionId = put.VersionId
	}
	if in.Description != nil {
		sec.Description = *in.Description
	}
	if in.KmsKeyId != nil {
		sec.KmsKeyID = *in.KmsKeyId
	}
	sec.LastChangedDate = c.Now
	return out, nil
}
