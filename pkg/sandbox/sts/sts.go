package sts

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

// UserName is the IAM user every sandbox caller is.
const UserName = "sandbox"

// UserID is the unique id of the sandbox user, in the form of IAM user ids
// (AIDA followed by 17 upper-case letters and digits).
const UserID = "AIDAKCSTACKSANDBOX000"

// State is the STS state. STS keeps nothing; the type exists so that the
// sandbox can persist every service the same way.
type State struct{}

// Service returns the STS emulation.
func Service() api.Service {
	return api.Service{
		Name:     "sts",
		NewState: func() any { return &State{} },
		Ops: map[string]api.Op{
			"GetCallerIdentity": {Fn: getCallerIdentity},
		},
	}
}

func getCallerIdentity(c *api.Call, _ *sts.GetCallerIdentityInput) (*sts.GetCallerIdentityOutput, error) {
	return &sts.GetCallerIdentityOutput{
		Account: aws.String(c.AccountID),
		Arn:     aws.String("arn:aws:iam::" + c.AccountID + ":user/" + UserName),
		UserId:  aws.String(UserID),
	}, nil
}
