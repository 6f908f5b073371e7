package secrets

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/kcstack/kcstack/pkg/aws/awserr"
	"github.com/kcstack/kcstack/pkg/aws/clients"
	"github.com/kcstack/kcstack/pkg/resource"
)

// Handler creates, rotates and deletes generated secrets.
type Handler struct{ clients.Base[API] }

var (
	_ resource.Handler = (*Handler)(nil)
	_ resource.Tagger  = (*Handler)(nil)
)

// The props of a secret.
const (
	propName           = "name"
	propDescription    = "description"
	propUsername       = "username"
	propPasswordLength = "password_length"
)

// Tags kcstack sets at creation to observe what the value holds without
// reading it; observations carry them as props, never as tags.
const (
	tagUsername       = "kcstack:username"
	tagPasswordLength = "kcstack:password-length"
)

// defaultPasswordLength is the length of a password when the props give none.
const defaultPasswordLength = 32

// descriptor declares secretsmanager:secret. A secret refers to nothing;
// what reads it (a cache user, a task definition) refers to its ARN and
// goes first. A new password length is a rotation: the new version id is
// known only after the update.
var descriptor = resource.Descriptor{
	Kind:         resource.KindSecret,
	TaggingTypes: []string{string(resource.KindSecret)},
	Fields: resource.Fields{
		propName:     {ForcesReplace: true, Reason: "a secret cannot be renamed"},
		propUsername: {ForcesReplace: true, Reason: "the user name is part of the secret kcstack generated"},
	},
	Deletion:     resource.Deletion{Placed: true},
	DataLoss:     resource.NoDataLoss,
	UpdatedAttrs: []string{attrVersionID},
	// CreateSecret carries a client request token derived from the stack
	// and address; a create refused because the name exists adopts (or
	// restores) the secret tagged for this stack and address.
	Create: resource.Creation{Operations: []string{"CreateSecret"}, Idempotent: true},
	Outputs: []resource.Output{
		{Name: "secret_arn", Attr: attrARN, Description: "the ARN of the Secrets Manager secret holding the user name and password (never its value)"},
	},
}

// Attributes of a secret's observation.
const (
	attrARN       = "arn"
	attrName      = "name"
	attrVersionID = "version_id"
)

// props are a desired secret's resolved props.
type props struct {
	name, description, username string
	length                      int64
}

func read(d resource.Desired) (props, error) {
	r := resource.Read(d.Props)
	p := props{name: r.String(propName), description: r.OptString(propDescription), username: r.String(propUsername), length: r.OptInt(propPasswordLength)}
	if err := r.Err(); err != nil {
		return p, fmt.Errorf("%s: %w", d.Address, err)
	}
	if p.length == 0 {
		p.length = defaultPasswordLength
	}
	return p, nil
}

// Create generates a password, stores it with the user name as a new
// secret tagged at creation, and returns the secret as observed. A
// secret of that name tagged for this stack and address is adopted, or
// restored when it is scheduled for deletion.
func (h *Handler) Create(ctx context.Context, d resource.Desired) (resource.Observation, error) {
	p, err := read(d)
	if err != nil {
		return resource.Observation{}, err
	}
	value, err := h.value(ctx, p)
	if err != nil {
		return resource.Observation{}, fmt.Errorf("create secret %s: %w", p.name, err)
	}
	tags := resource.WithTags(d.Tags, map[string]string{tagUsername: p.username, tagPasswordLength: strconv.FormatInt(p.length, 10)}, nil)
	_, err = h.API.CreateSecret(ctx, &sm.CreateSecretInput{
		Name: aws.String(p.name), Description: optional(p.description), SecretString: aws.String(value),
		ClientRequestToken: aws.String(requestToken(h.Stack, d.Address)), Tags: smTags(tags),
	})
	if err != nil && !awserr.Is(err, codeExists, codeInvalidRequest) {
		return resource.Observation{}, fmt.Errorf("create secret %s: %w", p.name, err)
	}
	if err != nil {
		return h.adopt(ctx, d, p.name, err)
	}
	return h.describe(ctx, p.name, d.Address)
}

// AWS error codes this package tells apart.
const (
	codeExists         = "ResourceExistsException"
	codeNotFound       = "ResourceNotFoundException"
	codeInvalidRequest = "InvalidRequestException"
)

// value generates a password of p's length (letters and digits: no
// punctuation, which would need quoting wherever it is used) and returns
// the secret's JSON value. It is never printed.
func (h *Handler) value(ctx context.Context, p props) (string, error) {
	out, err := h.API.GetRandomPassword(ctx, &sm.GetRandomPasswordInput{PasswordLength: aws.Int64(p.length), ExcludePunctuation: aws.Bool(true)})
	if err != nil {
		return "", fmt.Errorf("generate a password: %w", err)
	}
	b, err := json.Marshal(map[string]string{"username": p.username, "password": aws.ToString(out.RandomPassword)})
	return string(b), err
}

// requestToken is the client request token of the first version of the
// secret at address in stack: a retried create asks for the same version.
func requestToken(stack, address string) string {
	sum := sha256.Sum256([]byte("kcstack\x00" + stack + "\x00" + address))
	return hex.EncodeToString(sum[:16])
}

// adopt takes over the secret named name that a create was refused for,
// when it carries this stack's and address's tags: an earlier create
// whose answer was lost made it, or an earlier delete scheduled it for
// deletion (then it is restored). Anyone else's secret is the error.
func (h *Handler) adopt(ctx context.Context, d resource.Desired, name string, refused error) (resource.Observation, error) {
	out, err := h.API.DescribeSecret(ctx, &sm.DescribeSecretInput{SecretId: aws.String(name)})
	if err != nil {
		return resource.Observation{}, fmt.Errorf("create secret %s: %w (and reading it: %w)", name, refused, err)
	}
	tags := tagMap(out.Tags)
	if tags[resource.TagStack] != h.Stack || tags[resource.TagAddress] != d.Address {
		return resource.Observation{}, fmt.Errorf("create secret %s: the name is taken by a secret kcstack does not own for %s (its tags: %s=%q, %s=%q); delete it or rename the application: %w",
			name, d.Address, resource.TagStack, tags[resource.TagStack], resource.TagAddress, tags[resource.TagAddress], refused)
	}
	if out.DeletedDate != nil {
		if _, err := h.API.RestoreSecret(ctx, &sm.RestoreSecretInput{SecretId: out.ARN}); err != nil {
			return resource.Observation{}, fmt.Errorf("restore secret %s, scheduled for deletion: %w", name, err)
		}
	}
	return h.describe(ctx, name, d.Address)
}

// describe reads the secret id as an observation at address.
func (h *Handler) describe(ctx context.Context, id, address string) (resource.Observation, error) {
	out, err := h.API.DescribeSecret(ctx, &sm.DescribeSecretInput{SecretId: aws.String(id)})
	if err != nil {
		return resource.Observation{}, fmt.Errorf("describe secret %s: %w", id, err)
	}
	return observation(secretOf(out), address, h.Stack), nil
}

// Update rotates the password when its length changed (a new version,
// whose id the user reading the secret follows) and sets the
// description. The user name and name force a replacement.
func (h *Handler) Update(ctx context.Context, d resource.Desired, o resource.Observation, diffs []resource.FieldDiff) (resource.Observation, error) {
	p, err := read(d)
	if err != nil {
		return o, err
	}
	for _, fd := range diffs {
		if err := h.change(ctx, p, o, fd); err != nil {
			return o, fmt.Errorf("update secret %s: %w", p.name, err)
		}
	}
	return h.describe(ctx, o.ID, d.Address)
}

// change applies one changed prop.
func (h *Handler) change(ctx context.Context, p props, o resource.Observation, fd resource.FieldDiff) error {
	switch fd.Path {
	case propPasswordLength:
		return h.rotate(ctx, p, o)
	case propDescription:
		_, err := h.API.UpdateSecret(ctx, &sm.UpdateSecretInput{SecretId: aws.String(o.ID), Description: aws.String(p.description)})
		return err
	}
	return fmt.Errorf("%s cannot change in place", fd.Path)
}

// rotate stores a new password of p's length as the current version and
// records the length in its tag.
func (h *Handler) rotate(ctx context.Context, p props, o resource.Observation) error {
	value, err := h.value(ctx, p)
	if err != nil {
		return err
	}
	if _, err := h.API.PutSecretValue(ctx, &sm.PutSecretValueInput{SecretId: aws.String(o.ID), SecretString: aws.String(value)}); err != nil {
		return fmt.Errorf("store a new password: %w", err)
	}
	return h.SetTags(ctx, o, map[string]string{tagPasswordLength: strconv.FormatInt(p.length, 10)}, nil)
}

// Delete schedules the secret for deletion after the recovery window
// opts["recovery_window_days"] (7 days by default; 0 deletes it at once).
// A secret gone or already scheduled is success.
func (h *Handler) Delete(ctx context.Context, o resource.Observation, opts map[string]string) error {
	in := &sm.DeleteSecretInput{SecretId: aws.String(o.ID)}
	days, err := recoveryWindow(opts)
	if err != nil {
		return fmt.Errorf("delete secret %s: %w", o.ID, err)
	}
	if days == 0 {
		in.ForceDeleteWithoutRecovery = aws.Bool(true)
	} else {
		in.RecoveryWindowInDays = aws.Int64(days)
	}
	_, err = h.API.DeleteSecret(ctx, in)
	switch {
	case err == nil, awserr.Is(err, codeNotFound):
		return nil
	case awserr.Is(err, codeInvalidRequest) && h.scheduled(ctx, o.ID):
		return nil
	}
	return fmt.Errorf("delete secret %s: %w", o.ID, err)
}

// scheduled reports whether the secret id is already scheduled for deletion.
func (h *Handler) scheduled(ctx context.Context, id string) bool {
	out, err := h.API.DescribeSecret(ctx, &sm.DescribeSecretInput{SecretId: aws.String(id)})
	return err == nil && out.DeletedDate != nil
}

// recoveryWindow reads the option recovery_window_days: 7 when unset,
// 0 or 7 to 30 otherwise, as Secrets Manager allows.
func recoveryWindow(opts map[string]string) (int64, error) {
	s := opts["recovery_window_days"]
	if s == "" {
		return 7, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n != 0 && (n < 7 || n > 30) {
		return 0, fmt.Errorf("recovery_window_days %q: give 0 (delete at once) or a number of days from 7 to 30", s)
	}
	return n, nil
}

// SetTags adds, changes and removes the secret's tags.
func (h *Handler) SetTags(ctx context.Context, o resource.Observation, set map[string]string, remove []string) error {
	if len(set) > 0 {
		if _, err := h.API.TagResource(ctx, &sm.TagResourceInput{SecretId: aws.String(o.ID), Tags: smTags(set)}); err != nil {
			return fmt.Errorf("tag secret %s: %w", o.ID, err)
		}
	}
	if len(remove) > 0 {
		if _, err := h.API.UntagResource(ctx, &sm.UntagResourceInput{SecretId: aws.String(o.ID), TagKeys: remove}); err != nil {
			return fmt.Errorf("untag secret %s: %w", o.ID, err)
		}
	}
	return nil
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
