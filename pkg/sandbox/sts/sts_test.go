package sts

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go/document"
	"github.com/aws/smithy-go/middleware"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
	"github.com/kcstack/kcstack/pkg/sandbox/api/apitest"
)

func TestGetCallerIdentity(t *testing.T) {
	c := &api.Call{Service: "sts", Operation: "GetCallerIdentity", Region: "eu-west-1", AccountID: "123456789012"}
	got, err := getCallerIdentity(c, &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatalf("getCallerIdentity: %v", err)
	}
	want := &sts.GetCallerIdentityOutput{
		Account: aws.String("123456789012"),
		Arn:     aws.String("arn:aws:iam::123456789012:user/sandbox"),
		UserId:  aws.String(UserID),
	}
	if diff := cmp.Diff(want, got, cmpopts.IgnoreTypes(middleware.Metadata{}, document.NoSerde{})); diff != "" {
		t.Errorf("getCallerIdentity: -want +got:\n%s", diff)
	}
}

func TestServiceOps(t *testing.T) {
	apitest.CheckOps(t, Service())
}
