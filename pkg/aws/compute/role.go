package compute

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/kcstack/kcstack/pkg/aws/awserr"
	"github.com/kcstack/kcstack/pkg/aws/clients"
	"github.com/kcstack/kcstack/pkg/aws/ownership"
	"github.com/kcstack/kcstack/pkg/aws/tagged"
	"github.com/kcstack/kcstack/pkg/resource"
)

// InlinePolicyName is the name of the one inline policy kcstack puts on a
// role.
const InlinePolicyName = "kcstack"

// RoleHandler manages IAM roles assumed by one AWS service. Props: name,
// path, trust_service (the service principal allowed to assume it),
// trust_conditions (the conditions of that trust, see trustPolicy),
// managed_policy_arns, and allow_actions with allow_resources: the one
// statement of the inline policy (none when allow_actions is empty). Its
// tags are changed in place (SetTags).
type RoleHandler struct {
	clients.Base[IAMAPI]
	// Account is the account kcstack runs in, which trust conditions
	// name; read once, when a role is created.
	Account *Account
}

var (
	_ resource.Handler = (*RoleHandler)(nil)
	_ resource.Finder  = (*RoleHandler)(nil)
	_ resource.Resumer = (*RoleHandler)(nil)
	_ resource.Tagger  = (*RoleHandler)(nil)
)

// Props of an IAM role.
const (
	propRoleName           = "name"
	propRolePath           = "path"
	propRoleTrustService   = "trust_service"
	propRoleTrustCondition = "trust_conditions"
	propRoleManagedPolicy  = "managed_policy_arns"
	propRoleAllowActions   = "allow_actions"
	propRoleAllowResources = "allow_resources"
)

// roleDescriptor declares iam:role. The execution role's inline policy
// may allow reading the database's master user secret and the Redis
// applications' secrets (allow_resources holds references to them among
// plain ARNs). A role is deleted after the
// task definitions naming it (their role ARNs) and after the ECS
// services, whose running tasks assume it until they stop.
var roleDescriptor = resource.Descriptor{
	Kind:         resource.KindIAMRole,
	TaggingTypes: []string{"iam:role"},
	References: []resource.Reference{
		{Prop: propRoleAllowResources, Kind: resource.KindDBCluster, Attr: "master_user_secret_arn", InPlace: true},
		{Prop: propRoleAllowResources, Kind: resource.KindSecret, Attr: "arn", InPlace: true},
	},
	Fields: resource.Fields{
		propRoleName: {ForcesReplace: true, Reason: "an IAM role cannot be renamed"},
		propRolePath: {ForcesReplace: true, Reason: "an IAM role's path cannot change"},
	},
	Deletion: resource.Deletion{After: []resource.Kind{resource.KindECSService}},
	DataLoss: resource.NoDataLoss,
	// The name is unique: a retry fails with EntityAlreadyExists, and
	// Create adopts the role when it carries the stack's and address's tags.
	Create: resource.Creation{Operations: []string{"CreateRole"}, Idempotent: true},
}

// role is a role as desired.
type role struct {
	name, path, trust           string
	conditions                  map[string]string
	managed, actions, resources []string
}

// readDesiredRole reads the desired role of d.
func readDesiredRole(d resource.Desired) (role, error) {
	r := resource.Read(d.Props)
	ro := role{
		name: r.String(propRoleName), path: r.String(propRolePath), trust: r.String(propRoleTrustService),
		conditions: r.StringMap(propRoleTrustCondition),
		managed:    r.OptStrings(propRoleManagedPolicy), actions: r.OptStrings(propRoleAllowActions), resources: r.OptStrings(propRoleAllowResources),
	}
	if err := r.Err(); err != nil {
		return role{}, fmt.Errorf("%s: %w", d.Address, err)
	}
	return ro, nil
}

// Create makes the role, tagged at creation, then sets its policies.
func (h *RoleHandler) Create(ctx context.Context, d resource.Desired) (resource.Observation, error) {
	want, err := readDesiredRole(d)
	if err != nil {
		return resource.Observation{}, err
	}
	account, err := h.Account.ID(ctx)
	if err != nil {
		return resource.Observation{}, fmt.Errorf("create role %s: %w", want.name, err)
	}
	out, err := h.API.CreateRole(ctx, &iam.CreateRoleInput{
		RoleName: aws.String(want.name), Path: aws.String(want.path),
		AssumeRolePolicyDocument: aws.String(trustPolicy(want.trust, want.conditions, account)),
		Description:              aws.String("kcstack " + d.Address), Tags: iamTags(d.Tags),
	})
	if awserr.Is(err, "EntityAlreadyExists") {
		return h.adopt(ctx, d, want.name, err)
	}
	if err != nil {
		return resource.Observation{}, fmt.Errorf("create role %s: %w", want.name, err)
	}
	ob := roleObservation(*out.Role, d.Address, h.Stack, d.Tags)
	return h.Resume(ctx, d, ob)
}

// adopt takes over the role a retried create found, when it carries this
// stack's and address's tags (an earlier, ambiguous call made it).
func (h *RoleHandler) adopt(ctx context.Context, d resource.Desired, name string, exists error) (resource.Observation, error) {
	out, err := h.API.GetRole(ctx, &iam.GetRoleInput{RoleName: aws.String(name)})
	if err != nil {
		return resource.Observation{}, fmt.Errorf("create role %s: %w (and reading it: %v)", name, exists, err)
	}
	tags := iamTagMap(out.Role.Tags)
	if tags[resource.TagStack] != h.Stack || tags[resource.TagAddress] != d.Address {
		return resource.Observation{}, fmt.Errorf("create role %s: the name is taken by a role kcstack does not own for %s; rename or remove it: %w", name, d.Address, exists)
	}
	return h.Resume(ctx, d, roleObservation(*out.Role, d.Address, h.Stack, tags))
}

// Resume sets the managed and inline policies of a created role.
func (h *RoleHandler) Resume(ctx context.Context, d resource.Desired, o resource.Observation) (resource.Observation, error) {
	return h.Update(ctx, d, o, nil)
}

// Update sets the trust policy, attaches and detaches managed policies and
// puts or deletes the inline policy, whatever diffs says.
func (h *RoleHandler) Update(ctx context.Context, d resource.Desired, o resource.Observation, _ []resource.FieldDiff) (resource.Observation, error) {
	want, err := readDesiredRole(d)
	if err != nil {
		return resource.Observation{}, err
	}
	have := resource.Read(o.Props)
	trust, managed := have.OptString(propRoleTrustService), have.OptStrings(propRoleManagedPolicy)
	conditions := have.StringMap(propRoleTrustCondition)
	if err := have.Err(); err != nil {
		return resource.Observation{}, fmt.Errorf("%s: observed %w", o.Address, err)
	}
	name := o.ID
	if trust != want.trust || !maps.Equal(conditions, want.conditions) {
		doc := trustPolicy(want.trust, want.conditions, arnAccount(o.Attrs[attrARN]))
		_, err := h.API.UpdateAssumeRolePolicy(ctx, &iam.UpdateAssumeRolePolicyInput{RoleName: aws.String(name), PolicyDocument: aws.String(doc)})
		if err != nil {
			return resource.Observation{}, fmt.Errorf("update trust policy of role %s: %w", name, err)
		}
	}
	if err := h.syncManaged(ctx, name, managed, want.managed); err != nil {
		return resource.Observation{}, err
	}
	if err := h.syncInline(ctx, name, want.actions, want.resources); err != nil {
		return resource.Observation{}, err
	}
	o.Address = d.Address
	o.Props = roleProps(want, want.conditions)
	return o, nil
}

func (h *RoleHandler) syncManaged(ctx context.Context, name string, have, want []string) error {
	for _, arn := range want {
		if slices.Contains(have, arn) {
			continue
		}
		if _, err := h.API.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String(name), PolicyArn: aws.String(arn)}); err != nil {
			return fmt.Errorf("attach %s to role %s: %w", arn, name, err)
		}
	}
	for _, arn := range have {
		if slices.Contains(want, arn) {
			continue
		}
		_, err := h.API.DetachRolePolicy(ctx, &iam.DetachRolePolicyInput{RoleName: aws.String(name), PolicyArn: aws.String(arn)})
		if err != nil && !awserr.Is(err, "NoSuchEntity") {
			return fmt.Errorf("detach %s from role %s: %w", arn, name, err)
		}
	}
	return nil
}

func (h *RoleHandler) syncInline(ctx context.Context, name string, actions, resources []string) error {
	if len(actions) == 0 {
		_, err := h.API.DeleteRolePolicy(ctx, &iam.DeleteRolePolicyInput{RoleName: aws.String(name), PolicyName: aws.String(InlinePolicyName)})
		if err != nil && !awserr.Is(err, "NoSuchEntity") {
			return fmt.Errorf("delete inline policy of role %s: %w", name, err)
		}
		return nil
	}
	_, err := h.API.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String(name), PolicyName: aws.String(InlinePolicyName),
		PolicyDocument: aws.String(allowPolicy(actions, resources))})
	if err != nil {
		return fmt.Errorf("put inline policy of role %s: %w", name, err)
	}
	return nil
}

// SetTags tags the role by name (IAM is global), removing the keys in
// remove first.
func (h *RoleHandler) SetTags(ctx context.Context, o resource.Observation, set map[string]string, remove []string) error {
	if len(remove) > 0 {
		if _, err := h.API.UntagRole(ctx, &iam.UntagRoleInput{RoleName: aws.String(o.ID), TagKeys: remove}); err != nil {
			return fmt.Errorf("untag role %s: %w", o.ID, err)
		}
	}
	if len(set) > 0 {
		if _, err := h.API.TagRole(ctx, &iam.TagRoleInput{RoleName: aws.String(o.ID), Tags: iamTags(set)}); err != nil {
			return fmt.Errorf("tag role %s: %w", o.ID, err)
		}
	}
	return nil
}

// Delete detaches the managed policies, deletes the inline one, and
// deletes the role; not found is success.
func (h *RoleHandler) Delete(ctx context.Context, o resource.Observation, _ map[string]string) error {
	r := resource.Read(o.Props)
	managed := r.OptStrings(propRoleManagedPolicy)
	if err := r.Err(); err != nil {
		return fmt.Errorf("%s: observed %w", o.Address, err)
	}
	if err := h.syncManaged(ctx, o.ID, managed, nil); err != nil && !awserr.Is(err, "NoSuchEntity") {
		return err
	}
	if err := h.syncInline(ctx, o.ID, nil, nil); err != nil {
		return err
	}
	_, err := h.API.DeleteRole(ctx, &iam.DeleteRoleInput{RoleName: aws.String(o.ID)})
	if err != nil && !awserr.Is(err, "NoSuchEntity") {
		return fmt.Errorf("delete role %s: %w", o.ID, err)
	}
	return nil
}

// FindByAddress finds the role tagged with the stack and address among
// the stack's roles (under its path), so an ambiguous create is adopted
// and resumed, never made twice.
func (h *RoleHandler) FindByAddress(ctx context.Context, stack, address string) (resource.Observation, error) {
	out, err := listRoles(ctx, h.API, "/kcstack/"+stack+"/")
	if err != nil {
		return resource.Observation{Address: address, Kind: resource.KindIAMRole}, err
	}
	for _, r := range out {
		tags, err := h.API.ListRoleTags(ctx, &iam.ListRoleTagsInput{RoleName: r.RoleName})
		if err != nil {
			return resource.Observation{Address: address, Kind: resource.KindIAMRole}, fmt.Errorf("list tags of role %s: %w", aws.ToString(r.RoleName), err)
		}
		m := iamTagMap(tags.Tags)
		if m[resource.TagStack] == stack && m[resource.TagAddress] == address {
			return readRole(ctx, h.API, r, address, stack, m)
		}
	}
	return resource.Observation{Address: address, Kind: resource.KindIAMRole}, nil
}

// listRoles lists the roles under path prefix.
func listRoles(ctx context.Context, api IAMAPI, prefix string) ([]types.Role, error) {
	var out []types.Role
	p := iam.NewListRolesPaginator(api, &iam.ListRolesInput{PathPrefix: aws.String(prefix)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("list roles under %s: %w", prefix, err)
		}
		out = append(out, page.Roles...)
	}
	return out, nil
}

// readRole completes a listed role with its attached and inline policies
// (IAM has no batch read of them that the stack's calls allow).
func readRole(ctx context.Context, api IAMAPI, r types.Role, address, stack string, tags map[string]string) (resource.Observation, error) {
	name := aws.ToString(r.RoleName)
	ob := roleObservation(r, address, stack, tags)
	var managed []string
	p := iam.NewListAttachedRolePoliciesPaginator(api, &iam.ListAttachedRolePoliciesInput{RoleName: r.RoleName})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return resource.Observation{}, fmt.Errorf("list policies of role %s: %w", name, err)
		}
		for _, a := range page.AttachedPolicies {
			managed = append(managed, aws.ToString(a.PolicyArn))
		}
	}
	var actions, resources []string
	pol, err := api.GetRolePolicy(ctx, &iam.GetRolePolicyInput{RoleName: r.RoleName, PolicyName: aws.String(InlinePolicyName)})
	switch {
	case err == nil:
		actions, resources = parseAllowPolicy(aws.ToString(pol.PolicyDocument))
	case !awserr.Is(err, "NoSuchEntity"):
		return resource.Observation{}, fmt.Errorf("get inline policy of role %s: %w", name, err)
	}
	ob.Props = roleProps(role{name: name, path: aws.ToString(r.Path), trust: trustService(aws.ToString(r.AssumeRolePolicyDocument)),
		managed: managed, actions: actions, resources: resources}, observedConditions(r))
	return ob, nil
}

func roleObservation(r types.Role, address, stack string, tags map[string]string) resource.Observation {
	name := aws.ToString(r.RoleName)
	props := roleProps(role{name: name, path: aws.ToString(r.Path), trust: trustService(aws.ToString(r.AssumeRolePolicyDocument))}, observedConditions(r))
	return ownership.Observed(resource.KindIAMRole, address, name, stack, tags, props, map[string]string{attrName: name, attrARN: aws.ToString(r.Arn)})
}

// roleProps are the props of ro, whose trust has conditions (in the form
// of the trust_conditions prop).
func roleProps(ro role, conditions map[string]string) resource.Props {
	return resource.Props{
		propRoleName: ro.name, propRolePath: ro.path, propRoleTrustService: ro.trust, propRoleTrustCondition: conditions,
		propRoleManagedPolicy: resource.List(ro.managed), propRoleAllowActions: resource.List(ro.actions), propRoleAllowResources: resource.List(ro.resources),
	}
}

// allowPolicy allows actions on resources, in one statement.
func allowPolicy(actions, resources []string) string {
	b, _ := json.Marshal(policy{Version: "2012-10-17", Statement: []statement{{Effect: "Allow", Action: actions, Resource: resources}}})
	return string(b)
}

// decodePolicy reads a policy document as IAM returns it (URL-encoded).
func decodePolicy(doc string) policy {
	if s, err := url.QueryUnescape(doc); err == nil {
		doc = s
	}
	var p policy
	_ = json.Unmarshal([]byte(doc), &p)
	return p
}

// parseAllowPolicy returns the actions and resources the Allow statements
// of a policy name.
func parseAllowPolicy(doc string) (actions, resources []string) {
	for _, s := range decodePolicy(doc).Statement {
		if s.Effect != "Allow" {
			continue
		}
		actions = append(actions, stringOrList(s.Action)...)
		resources = append(resources, stringOrList(s.Resource)...)
	}
	return actions, resources
}

func stringOrList(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

func iamTags(m map[string]string) []types.Tag {
	var out []types.Tag
	for _, k := range resource.SortedKeys(m) {
		out = append(out, types.Tag{Key: aws.String(k), Value: aws.String(m[k])})
	}
	return out
}

func iamTagMap(tags []types.Tag) map[string]string {
	return tagged.Map(tags, func(t types.Tag) (*string, *string) { return t.Key, t.Value })
}
