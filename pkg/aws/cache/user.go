package cache

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	ec "github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/aws/aws-sdk-go-v2/service/elasticache/types"

	"github.com/kcstack/kcstack/pkg/aws/clients"
	"github.com/kcstack/kcstack/pkg/aws/ownership"
	"github.com/kcstack/kcstack/pkg/resource"
)

// UserHandler creates, updates and deletes ElastiCache users with
// password authentication. The password comes from the Secrets Manager
// secret the user refers to, read at acting time; a user that refers to
// none (the default user) gets a generated password nobody keeps.
type UserHandler struct {
	handler
	Secrets SecretsAPI
}

var (
	_ resource.Handler = (*UserHandler)(nil)
	_ resource.Tagger  = (*UserHandler)(nil)
)

// userKind describes elasticache:user. A user goes before the secret it
// reads its password from; a new secret or a new version of it (a
// rotation) is followed in place, by ModifyUser. The user group listing a
// user goes first. A retried CreateUser fails on the unique id, and
// Create adopts the user tagged for the address.
var userKind = resource.Descriptor{
	Kind:         resource.KindCacheUser,
	TaggingTypes: []string{string(resource.KindCacheUser)},
	References: []resource.Reference{
		{Prop: propPasswordSecretARN, Kind: resource.KindSecret, Attr: "arn", InPlace: true},
		{Prop: propPasswordVersion, Kind: resource.KindSecret, Attr: "version_id", InPlace: true},
	},
	Fields: resource.Fields{
		propUserID:   {ForcesReplace: true, Reason: "an ElastiCache user's id cannot change"},
		propUserName: {ForcesReplace: true, Reason: "an ElastiCache user's name cannot change"},
		propEngine:   {ForcesReplace: true, Reason: "an ElastiCache user's engine cannot change"},
	},
	DataLoss: resource.NoDataLoss,
	Create:   resource.Creation{Operations: []string{"CreateUser"}, Idempotent: true},
}

var userRules = map[string]rule{propUserID: foldCase, propAccessString: spaces}

// userObservation converts a described user and its tags: the secret and
// version its password came from are props, not tags.
func userObservation(u types.User, tags map[string]string, address, stack string) resource.Observation {
	id := aws.ToString(u.UserId)
	props := resource.Props{
		propUserID: id, propUserName: aws.ToString(u.UserName), propEngine: aws.ToString(u.Engine),
		propAccessString: aws.ToString(u.AccessString),
	}
	own := make(map[string]string, len(tags))
	for k, v := range tags {
		switch k {
		case tagPasswordSecret:
			props[propPasswordSecretARN] = v
		case tagPasswordVersion:
			props[propPasswordVersion] = v
		default:
			own[k] = v
		}
	}
	attrs := map[string]string{attrARN: aws.ToString(u.ARN), propUserName: aws.ToString(u.UserName), attrStatus: aws.ToString(u.Status)}
	return ownership.Observed(resource.KindCacheUser, address, id, stack, own, props, attrs)
}

type userProps struct {
	id, name, engine, access, secret string
}

func readUser(d resource.Desired) (userProps, error) {
	r := resource.Read(d.Props)
	p := userProps{id: r.String(propUserID), name: r.String(propUserName), engine: r.OptString(propEngine),
		access: r.String(propAccessString), secret: r.OptString(propPasswordSecretARN)}
	if err := r.Err(); err != nil {
		return p, fmt.Errorf("%s: %w", d.Address, err)
	}
	if p.engine == "" {
		p.engine = engineRedis
	}
	return p, nil
}

// Create creates the user with its password, tagged with the secret
// version it came from, waits until it is active and returns it. A user
// of that id tagged for this stack and address is adopted.
func (h *UserHandler) Create(ctx context.Context, d resource.Desired) (resource.Observation, error) {
	p, err := readUser(d)
	if err != nil {
		return resource.Observation{}, err
	}
	pw, err := h.password(ctx, p)
	if err != nil {
		return resource.Observation{}, fmt.Errorf("create ElastiCache user %s: %w", p.id, err)
	}
	_, err = h.API.CreateUser(ctx, &ec.CreateUserInput{
		UserId: aws.String(p.id), UserName: aws.String(p.name), Engine: aws.String(p.engine), AccessString: aws.String(p.access),
		AuthenticationMode: &types.AuthenticationMode{Type: types.InputAuthenticationTypePassword, Passwords: []string{pw.value}},
		Tags:               ecTags(resource.WithTags(d.Tags, pw.tags(), nil)),
	})
	if err := h.reading().created(ctx, h.API, err, codeUserExists, p.id, h.Stack, d.Address); err != nil {
		return resource.Observation{}, err
	}
	return h.reading().waitObserved(ctx, h.API, p.id, d.Address)
}

// Update changes the access string and, when the secret or its version
// changed (a rotation), sets the password read from the secret now; then
// it records the version in the user's tags and waits until the user is
// active again.
func (h *UserHandler) Update(ctx context.Context, d resource.Desired, o resource.Observation, diffs []resource.FieldDiff) (resource.Observation, error) {
	p, err := readUser(d)
	if err != nil {
		return o, err
	}
	in := &ec.ModifyUserInput{UserId: aws.String(o.ID)}
	var pw password
	for _, fd := range diffs {
		switch fd.Path {
		case propAccessString:
			in.AccessString = aws.String(p.access)
		case propPasswordSecretARN, propPasswordVersion:
			if pw, err = h.password(ctx, p); err != nil {
				return o, fmt.Errorf("update ElastiCache user %s: %w", o.ID, err)
			}
			in.AuthenticationMode = &types.AuthenticationMode{Type: types.InputAuthenticationTypePassword, Passwords: []string{pw.value}}
		default:
			return o, fmt.Errorf("update ElastiCache user %s: %s cannot change in place", o.ID, fd.Path)
		}
	}
	if err := h.reading().settle(ctx, o, "active"); err != nil {
		return o, err
	}
	if _, err := h.API.ModifyUser(ctx, in); err != nil {
		return o, fmt.Errorf("modify ElastiCache user %s: %w", o.ID, err)
	}
	if pw.secret != "" {
		if err := h.SetTags(ctx, o, pw.tags(), nil); err != nil {
			return o, err
		}
	}
	return h.reading().waitObserved(ctx, h.API, o.ID, d.Address)
}

// Delete deletes the user and waits until it is gone; one already gone
// is success.
func (h *UserHandler) Delete(ctx context.Context, o resource.Observation, _ map[string]string) error {
	r := clients.Refusals{Gone: []string{codeUserNotFound}, Busy: []string{codeUserState, codeDefaultUserInGroup}}
	return h.reading().deleteWhenFree(ctx, h.Base, o.ID, "to be free of user groups", r, func(ctx context.Context) error {
		_, err := h.API.DeleteUser(ctx, &ec.DeleteUserInput{UserId: aws.String(o.ID)})
		return err
	})
}

// reading is how the handler reads users.
func (h *UserHandler) reading() reading[types.User] {
	status := func(u *types.User) string { return aws.ToString(u.Status) }
	return reading[types.User]{
		noun: h.noun, describe: h.describe, status: status, arn: func(u *types.User) string { return aws.ToString(u.ARN) },
		ready: func(u *types.User) bool { return status(u) == "active" }, wait: h.WaitOr(userWait),
		observe: func(u types.User, tags map[string]string, address string) resource.Observation {
			return userObservation(u, tags, address, h.Stack)
		},
	}
}

// describe returns user id, nil when it does not exist.
func (h *UserHandler) describe(ctx context.Context, id string) (*types.User, error) {
	out, err := h.API.DescribeUsers(ctx, &ec.DescribeUsersInput{UserId: aws.String(id)})
	return one(err, codeUserNotFound, "ElastiCache user", id, func() []types.User { return out.Users })
}
