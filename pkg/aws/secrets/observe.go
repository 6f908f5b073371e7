package secrets

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"

	"github.com/kcstack/kcstack/pkg/aws/clients"
	"github.com/kcstack/kcstack/pkg/aws/ownership"
	"github.com/kcstack/kcstack/pkg/aws/tagged"
	"github.com/kcstack/kcstack/pkg/resource"
)

// Observer reads the stack's generated secrets, a part of the shared
// tagging observer: the tagging API says which secrets are the stack's,
// and ListSecrets, filtered by their names and the desired ones, reads
// them (the names, descriptions, tags and version stages; never a value).
type Observer struct{ API API }

var _ clients.TaggedObserver = (*Observer)(nil)

// ObserveTagged reads the secrets the stack desires or owns; it makes no
// call when there are none.
func (o *Observer) ObserveTagged(ctx context.Context, q resource.Query, listed map[string]map[string]string) ([]resource.Observation, error) {
	names := names(q, listed)
	var obs []resource.Observation
	for chunk := range slices.Chunk(names, maxFilterValues) {
		found, err := o.list(ctx, chunk)
		if err != nil {
			return nil, err
		}
		for _, s := range found {
			if !slices.Contains(names, s.name) {
				continue // a longer name the prefix filter matched
			}
			if addr, ok := ownership.Address(q, resource.KindSecret, propName, s.name, s.tags); ok {
				obs = append(obs, observation(s, addr, q.Stack))
			}
		}
	}
	return ownership.Complete(q, obs, resource.KindSecret), nil
}

// maxFilterValues is how many values one ListSecrets filter takes.
const maxFilterValues = 10

// names are the desired secrets' names and those of the stack's secrets
// the tagging API listed, sorted.
func names(q resource.Query, listed map[string]map[string]string) []string {
	var out []string
	for _, d := range ownership.DesiredOfKind(q, resource.KindSecret) {
		if n := resource.Read(d.Props).OptString(propName); n != "" {
			out = append(out, n)
		}
	}
	for arn := range listed {
		if n, ok := nameOf(arn); ok {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// nameOf is the name in a secret's ARN, which ends in the name, a dash and
// six random characters.
func nameOf(arn string) (string, bool) {
	_, rest, ok := strings.Cut(arn, ":secretsmanager:")
	if !ok {
		return "", false
	}
	_, name, ok := strings.Cut(rest, ":secret:")
	if !ok || len(name) < 8 || name[len(name)-7] != '-' {
		return "", false
	}
	return name[:len(name)-7], true
}

// list lists the secrets whose names start with one of names.
func (o *Observer) list(ctx context.Context, names []string) ([]secret, error) {
	var out []secret
	p := sm.NewListSecretsPaginator(o.API, &sm.ListSecretsInput{MaxResults: aws.Int32(100),
		Filters: []types.Filter{{Key: types.FilterNameStringTypeName, Values: names}}})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("list secrets %v: %w", names, err)
		}
		for _, e := range page.SecretList {
			out = append(out, secret{arn: aws.ToString(e.ARN), name: aws.ToString(e.Name), description: aws.ToString(e.Description),
				tags: tagMap(e.Tags), versions: e.SecretVersionsToStages})
		}
	}
	return out, nil
}

// secret is what a describe or a list says of a secret.
type secret struct {
	arn, name, description string
	tags                   map[string]string
	versions               map[string][]string
}

func secretOf(out *sm.DescribeSecretOutput) secret {
	return secret{arn: aws.ToString(out.ARN), name: aws.ToString(out.Name), description: aws.ToString(out.Description),
		tags: tagMap(out.Tags), versions: out.VersionIdsToStages}
}

// observation converts a secret: the user name and password length from
// their tags, the current version's id.
func observation(s secret, address, stack string) resource.Observation {
	tags := make(map[string]string, len(s.tags))
	for k, v := range s.tags {
		if k != tagUsername && k != tagPasswordLength {
			tags[k] = v
		}
	}
	props := resource.Props{propName: s.name, propDescription: s.description, propUsername: s.tags[tagUsername]}
	if n, err := strconv.ParseInt(s.tags[tagPasswordLength], 10, 64); err == nil {
		props[propPasswordLength] = n
	}
	attrs := map[string]string{attrARN: s.arn, attrName: s.name, attrVersionID: current(s.versions)}
	return ownership.Observed(resource.KindSecret, address, s.arn, stack, tags, props, attrs)
}

// current is the id of the version labelled AWSCURRENT.
func current(versions map[string][]string) string {
	for _, id := range resource.SortedKeys(versions) {
		if slices.Contains(versions[id], "AWSCURRENT") {
			return id
		}
	}
	return ""
}

func tagMap(tags []types.Tag) map[string]string {
	return tagged.Map(tags, func(t types.Tag) (*string, *string) { return t.Key, t.Value })
}

func smTags(m map[string]string) []types.Tag {
	out := make([]types.Tag, 0, len(m))
	for _, k := range resource.SortedKeys(m) {
		out = append(out, types.Tag{Key: aws.String(k), Value: aws.String(m[k])})
	}
	return out
}
