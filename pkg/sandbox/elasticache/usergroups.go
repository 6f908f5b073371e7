package elasticache

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/aws/aws-sdk-go-v2/service/elasticache/types"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

func createUserGroup(c *api.Call, in *elasticache.CreateUserGroupInput) (*elasticache.CreateUserGroupOutput, error) {
	id := lower(aws.ToString(in.UserGroupId))
	if err := checkID("UserGroupId", id); err != nil {
		return nil, err
	}
	r := region(c)
	if _, exists := r.UserGroups[id]; exists {
		return nil, api.Errorf(codeUserGroupExists, "User group %s already exists.", id)
	}
	engine, err := checkEngine(aws.ToString(in.Engine))
	if err != nil {
		return nil, err
	}
	users := applyChanges(nil, lowerAll(in.UserIds), nil)
	if err := r.checkMembers(users, engine); err != nil {
		return nil, err
	}
	tags, err := newTags(in.Tags)
	if err != nil {
		return nil, err
	}
	ug := &UserGroup{ID: id, ARN: arn(c, "usergroup", id), Engine: engine, UserIDs: users,
		Status: statusCreating, Since: c.Now, Tags: tags}
	r.UserGroups[id] = ug
	return fromView(r.userGroupView(ug), &elasticache.CreateUserGroupOutput{}), nil
}

// checkMembers checks the users of a group: they exist and are not being
// deleted, their engine fits the group's, one is named "default" and no
// two share a name.
func (r *Region) checkMembers(ids []string, engine string) error {
	names := map[string]string{}
	for _, id := range ids {
		u, ok := r.Users[id]
		if !ok || u.Status == statusDeleting {
			return errNotFound(codeUserNotFound, "User", id)
		}
		if u.Engine != engine && !(engine == engineValkey && u.Engine == engineRedis) {
			return invalidValue("User %s has engine %s, which a %s user group cannot hold.", id, u.Engine, engine)
		}
		if other, dup := names[u.Name]; dup {
			return api.Errorf(codeDuplicateUserName, "Users %s and %s are both named %s; a user group holds one user per name.", other, id, u.Name)
		}
		names[u.Name] = id
	}
	if _, ok := names[defaultUserName]; !ok {
		return api.Errorf(codeDefaultUserRequired, "A user group must contain a user named default.")
	}
	return nil
}

// activeUserGroup returns the user group id, failing unless it is active.
func (r *Region) activeUserGroup(id string) (*UserGroup, error) {
	ug, ok := r.UserGroups[lower(id)]
	if !ok {
		return nil, errNotFound(codeUserGroupNotFound, "User group", id)
	}
	if ug.Status != statusActive {
		return nil, api.Errorf(codeUserGroupState, "User group %s is %s, not active.", ug.ID, ug.Status)
	}
	return ug, nil
}

func lowerAll(ids []string) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		out = append(out, lower(id))
	}
	return out
}

// userGroupView is the group as DescribeUserGroups shows it.
func (r *Region) userGroupView(ug *UserGroup) types.UserGroup {
	groups := []string{}
	for _, id := range sortedKeys(r.Groups) {
		g := r.Groups[id]
		if contains(g.UserGroupIDs, ug.ID) || contains(g.UserGroupsToAdd, ug.ID) {
			groups = append(groups, id)
		}
	}
	v := types.UserGroup{UserGroupId: aws.String(ug.ID), Status: aws.String(ug.Status), Engine: aws.String(ug.Engine),
		UserIds: append([]string{}, ug.UserIDs...), MinimumEngineVersion: aws.String(minimumVersion(ug.Engine)),
		ReplicationGroups: groups, ServerlessCaches: []string{}, ARN: aws.String(ug.ARN)}
	if len(ug.Add) > 0 || len(ug.Remove) > 0 {
		v.PendingChanges = &types.UserGroupPendingChanges{UserIdsToAdd: ug.Add, UserIdsToRemove: ug.Remove}
	}
	return v
}

func describeUserGroups(c *api.Call, in *elasticache.DescribeUserGroupsInput) (*elasticache.DescribeUserGroupsOutput, error) {
	r := region(c)
	ids := sortedKeys(r.UserGroups)
	if in.UserGroupId != nil {
		if _, ok := r.UserGroups[lower(*in.UserGroupId)]; !ok {
			return nil, errNotFound(codeUserGroupNotFound, "User group", *in.UserGroupId)
		}
		ids = []string{lower(*in.UserGroupId)}
	}
	var groups []types.UserGroup
	for _, id := range ids {
		groups = append(groups, r.userGroupView(r.UserGroups[id]))
	}
	out, marker, err := pageOf(groups, in.Marker, in.MaxRecords)
	if err != nil {
		return nil, err
	}
	return &elasticache.DescribeUserGroupsOutput{UserGroups: out, Marker: marker}, nil
}

func modifyUserGroup(c *api.Call, in *elasticache.ModifyUserGroupInput) (*elasticache.ModifyUserGroupOutput, error) {
	r := region(c)
	ug, err := r.activeUserGroup(aws.ToString(in.UserGroupId))
	if err != nil {
		return nil, err
	}
	add, remove := lowerAll(in.UserIdsToAdd), lowerAll(in.UserIdsToRemove)
	for _, id := range add {
		if contains(ug.UserIDs, id) {
			return nil, invalidValue("User %s is already in user group %s.", id, ug.ID)
		}
	}
	for _, id := range remove {
		if !contains(ug.UserIDs, id) {
			return nil, invalidValue("User %s is not in user group %s.", id, ug.ID)
		}
	}
	if len(add) == 0 && len(remove) == 0 {
		return nil, invalidValue("Give UserIdsToAdd or UserIdsToRemove.")
	}
	if err := r.checkMembers(applyChanges(ug.UserIDs, add, remove), ug.Engine); err != nil {
		return nil, err
	}
	ug.Add, ug.Remove = applyChanges(nil, add, nil), applyChanges(nil, remove, nil)
	ug.Status, ug.Since = statusModifying, c.Now
	return fromView(r.userGroupView(ug), &elasticache.ModifyUserGroupOutput{}), nil
}

func deleteUserGroup(c *api.Call, in *elasticache.DeleteUserGroupInput) (*elasticache.DeleteUserGroupOutput, error) {
	r := region(c)
	ug, err := r.activeUserGroup(aws.ToString(in.UserGroupId))
	if err != nil {
		return nil, err
	}
	if groups := r.userGroupView(ug).ReplicationGroups; len(groups) > 0 {
		return nil, api.Errorf(codeUserGroupState, "User group %s is in use by replication group %s.", ug.ID, groups[0])
	}
	ug.Status, ug.Since = statusDeleting, c.Now
	return fromView(r.userGroupView(ug), &elasticache.DeleteUserGroupOutput{}), nil
}
