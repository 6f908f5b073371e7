package iam

import (
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

var (
	validPolicyName = regexp.MustCompile(`^[\w+=,.@-]{1,128}$`)
	// managedPolicyARN is an AWS managed policy: the only managed policies
	// the sandbox has (it does not emulate CreatePolicy).
	managedPolicyARN = regexp.MustCompile(`^arn:aws:iam::aws:policy(/[\x21-\x7E]*)?/([\w+=,.@-]+)$`)
)

func putRolePolicy(c *api.Call, in *iam.PutRolePolicyInput) (*iam.PutRolePolicyOutput, error) {
	name := aws.ToString(in.PolicyName)
	if !validPolicyName.MatchString(name) {
		return nil, api.Errorf("ValidationError", "1 validation error detected: Value '%s' at 'policyName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+", name)
	}
	r, err := find(c, aws.ToString(in.RoleName))
	if err != nil {
		return nil, err
	}
	if err := checkPolicy(aws.ToString(in.PolicyDocument)); err != nil {
		return nil, err
	}
	if r.Inline == nil {
		r.Inline = map[string]string{}
	}
	r.Inline[name] = aws.ToString(in.PolicyDocument)
	return &iam.PutRolePolicyOutput{}, nil
}

func getRolePolicy(c *api.Call, in *iam.GetRolePolicyInput) (*iam.GetRolePolicyOutput, error) {
	r, err := find(c, aws.ToString(in.RoleName))
	if err != nil {
		return nil, err
	}
	name := aws.ToString(in.PolicyName)
	doc, ok := r.Inline[name]
	if !ok {
		return nil, errNoSuchEntity("The role policy with name %s cannot be found.", name)
	}
	return &iam.GetRolePolicyOutput{RoleName: aws.String(r.Name), PolicyName: aws.String(name), PolicyDocument: aws.String(encodePolicy(doc))}, nil
}

func deleteRolePolicy(c *api.Call, in *iam.DeleteRolePolicyInput) (*iam.DeleteRolePolicyOutput, error) {
	r, err := find(c, aws.ToString(in.RoleName))
	if err != nil {
		return nil, err
	}
	name := aws.ToString(in.PolicyName)
	if _, ok := r.Inline[name]; !ok {
		return nil, errNoSuchEntity("The role policy with name %s cannot be found.", name)
	}
	delete(r.Inline, name)
	return &iam.DeleteRolePolicyOutput{}, nil
}

func listRolePolicies(c *api.Call, in *iam.ListRolePoliciesInput) (*iam.ListRolePoliciesOutput, error) {
	r, err := find(c, aws.ToString(in.RoleName))
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(r.Inline))
	for n := range r.Inline {
		names = append(names, n)
	}
	sort.Strings(names)
	list, truncated, marker, err := window(names, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	if list == nil {
		list = []string{}
	}
	return &iam.ListRolePoliciesOutput{PolicyNames: list, IsTruncated: truncated, Marker: marker}, nil
}

func attachRolePolicy(c *api.Call, in *iam.AttachRolePolicyInput) (*iam.AttachRolePolicyOutput, error) {
	arn := aws.ToString(in.PolicyArn)
	if !strings.HasPrefix(arn, "arn:") {
		return nil, errInvalidInput("ARN %s is not valid.", arn)
	}
	r, err := find(c, aws.ToString(in.RoleName))
	if err != nil {
		return nil, err
	}
	if !managedPolicyARN.MatchString(arn) {
		return nil, errNoSuchEntity("Policy %s does not exist or is not attachable.", arn)
	}
	if !slices.Contains(r.Attached, arn) {
		r.Attached = append(r.Attached, arn)
	}
	return &iam.AttachRolePolicyOutput{}, nil
}

func detachRolePolicy(c *api.Call, in *iam.DetachRolePolicyInput) (*iam.DetachRolePolicyOutput, error) {
	r, err := find(c, aws.ToString(in.RoleName))
	if err != nil {
		return nil, err
	}
	arn := aws.ToString(in.PolicyArn)
	i := slices.Index(r.Attached, arn)
	if i < 0 {
		return nil, errNoSuchEntity("Policy %s was not found.", arn)
	}
	r.Attached = slices.Delete(r.Attached, i, i+1)
	return &iam.DetachRolePolicyOutput{}, nil
}

func listAttachedRolePolicies(c *api.Call, in *iam.ListAttachedRolePoliciesInput) (*iam.ListAttachedRolePoliciesOutput, error) {
	r, err := find(c, aws.ToString(in.RoleName))
	if err != nil {
		return nil, err
	}
	prefix := aws.ToString(in.PathPrefix)
	var arns []string
	for _, arn := range r.Attached {
		if prefix == "" || strings.HasPrefix(policyPath(arn), prefix) {
			arns = append(arns, arn)
		}
	}
	list, truncated, marker, err := window(arns, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	out := &iam.ListAttachedRolePoliciesOutput{AttachedPolicies: []types.AttachedPolicy{}, IsTruncated: truncated, Marker: marker}
	for _, arn := range list {
		out.AttachedPolicies = append(out.AttachedPolicies, types.AttachedPolicy{PolicyArn: aws.String(arn), PolicyName: aws.String(arn[strings.LastIndex(arn, "/")+1:])})
	}
	return out, nil
}

// policyPath is the path of a policy ARN (/service-role/ in
// arn:aws:iam::aws:policy/service-role/Name).
func policyPath(arn string) string {
	_, rest, _ := strings.Cut(arn, ":policy")
	return rest[:strings.LastIndex(rest, "/")+1]
}
