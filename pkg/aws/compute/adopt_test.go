package compute

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"github.com/aws/smithy-go"

	"github.com/kcstack/kcstack/pkg/aws/clients"
	"github.com/kcstack/kcstack/pkg/resource"
)

// fakeIAM answers the calls a create that finds its role already made
// makes; the embedded interface panics on any other call.
type fakeIAM struct {
	IAMAPI
	tags map[string]string
}

func (f *fakeIAM) CreateRole(context.Context, *iam.CreateRoleInput, ...func(*iam.Options)) (*iam.CreateRoleOutput, error) {
	return nil, &smithy.GenericAPIError{Code: "EntityAlreadyExists", Message: "Role with name r already exists."}
}

func (f *fakeIAM) GetRole(_ context.Context, in *iam.GetRoleInput, _ ...func(*iam.Options)) (*iam.GetRoleOutput, error) {
	return &iam.GetRoleOutput{Role: &types.Role{RoleName: in.RoleName, Arn: aws.String("arn:aws:iam::1:role/" + *in.RoleName), Tags: iamTags(f.tags)}}, nil
}

func (f *fakeIAM) UpdateAssumeRolePolicy(context.Context, *iam.UpdateAssumeRolePolicyInput, ...func(*iam.Options)) (*iam.UpdateAssumeRolePolicyOutput, error) {
	return &iam.UpdateAssumeRolePolicyOutput{}, nil
}

func (f *fakeIAM) DeleteRolePolicy(context.Context, *iam.DeleteRolePolicyInput, ...func(*iam.Options)) (*iam.DeleteRolePolicyOutput, error) {
	return &iam.DeleteRolePolicyOutput{}, nil
}

// fakeSTS answers GetCallerIdentity with one account.
type fakeSTS struct{}

func (fakeSTS) GetCallerIdentity(context.Context, *sts.GetCallerIdentityInput, ...func(*sts.Options)) (*sts.GetCallerIdentityOutput, error) {
	return &sts.GetCallerIdentityOutput{Account: aws.String("123456789012")}, nil
}

func TestRoleCreateAdoptsItsOwnRole(t *testing.T) {
	d := resource.Desired{Address: "t.task-role", Kind: resource.KindIAMRole,
		Props: resource.Props{"name": "r", "path": "/", "trust_service": "ecs-tasks.amazonaws.com", "trust_conditions": map[string]string{}, "managed_policy_arns": []any{}, "allow_actions": []any{}}}
	cases := map[string]struct {
		reason  string
		tags    map[string]string
		wantErr string
	}{
		"own": {"a retried create finds the role the first call made: adopted",
			map[string]string{resource.TagStack: "s", resource.TagAddress: "t.task-role"}, ""},
		"foreign": {"a role of the same name that kcstack does not own is never taken over",
			map[string]string{"team": "other"}, "does not own"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			h := &RoleHandler{Base: clients.Base[IAMAPI]{API: &fakeIAM{tags: tc.tags}, Stack: "s"}, Account: &Account{API: fakeSTS{}}}
			ob, err := h.Create(context.Background(), d)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("%s: %v", tc.reason, err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("%s: error %v, want one containing %q", tc.reason, err, tc.wantErr)
			case tc.wantErr == "" && (!ob.Owned || ob.Attrs["arn"] == ""):
				t.Errorf("%s: observation %+v, want owned with its ARN", tc.reason, ob)
			}
		})
	}
}
