package secretsmanager_test

import (
	"context"
	"strings"
	"testing"
	"unicode"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
)

func TestGetRandomPasswordOverHTTP(t *testing.T) {
	client := newClient(t)
	cases := map[string]struct {
		reason string
		in     sm.GetRandomPasswordInput
		length int
		allow  func(rune) bool
	}{
		"Default": {reason: "32 characters of every class by default", length: 32,
			allow: func(r rune) bool { return r < unicode.MaxASCII && unicode.IsPrint(r) && r != ' ' }},
		"NoPunctuation": {reason: "ExcludePunctuation leaves letters and digits",
			in: sm.GetRandomPasswordInput{PasswordLength: aws.Int64(40), ExcludePunctuation: aws.Bool(true)}, length: 40,
			allow: func(r rune) bool { return r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) }},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			out, err := client.GetRandomPassword(context.Background(), &tc.in)
			if err != nil {
				t.Fatalf("%s\nGetRandomPassword: %v", tc.reason, err)
			}
			pw := aws.ToString(out.RandomPassword)
			if len(pw) != tc.length || strings.IndexFunc(pw, func(r rune) bool { return !tc.allow(r) }) >= 0 {
				t.Errorf("%s\nGetRandomPassword: a password of %d characters, or with a character not allowed", tc.reason, len(pw))
			}
		})
	}
	if _, err := client.GetRandomPassword(context.Background(), &sm.GetRandomPasswordInput{PasswordLength: aws.Int64(0)}); err == nil {
		t.Errorf("GetRandomPassword with length 0: no error, want InvalidParameterException")
	}
}

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
