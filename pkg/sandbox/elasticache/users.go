package elasticache

import (
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/aws/aws-sdk-go-v2/service/elasticache/types"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

// Password rules of ElastiCache users (and AUTH tokens).
const (
	minPasswordLength = 16
	maxPasswordLength = 128
	maxPasswords      = 2
)

func createUser(c *api.Call, in *elasticache.CreateUserInput) (*elasticache.CreateUserOutput, error) {
	id := lower(aws.ToString(in.UserId))
	if err := checkID("UserId", id); err != nil {
		return nil, err
	}
	r := region(c)
	if _, exists := r.Users[id]; exists {
		return nil, api.Errorf(codeUserExists, "User %s already exists.", id)
	}
	engine, err := checkEngine(aws.ToString(in.Engine))
	if err != nil {
		return nil, err
	}
	if err := checkAccessString(aws.ToString(in.AccessString)); err != nil {
		return nil, err
	}
	auth, count, err := authentication(in.Passwords, in.NoPasswordRequired, in.AuthenticationMode)
	if err != nil {
		return nil, err
	}
	if auth == "" {
		return nil, invalidValue("No password was given: set Passwords, NoPasswordRequired or AuthenticationMode.")
	}
	tags, err := newTags(in.Tags)
	if err != nil {
		return nil, err
	}
	u := &User{ID: id, Name: aws.ToString(in.UserName), ARN: arn(c, "user", id), Engine: engine,
		AccessString: aws.ToString(in.AccessString), AuthType: auth, PasswordCount: count,
		Status: statusActive, Since: c.Now, Tags: tags}
	r.Users[id] = u
	return fromView(r.userView(u), &elasticache.CreateUserOutput{}), nil
}

// checkEngine normalizes a user or user group engine: redis or valkey.
func checkEngine(engine string) (string, error) {
	e := lower(engine)
	if e != engineRedis && e != engineValkey {
		return "", invalidValue("Engine %q is not valid: use redis or valkey.", engine)
	}
	return e, nil
}

// checkAccessString checks every rule of an access string against the
// forms Redis ACLs take (on, off, ~pattern, &pattern, +cmd, -cmd,
// %R~pattern, and the keywords).
func checkAccessString(s string) error {
	fields := strings.Fields(s)
	if len(fields) == 0 {
		return invalidValue("AccessString must not be empty.")
	}
	keywords := map[string]bool{"on": true, "off": true, "allkeys": true, "allchannels": true, "allcommands": true,
		"nocommands": true, "resetkeys": true, "resetchannels": true, "nopass": true, "resetpass": true, "reset": true}
	for _, f := range fields {
		if !keywords[lower(f)] && !strings.ContainsAny(f[:1], "~&+-%") {
			return invalidValue("Access string rule %q is not valid: rules are on, off, ~keys, &channels, +commands, -commands or a keyword such as allkeys.", f)
		}
		if strings.ContainsAny(f[:1], "+-") && len(f) == 1 {
			return invalidValue("Access string rule %q names no command or category.", f)
		}
	}
	return nil
}

// authentication returns the authentication type the request sets ("" when
// it sets none) and the number of passwords.
func authentication(passwords []string, noPassword *bool, mode *types.AuthenticationMode) (string, int32, error) {
	if mode != nil {
		if len(passwords) > 0 || noPassword != nil {
			return "", 0, invalidCombination("AuthenticationMode cannot be combined with Passwords or NoPasswordRequired.")
		}
		switch mode.Type {
		case types.InputAuthenticationTypePassword:
			if len(mode.Passwords) == 0 {
				return "", 0, invalidValue("AuthenticationMode of type password needs Passwords.")
			}
			return authPassword, int32(len(mode.Passwords)), checkPasswords(mode.Passwords)
		case types.InputAuthenticationTypeNoPassword, types.InputAuthenticationTypeIam:
			if len(mode.Passwords) > 0 {
				return "", 0, invalidCombination("AuthenticationMode of type %s takes no Passwords.", mode.Type)
			}
			if mode.Type == types.InputAuthenticationTypeIam {
				return authIAM, 0, nil
			}
			return authNone, 0, nil
		}
		return "", 0, invalidValue("AuthenticationMode type %q is not valid.", mode.Type)
	}
	if aws.ToBool(noPassword) {
		if len(passwords) > 0 {
			return "", 0, invalidCombination("Passwords cannot be given with NoPasswordRequired true.")
		}
		return authNone, 0, nil
	}
	if len(passwords) == 0 {
		return "", 0, nil
	}
	return authPassword, int32(len(passwords)), checkPasswords(passwords)
}

// checkPasswords applies AWS's rules: one or two passwords of 16 to 128
// printable ASCII characters without spaces, ", / or @. No password
// appears in an error.
func checkPasswords(passwords []string) error {
	if len(passwords) > maxPasswords {
		return invalidValue("A user has at most %d passwords.", maxPasswords)
	}
	for i, p := range passwords {
		if len(p) < minPasswordLength || len(p) > maxPasswordLength {
			return invalidValue("Password %d must be between %d and %d characters long.", i+1, minPasswordLength, maxPasswordLength)
		}
		for j := 0; j < len(p); j++ {
			if p[j] <= ' ' || p[j] > '~' || strings.IndexByte(`"/@`, p[j]) >= 0 {
				return invalidValue("Password %d may hold only printable ASCII characters other than space, \", / and @.", i+1)
			}
		}
	}
	return nil
}

// userView is the user as DescribeUsers shows it.
func (r *Region) userView(u *User) types.User {
	groups := []string{}
	for _, id := range sortedKeys(r.UserGroups) {
		if contains(r.UserGroups[id].UserIDs, u.ID) {
			groups = append(groups, id)
		}
	}
	auth := &types.Authentication{Type: types.AuthenticationType(u.AuthType)}
	if u.AuthType == authPassword {
		auth.PasswordCount = aws.Int32(u.PasswordCount)
	}
	return types.User{UserId: aws.String(u.ID), UserName: aws.String(u.Name), Status: aws.String(u.Status),
		Engine: aws.String(u.Engine), MinimumEngineVersion: aws.String(minimumVersion(u.Engine)),
		AccessString: aws.String(u.AccessString), UserGroupIds: groups, Authentication: auth, ARN: aws.String(u.ARN)}
}

// minimumVersion is the oldest engine version that supports users.
func minimumVersion(engine string) string {
	if engine == engineValkey {
		return "7.2"
	}
	return "6.0"
}

func describeUsers(c *api.Call, in *elasticache.DescribeUsersInput) (*elasticache.DescribeUsersOutput, error) {
	r := region(c)
	ids := sortedKeys(r.Users)
	if in.UserId != nil {
		if _, ok := r.Users[lower(*in.UserId)]; !ok {
			return nil, errNotFound(codeUserNotFound, "User", *in.UserId)
		}
		ids = []string{lower(*in.UserId)}
	}
	filter, err := userIDFilter(in.Filters)
	if err != nil {
		return nil, err
	}
	var users []types.User
	for _, id := range ids {
		u := r.Users[id]
		if (in.Engine != nil && lower(*in.Engine) != u.Engine) || (filter != nil && !filter[id]) {
			continue
		}
		users = append(users, r.userView(u))
	}
	out, marker, err := pageOf(users, in.Marker, in.MaxRecords)
	if err != nil {
		return nil, err
	}
	return &elasticache.DescribeUsersOutput{Users: out, Marker: marker}, nil
}

// userIDFilter returns the user ids the "user-id" filters admit, nil when
// there is no filter.
func userIDFilter(filters []types.Filter) (map[string]bool, error) {
	if len(filters) == 0 {
		return nil, nil
	}
	admit := map[string]bool{}
	for _, f := range filters {
		if aws.ToString(f.Name) != "user-id" {
			return nil, invalidValue("Filter name %q is not valid: DescribeUsers filters by user-id.", aws.ToString(f.Name))
		}
		for _, v := range f.Values {
			admit[lower(v)] = true
		}
	}
	return admit, nil
}

func modifyUser(c *api.Call, in *elasticache.ModifyUserInput) (*elasticache.ModifyUserOutput, error) {
	r := region(c)
	u, ok := r.Users[lower(aws.ToString(in.UserId))]
	if !ok {
		return nil, errNotFound(codeUserNotFound, "User", aws.ToString(in.UserId))
	}
	if u.Status != statusActive {
		return nil, api.Errorf(codeUserState, "User %s is %s, not active.", u.ID, u.Status)
	}
	if in.AccessString != nil && in.AppendAccessString != nil {
		return nil, invalidCombination("AccessString and AppendAccessString cannot be given together.")
	}
	access := u.AccessString
	switch {
	case in.AccessString != nil:
		access = *in.AccessString
	case in.AppendAccessString != nil:
		access += " " + *in.AppendAccessString
	}
	if err := checkAccessString(access); err != nil {
		return nil, err
	}
	auth, count, err := authentication(in.Passwords, in.NoPasswordRequired, in.AuthenticationMode)
	if err != nil {
		return nil, err
	}
	if in.Engine != nil {
		engine, err := checkEngine(*in.Engine)
		if err != nil {
			return nil, err
		}
		u.Engine = engine
	}
	u.AccessString = access
	if auth != "" {
		u.AuthType, u.PasswordCount = auth, count
	}
	u.Status, u.Since = statusModifying, c.Now
	return fromView(r.userView(u), &elasticache.ModifyUserOutput{}), nil
}

func deleteUser(c *api.Call, in *elasticache.DeleteUserInput) (*elasticache.DeleteUserOutput, error) {
	r := region(c)
	id := lower(aws.ToString(in.UserId))
	u, ok := r.Users[id]
	if !ok {
		return nil, errNotFound(codeUserNotFound, "User", aws.ToString(in.UserId))
	}
	if id == defaultUserName {
		return nil, invalidValue("The built-in user default cannot be deleted.")
	}
	if u.Status != statusActive {
		return nil, api.Errorf(codeUserState, "User %s is %s, not active.", u.ID, u.Status)
	}
	groups := r.userView(u).UserGroupIds
	if u.Name == defaultUserName && len(groups) > 0 {
		return nil, api.Errorf(codeDefaultUserInGroup, "User %s is the default user of user group %s: replace it in the group first.", u.ID, groups[0])
	}
	// AWS removes a deleted user from its groups, which modify.
	for _, gid := range groups {
		ug := r.UserGroups[gid]
		ug.Remove = applyChanges(ug.Remove, []string{id}, nil)
		if ug.Status == statusActive {
			ug.Status, ug.Since = statusModifying, c.Now
		}
	}
	u.Status, u.Since = statusDeleting, c.Now
	return fromView(r.userView(u), &elasticache.DeleteUserOutput{}), nil
}
