package cache

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

// password is a user's password and where it came from. The value is
// passed to ElastiCache and dropped; it is never printed.
type password struct {
	value           string
	secret, version string // empty for a generated password
}

// String hides the value from any accidental print.
func (p password) String() string { return "(sensitive value)" }

// tags are the user tags that record the secret and version.
func (p password) tags() map[string]string {
	if p.secret == "" {
		return nil
	}
	return map[string]string{tagPasswordSecret: p.secret, tagPasswordVersion: p.version}
}

// generatedPasswordLength is the length of the default user's password,
// which nobody ever uses: the user is off.
const generatedPasswordLength = 64

// password reads the current password of the user's secret (its
// "password" JSON key), or generates one for a user without a secret.
func (h *UserHandler) password(ctx context.Context, p userProps) (password, error) {
	if p.secret == "" {
		out, err := h.Secrets.GetRandomPassword(ctx, &sm.GetRandomPasswordInput{
			PasswordLength: aws.Int64(generatedPasswordLength), ExcludePunctuation: aws.Bool(true),
		})
		if err != nil {
			return password{}, fmt.Errorf("generate a password: %w", err)
		}
		return password{value: aws.ToString(out.RandomPassword)}, nil
	}
	out, err := h.Secrets.GetSecretValue(ctx, &sm.GetSecretValueInput{SecretId: aws.String(p.secret)})
	if err != nil {
		return password{}, fmt.Errorf("read the password from secret %s: %w", p.secret, err)
	}
	var v struct {
		Password string `json:"password"`
	}
	if err := json.Unmarshal([]byte(aws.ToString(out.SecretString)), &v); err != nil || v.Password == "" {
		// The value is never quoted in the error.
		return password{}, fmt.Errorf("secret %s holds no JSON object with a password: set one with aws secretsmanager put-secret-value", p.secret)
	}
	return password{value: v.Password, secret: p.secret, version: aws.ToString(out.VersionId)}, nil
}
