package sts_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awssts "github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/kcstack/kcstack/pkg/sandbox"
	"github.com/kcstack/kcstack/pkg/sandbox/sandboxtest"
	"github.com/kcstack/kcstack/pkg/sandbox/sts"
)

func TestGetCallerIdentityOverHTTP(t *testing.T) {
	srv := sandboxtest.New(t, sandbox.WithServices(sts.Service()), sandbox.WithAccountID("210987654321"))
	client := awssts.NewFromConfig(sandboxtest.AWSConfig(t, srv))
	out, err := client.GetCallerIdentity(context.Background(), &awssts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatalf("GetCallerIdentity: %v", err)
	}
	if got, want := aws.ToString(out.Account), "210987654321"; got != want {
		t.Errorf("Account: want %s, got %s", want, got)
	}
	if got, want := aws.ToString(out.Arn), "arn:aws:iam::210987654321:user/sandbox"; got != want {
		t.Errorf("Arn: want %s, got %s", want, got)
	}
	if got := aws.ToString(out.UserId); got != sts.UserID {
		t.Errorf("UserId: want %s, got %s", sts.UserID, got)
	}
}
