package secretsmanager

import (
	"encoding/base64"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
	"github.com/kcstack/kcstack/pkg/sandbox/internal/tagset"
)

// defaultPageSize is ListSecrets's page size when MaxResults is unset.
const defaultPageSize = 100

func listSecrets(c *api.Call, in *secretsmanager.ListSecretsInput) (*secretsmanager.ListSecretsOutput, error) {
	size, err := pageSize(in.MaxResults)
	if err != nil {
		return nil, err
	}
	start, err := decodeToken(in.NextToken)
	if err != nil {
		return nil, err
	}
	matched, err := matching(state(c).Region(c.Region), in)
	if err != nil {
		return nil, err
	}
	sortSecrets(matched, in.SortBy, in.SortOrder)
	out := &secretsmanager.ListSecretsOutput{SecretList: []types.SecretListEntry{}}
	for i := start; i < len(matched) && i < start+size; i++ {
		out.SecretList = append(out.SecretList, entry(matched[i]))
	}
	if start+size < len(matched) {
		out.NextToken = aws.String(encodeToken(start + size))
	}
	return out, nil
}

// matching returns the secrets that pass every filter.
func matching(r *Region, in *secretsmanager.ListSecretsInput) ([]*Secret, error) {
	for _, f := range in.Filters {
		if !validFilterKey(f.Key) {
			return nil, api.Errorf(codeInvalidParam, "Invalid filter key: %s", f.Key)
		}
	}
	var out []*Secret
	for _, sec := range r.Secrets {
		if sec.deleted() && !aws.ToBool(in.IncludePlannedDeletion) {
			continue
		}
		if matchesAll(sec, in.Filters) {
			out = append(out, sec)
		}
	}
	return out, nil
}

func validFilterKey(k types.FilterNameStringType) bool {
	for _, v := range k.Values() {
		if k == v {
			return true
		}
	}
	return false
}

// matchesAll: filters are ANDed; the values of one filter are ORed, and a
// value starting with ! excludes what it matches.
func matchesAll(sec *Secret, filters []types.Filter) bool {
	for _, f := range filters {
		if !matchesFilter(sec, f) {
			return false
		}
	}
	return true
}

func matchesFilter(sec *Secret, f types.Filter) bool {
	positive, hit := false, false
	for _, v := range f.Values {
		if neg, ok := strings.CutPrefix(v, "!"); ok {
			if matchesValue(sec, f.Key, neg) {
				return false
			}
			continue
		}
		positive = true
		hit = hit || matchesValue(sec, f.Key, v)
	}
	return hit || !positive
}

func matchesValue(sec *Secret, key types.FilterNameStringType, v string) bool {
	switch key {
	case types.FilterNameStringTypeName:
		return strings.HasPrefix(sec.Name, v)
	case types.FilterNameStringTypeDescription:
		return strings.HasPrefix(strings.ToLower(sec.Description), strings.ToLower(v))
	case types.FilterNameStringTypeOwningService:
		return strings.HasPrefix(sec.OwningService, v)
	case types.FilterNameStringTypeTagKey:
		return anyTag(sec, func(t types.Tag) bool { return strings.HasPrefix(aws.ToString(t.Key), v) })
	case types.FilterNameStringTypeTagValue:
		return anyTag(sec, func(t types.Tag) bool { return strings.HasPrefix(aws.ToString(t.Value), v) })
	case types.FilterNameStringTypeAll:
		return matchesWords(sec, v)
	}
	return false
}

// matchesWords is the "all" filter: every word of v must prefix-match,
// ignoring case, the name, description, a tag key or a tag value.
func matchesWords(sec *Secret, v string) bool {
	fields := []string{sec.Name, sec.Description, sec.OwningService}
	for _, t := range sec.Tags {
		fields = append(fields, aws.ToString(t.Key), aws.ToString(t.Value))
	}
	for _, w := range strings.Fields(strings.ToLower(v)) {
		found := false
		for _, f := range fields {
			found = found || strings.HasPrefix(strings.ToLower(f), w)
		}
		if !found {
			return false
		}
	}
	return true
}

func anyTag(sec *Secret, f func(types.Tag) bool) bool {
	for _, t := range sec.Tags {
		if f(t) {
			return true
		}
	}
	return false
}

// sortSecrets orders by the requested field (creation date by default),
// ascending unless SortOrder is desc; names break ties.
func sortSecrets(list []*Secret, by types.SortByType, order types.SortOrderType) {
	key := func(s *Secret) time.Time { return s.CreatedDate }
	switch by {
	case types.SortByTypeLastChangedDate:
		key = func(s *Secret) time.Time { return s.LastChangedDate }
	case types.SortByTypeLastAccessedDate:
		key = func(s *Secret) time.Time { return aws.ToTime(s.LastAccessedDate) }
	}
	less := func(a, b *Secret) bool {
		if by == types.SortByTypeName || key(a).Equal(key(b)) {
			return a.Name < b.Name
		}
		return key(a).Before(key(b))
	}
	sort.Slice(list, func(i, j int) bool {
		if order == types.SortOrderTypeDesc {
			return less(list[j], list[i])
		}
		return less(list[i], list[j])
	})
}

func entry(sec *Secret) types.SecretListEntry {
	e := types.SecretListEntry{
		ARN: aws.String(sec.ARN), Name: aws.String(sec.Name), Description: optional(sec.Description),
		KmsKeyId: optional(sec.KmsKeyID), OwningService: optional(sec.OwningService),
		CreatedDate: aws.Time(sec.CreatedDate), LastChangedDate: aws.Time(sec.LastChangedDate),
		LastAccessedDate: copyTime(sec.LastAccessedDate), DeletedDate: copyTime(sec.DeletedDate),
		Tags: tagset.Copy(sec.Tags), SecretVersionsToStages: sec.versionStages(),
	}
	e.RotationEnabled, e.RotationRules = sec.rotation()
	return e
}

func pageSize(max *int32) (int, error) {
	if max == nil {
		return defaultPageSize, nil
	}
	if *max < 1 || *max > 100 {
		return 0, api.Errorf(codeInvalidParam, "MaxResults must be between 1 and 100.")
	}
	return int(*max), nil
}

// encodeToken and decodeToken turn a list offset into an opaque token.
func encodeToken(offset int) string {
	return base64.StdEncoding.EncodeToString([]byte("offset:" + strconv.Itoa(offset)))
}

func decodeToken(token *string) (int, error) {
	if token == nil {
		return 0, nil
	}
	raw, err := base64.StdEncoding.DecodeString(*token)
	n, ok := strings.CutPrefix(string(raw), "offset:")
	offset, convErr := strconv.Atoi(n)
	if err != nil || !ok || convErr != nil || offset < 0 {
		return 0, api.Errorf(codeBadToken, "The NextToken value is invalid.")
	}
	return offset, nil
}

func sortStrings(s []string) { sort.Strings(s) }
