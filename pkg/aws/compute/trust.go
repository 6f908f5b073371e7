package compute

import (
	"context"
	"encoding/json"
	"fmt"
	"github.com/aws/aws-sdk-go-v2/aws/arn"
	"sort"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/kcstack/kcstack/pkg/resource"
)

// AccountPlaceholder stands for the account kcstack runs in inside the
// values of a role's trust_conditions: the desired side cannot know it,
// the handler fills it in, and an observed policy naming the role's own
// account shows it the same way, so that a policy naming any other
// account differs.
var AccountPlaceholder = resource.Placeholder("account")

// policy is an IAM policy document with Allow statements.
type policy struct {
	Version   string      `json:"Version"`
	Statement []statement `json:"Statement"`
}

type statement struct {
	Effect    string         `json:"Effect"`
	Principal map[string]any `json:"Principal,omitempty"`
	Action    any            `json:"Action"`
	Resource  any            `json:"Resource,omitempty"`
	// Condition is operator → condition key → value.
	Condition map[string]map[string]any `json:"Condition,omitempty"`
}

// trustPolicy lets service assume the role under conditions: keys
// "<operator> <condition key>" (StringEquals aws:SourceAccount), values
// with AccountPlaceholder standing for account.
func trustPolicy(service string, conditions map[string]string, account string) string {
	s := statement{Effect: "Allow", Principal: map[string]any{"Service": service}, Action: "sts:AssumeRole"}
	for _, k := range resource.SortedKeys(conditions) {
		op, key, _ := strings.Cut(k, " ")
		if s.Condition == nil {
			s.Condition = map[string]map[string]any{}
		}
		if s.Condition[op] == nil {
			s.Condition[op] = map[string]any{}
		}
		s.Condition[op][key] = strings.ReplaceAll(conditions[k], AccountPlaceholder, account)
	}
	b, _ := json.Marshal(policy{Version: "2012-10-17", Statement: []statement{s}})
	return string(b)
}

// trustService returns the service principal a trust policy names.
func trustService(doc string) string {
	for _, s := range decodePolicy(doc).Statement {
		if v, ok := s.Principal["Service"].(string); ok {
			return v
		}
	}
	return ""
}

// observedConditions returns the conditions of r's trust policy in the
// form of the trust_conditions prop: the role's own account (from its ARN)
// shown as AccountPlaceholder, a list of values joined by commas.
func observedConditions(r types.Role) map[string]string {
	account := arnAccount(aws.ToString(r.Arn))
	out := map[string]string{}
	for _, s := range decodePolicy(aws.ToString(r.AssumeRolePolicyDocument)).Statement {
		for op, keys := range s.Condition {
			for key, v := range keys {
				vals := stringOrList(v)
				sort.Strings(vals)
				joined := strings.Join(vals, ",")
				if account != "" {
					joined = strings.ReplaceAll(joined, account, AccountPlaceholder)
				}
				out[op+" "+key] = joined
			}
		}
	}
	return out
}

// arnAccount is the account field of arn ("" when it has none).
func arnAccount(s string) string {
	a, err := arn.Parse(s)
	if err != nil {
		return ""
	}
	return a.AccountID
}

// STSAPI is the part of STS this package calls.
type STSAPI interface {
	GetCallerIdentity(context.Context, *sts.GetCallerIdentityInput, ...func(*sts.Options)) (*sts.GetCallerIdentityOutput, error)
}

var _ STSAPI = (*sts.Client)(nil)

// Account is the account of the caller, read with STS GetCallerIdentity
// the first time it is needed and kept; a failed read is tried again.
type Account struct {
	API STSAPI
	mu  sync.Mutex
	id  string
}

// ID returns the account id.
func (a *Account) ID(ctx context.Context) (string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.id != "" {
		return a.id, nil
	}
	out, err := a.API.GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
	if err != nil {
		return "", fmt.Errorf("read the account (sts get-caller-identity): %w", err)
	}
	a.id = aws.ToString(out.Account)
	return a.id, nil
}
