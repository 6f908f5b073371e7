package cache

import (
	"context"
	"fmt"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec "github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/aws/aws-sdk-go-v2/service/elasticache/types"

	"github.com/kcstack/kcstack/pkg/aws/clients"
	"github.com/kcstack/kcstack/pkg/aws/ownership"
	"github.com/kcstack/kcstack/pkg/resource"
)

// UserGroupHandler creates, updates and deletes ElastiCache user groups.
type UserGroupHandler struct{ handler }

var (
	_ resource.Handler = (*UserGroupHandler)(nil)
	_ resource.Tagger  = (*UserGroupHandler)(nil)
)

// userGroupKind describes elasticache:usergroup. It lists its users by
// id, so it goes before them, and the replication group using it goes
// before it. A retried CreateUserGroup fails on the unique id, and Create
// adopts the group tagged for the address.
var userGroupKind = resource.Descriptor{
	Kind:         resource.KindCacheUserGroup,
	TaggingTypes: []string{string(resource.KindCacheUserGroup)},
	References:   []resource.Reference{{Prop: propUserIDs, Kind: resource.KindCacheUser, Attr: "id"}},
	Fields: resource.Fields{
		propUserGroupID: {ForcesReplace: true, Reason: "an ElastiCache user group's id cannot change"},
		propEngine:      {ForcesReplace: true, Reason: "an ElastiCache user group's engine cannot change"},
	},
	DataLoss: resource.NoDataLoss,
	Create:   resource.Creation{Operations: []string{"CreateUserGroup"}, Idempotent: true},
}

var userGroupRules = map[string]rule{propUserGroupID: foldCase}

func userGroupObservation(g types.UserGroup, tags map[string]string, address, stack string) resource.Observation {
	id := aws.ToString(g.UserGroupId)
	props := resource.Props{propUserGroupID: id, propEngine: aws.ToString(g.Engine), propUserIDs: resource.List(g.UserIds)}
	attrs := map[string]string{attrARN: aws.ToString(g.ARN), attrStatus: aws.ToString(g.Status)}
	return ownership.Observed(resource.KindCacheUserGroup, address, id, stack, tags, props, attrs)
}

type userGroupProps struct {
	id, engine string
	users      []string
}

func readUserGroup(d resource.Desired) (userGroupProps, error) {
	r := resource.Read(d.Props)
	p := userGroupProps{id: r.String(propUserGroupID), engine: r.OptString(propEngine), users: r.Strings(propUserIDs)}
	if err := r.Err(); err != nil {
		return p, fmt.Errorf("%s: %w", d.Address, err)
	}
	if p.engine == "" {
		p.engine = engineRedis
	}
	slices.Sort(p.users)
	return p, nil
}

// Create creates the group with its users, tagged, waits until it is
// active and returns it. A group of that id tagged for this stack and
// address is adopted.
func (h *UserGroupHandler) Create(ctx context.Context, d resource.Desired) (resource.Observation, error) {
	p, err := readUserGroup(d)
	if err != nil {
		return resource.Observation{}, err
	}
	_, err = h.API.CreateUserGroup(ctx, &ec.CreateUserGroupInput{
		UserGroupId: aws.String(p.id), Engine: aws.String(p.engine), UserIds: p.users, Tags: ecTags(d.Tags),
	})
	if err := h.reading().created(ctx, h.API, err, codeUserGroupExists, p.id, h.Stack, d.Address); err != nil {
		return resource.Observation{}, err
	}
	return h.reading().waitObserved(ctx, h.API, p.id, d.Address)
}

// Update adds and removes users so that the group holds exactly the
// desired ones, and waits until it is active with no pending change.
func (h *UserGroupHandler) Update(ctx context.Context, d resource.Desired, o resource.Observation, _ []resource.FieldDiff) (resource.Observation, error) {
	p, err := readUserGroup(d)
	if err != nil {
		return o, err
	}
	if err := h.reading().settle(ctx, o, "active"); err != nil {
		return o, err
	}
	have := resource.Read(o.Props).OptStrings(propUserIDs)
	in := &ec.ModifyUserGroupInput{UserGroupId: aws.String(o.ID), UserIdsToAdd: missingFrom(p.users, have), UserIdsToRemove: missingFrom(have, p.users)}
	if len(in.UserIdsToAdd)+len(in.UserIdsToRemove) > 0 {
		if _, err := h.API.ModifyUserGroup(ctx, in); err != nil {
			return o, fmt.Errorf("modify ElastiCache user group %s: %w", o.ID, err)
		}
	}
	return h.reading().waitObserved(ctx, h.API, o.ID, d.Address)
}

// missingFrom returns the elements of a that b lacks.
func missingFrom(a, b []string) []string {
	var out []string
	for _, s := range a {
		if !slices.Contains(b, s) {
			out = append(out, s)
		}
	}
	return out
}

// Delete deletes the group once no replication group uses it and waits
// until it is gone; one already gone is success.
func (h *UserGroupHandler) Delete(ctx context.Context, o resource.Observation, _ map[string]string) error {
	r := clients.Refusals{Gone: []string{codeUserGroupNotFound}, Busy: []string{codeUserGroupState}}
	return h.reading().deleteWhenFree(ctx, h.Base, o.ID, "to be free of replication groups", r, func(ctx context.Context) error {
		_, err := h.API.DeleteUserGroup(ctx, &ec.DeleteUserGroupInput{UserGroupId: aws.String(o.ID)})
		return err
	})
}

// reading is how the handler reads user groups.
func (h *UserGroupHandler) reading() reading[types.UserGroup] {
	status := func(g *types.UserGroup) string { return aws.ToString(g.Status) }
	ready := func(g *types.UserGroup) bool {
		pending := g.PendingChanges != nil && len(g.PendingChanges.UserIdsToAdd)+len(g.PendingChanges.UserIdsToRemove) > 0
		return status(g) == "active" && !pending
	}
	return reading[types.UserGroup]{
		noun: h.noun, describe: h.describe, status: status, arn: func(g *types.UserGroup) string { return aws.ToString(g.ARN) },
		ready: ready, wait: h.WaitOr(userWait),
		observe: func(g types.UserGroup, tags map[string]string, address string) resource.Observation {
			return userGroupObservation(g, tags, address, h.Stack)
		},
	}
}

// describe returns group id, nil when it does not exist.
func (h *UserGroupHandler) describe(ctx context.Context, id string) (*types.UserGroup, error) {
	out, err := h.API.DescribeUserGroups(ctx, &ec.DescribeUserGroupsInput{UserGroupId: aws.String(id)})
	return one(err, codeUserGroupNotFound, "ElastiCache user group", id, func() []types.UserGroup { return out.UserGroups })
}
