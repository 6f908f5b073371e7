package iam

import (
	"encoding/json"
	"regexp"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

var (
	validRoleName = regexp.MustCompile(`^[\w+=,.@-]{1,64}$`)
	validPath     = regexp.MustCompile(`^(/|/[\x21-\x7E]*/)$`)
)

// Limits AWS applies to roles.
const (
	defaultMaxSession = 3600
	maxTags           = 50
	idChars           = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
)

func createRole(c *api.Call, in *iam.CreateRoleInput) (*iam.CreateRoleOutput, error) {
	name := aws.ToString(in.RoleName)
	if !validRoleName.MatchString(name) {
		return nil, api.Errorf("ValidationError", "1 validation error detected: Value '%s' at 'roleName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+", name)
	}
	path := aws.ToString(in.Path)
	if path == "" {
		path = "/"
	}
	if !validPath.MatchString(path) {
		return nil, api.Errorf("ValidationError", "The specified value for path is invalid. It must begin and end with / and contain only alphanumeric characters and/or / characters.")
	}
	if err := checkPolicy(aws.ToString(in.AssumeRolePolicyDocument)); err != nil {
		return nil, err
	}
	if err := checkMaxSession(in.MaxSessionDuration); err != nil {
		return nil, err
	}
	tags, err := mergeTags(nil, in.Tags)
	if err != nil {
		return nil, err
	}
	rs := roles(c)
	if _, ok := rs[strings.ToLower(name)]; ok {
		return nil, errConflict("EntityAlreadyExists", "Role with name %s already exists.", name)
	}
	r := &Role{
		Name: name, ID: "AROA" + randomID(17), ARN: "arn:aws:iam::" + c.AccountID + ":role" + path + name, Path: path,
		Created: c.Now, Description: aws.ToString(in.Description), MaxSession: defaultMaxSession,
		TrustPolicy: aws.ToString(in.AssumeRolePolicyDocument), Boundary: aws.ToString(in.PermissionsBoundary), Tags: tags,
	}
	if in.MaxSessionDuration != nil {
		r.MaxSession = *in.MaxSessionDuration
	}
	rs[strings.ToLower(name)] = r
	return &iam.CreateRoleOutput{Role: view(r, created)}, nil
}

func checkMaxSession(d *int32) error {
	if d != nil && (*d < 3600 || *d > 43200) {
		return api.Errorf("ValidationError", "1 validation error detected: Value '%d' at 'maxSessionDuration' failed to satisfy constraint: Member must have value less than or equal to 43200 and greater than or equal to 3600", *d)
	}
	return nil
}

// checkPolicy rejects documents that are not JSON objects with a
// Statement, the way IAM does.
func checkPolicy(doc string) error {
	var v map[string]any
	if err := json.Unmarshal([]byte(doc), &v); err != nil {
		return errMalformedPolicy("This policy contains invalid Json")
	}
	if _, ok := v["Statement"]; !ok {
		return errMalformedPolicy("Syntax errors in policy.")
	}
	return nil
}

// randomID returns n characters of the alphabet of IAM unique ids.
func randomID(n int) string {
	hex := api.RandomHex(2 * n)
	out := make([]byte, n)
	for i := range out {
		v := strings.IndexByte("0123456789abcdef", hex[2*i])*16 + strings.IndexByte("0123456789abcdef", hex[2*i+1])
		out[i] = idChars[v%len(idChars)]
	}
	return string(out)
}

// detail says which operation a role view is for: CreateRole and GetRole
// show the tags, ListRoles does not; only GetRole shows the last use.
type detail int

const (
	listed detail = iota
	created
	fetched
)

// view is a role as IAM returns it to the operation d.
func view(r *Role, d detail) *types.Role {
	v := &types.Role{
		Arn: aws.String(r.ARN), RoleId: aws.String(r.ID), RoleName: aws.String(r.Name), Path: aws.String(r.Path),
		CreateDate: aws.Time(r.Created), AssumeRolePolicyDocument: aws.String(encodePolicy(r.TrustPolicy)),
		MaxSessionDuration: aws.Int32(r.MaxSession),
	}
	if r.Description != "" {
		v.Description = aws.String(r.Description)
	}
	if r.Boundary != "" {
		v.PermissionsBoundary = &types.AttachedPermissionsBoundary{PermissionsBoundaryArn: aws.String(r.Boundary), PermissionsBoundaryType: types.PermissionsBoundaryAttachmentTypePolicy}
	}
	if d != listed {
		v.Tags = sdkTags(r.Tags)
	}
	if d == fetched {
		v.RoleLastUsed = &types.RoleLastUsed{}
	}
	return v
}

// encodePolicy percent-encodes a policy document the way IAM returns it
// (RFC 3986: everything but unreserved characters).
func encodePolicy(doc string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(doc); i++ {
		ch := doc[i]
		if ch >= 'A' && ch <= 'Z' || ch >= 'a' && ch <= 'z' || ch >= '0' && ch <= '9' || strings.IndexByte("-_.~", ch) >= 0 {
			b.WriteByte(ch)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[ch>>4])
		b.WriteByte(hex[ch&15])
	}
	return b.String()
}

func getRole(c *api.Call, in *iam.GetRoleInput) (*iam.GetRoleOutput, error) {
	r, err := find(c, aws.ToString(in.RoleName))
	if err != nil {
		return nil, err
	}
	return &iam.GetRoleOutput{Role: view(r, fetched)}, nil
}

func deleteRole(c *api.Call, in *iam.DeleteRoleInput) (*iam.DeleteRoleOutput, error) {
	r, err := find(c, aws.ToString(in.RoleName))
	if err != nil {
		return nil, err
	}
	if len(r.Attached) > 0 {
		return nil, errConflict("DeleteConflict", "Cannot delete entity, must detach all policies first.")
	}
	if len(r.Inline) > 0 {
		return nil, errConflict("DeleteConflict", "Cannot delete entity, must delete policies first.")
	}
	delete(roles(c), strings.ToLower(r.Name))
	return &iam.DeleteRoleOutput{}, nil
}

func updateRole(c *api.Call, in *iam.UpdateRoleInput) (*iam.UpdateRoleOutput, error) {
	r, err := find(c, aws.ToString(in.RoleName))
	if err != nil {
		return nil, err
	}
	if err := checkMaxSession(in.MaxSessionDuration); err != nil {
		return nil, err
	}
	if in.Description != nil {
		r.Description = *in.Description
	}
	if in.MaxSessionDuration != nil {
		r.MaxSession = *in.MaxSessionDuration
	}
	return &iam.UpdateRoleOutput{}, nil
}

func updateAssumeRolePolicy(c *api.Call, in *iam.UpdateAssumeRolePolicyInput) (*iam.UpdateAssumeRolePolicyOutput, error) {
	r, err := find(c, aws.ToString(in.RoleName))
	if err != nil {
		return nil, err
	}
	if err := checkPolicy(aws.ToString(in.PolicyDocument)); err != nil {
		return nil, err
	}
	r.TrustPolicy = aws.ToString(in.PolicyDocument)
	return &iam.UpdateAssumeRolePolicyOutput{}, nil
}

func listRoles(c *api.Call, in *iam.ListRolesInput) (*iam.ListRolesOutput, error) {
	prefix := aws.ToString(in.PathPrefix)
	if prefix == "" {
		prefix = "/"
	}
	var names []string
	for _, r := range roles(c) {
		if strings.HasPrefix(r.Path, prefix) {
			names = append(names, r.Name)
		}
	}
	sort.Strings(names)
	list, truncated, marker, err := window(names, in.Marker, in.MaxItems)
	if err != nil {
		return nil, err
	}
	out := &iam.ListRolesOutput{Roles: []types.Role{}, IsTruncated: truncated, Marker: marker}
	for _, n := range list {
		r, _ := find(c, n)
		out.Roles = append(out.Roles, *view(r, listed))
	}
	return out, nil
}
