package ssm

import (
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

// filter is a validated ParameterStringFilter.
type filter struct {
	key    string
	option string
	values []string
}

// Filter keys each operation accepts, with their options (the first is
// the default). tag:<key> filters are handled apart.
var (
	describeFilterKeys = map[string][]string{
		"Name": {"Equals", "BeginsWith", "Contains"}, "Path": {"OneLevel", "Recursive"},
		"Type": {"Equals"}, "KeyId": {"Equals"}, "Tier": {"Equals"}, "DataType": {"Equals"},
		"Label": {"Equals"},
	}
	pathFilterKeys = map[string][]string{"Type": {"Equals"}, "KeyId": {"Equals"}, "Label": {"Equals"}}
)

// checkFilters validates filters against the keys an operation allows.
func checkFilters(in []types.ParameterStringFilter, allowed map[string][]string) ([]filter, error) {
	out := make([]filter, 0, len(in))
	for _, f := range in {
		key := aws.ToString(f.Key)
		options, ok := allowed[key]
		if strings.HasPrefix(key, "tag:") && len(allowed) > len(pathFilterKeys) {
			options, ok = []string{"Equals"}, true
		}
		if !ok {
			return nil, api.Errorf(codeBadFilterKey, "The following filter key is not valid: %s. Valid filter keys include: %s.", key, keyList(allowed))
		}
		option := aws.ToString(f.Option)
		if option == "" {
			option = options[0]
		}
		if !contains(options, option) {
			return nil, api.Errorf(codeBadFilterOption, "The following filter option is not valid: %s. Valid options include: [%s].", option, strings.Join(options, ", "))
		}
		if key == "Path" && !allHavePrefix(f.Values, "/") {
			return nil, api.Errorf(codeBadFilterValue, "The following filter value is not valid: %s. Valid values must begin with a forward slash \"/\".", strings.Join(f.Values, ", "))
		}
		out = append(out, filter{key: key, option: option, values: f.Values})
	}
	return out, nil
}

// legacyFilters turns DescribeParameters's old Filters into
// ParameterStringFilters with the Equals option.
func legacyFilters(in []types.ParametersFilter) []types.ParameterStringFilter {
	out := make([]types.ParameterStringFilter, 0, len(in))
	for _, f := range in {
		out = append(out, types.ParameterStringFilter{Key: aws.String(string(f.Key)), Option: aws.String("Equals"), Values: f.Values})
	}
	return out
}

// matchesAll: filters are ANDed, the values of one filter ORed.
func matchesAll(p *Parameter, filters []filter) bool {
	for _, f := range filters {
		if !matches(p, f) {
			return false
		}
	}
	return true
}

func matches(p *Parameter, f filter) bool {
	if tagKey, ok := strings.CutPrefix(f.key, "tag:"); ok {
		return matchesTag(p, tagKey, f.values)
	}
	field, ok := fieldOf(p, f.key)
	if !ok {
		return false
	}
	for _, v := range f.values {
		if matchValue(field, f.option, v) {
			return true
		}
	}
	return false
}

func fieldOf(p *Parameter, key string) (string, bool) {
	switch key {
	case "Name", "Path":
		return p.Name, true
	case "Type":
		return string(p.Type), true
	case "KeyId":
		return p.KeyID, true
	case "Tier":
		return string(p.Tier), true
	case "DataType":
		return p.DataType, true
	}
	return "", false // Label: the sandbox has no labels
}

func matchValue(field, option, v string) bool {
	switch option {
	case "BeginsWith":
		return strings.HasPrefix(field, v)
	case "Contains":
		return strings.Contains(field, v)
	case "OneLevel":
		return underPath(field, v, false)
	case "Recursive":
		return underPath(field, v, true)
	}
	return field == v
}

// matchesTag: the tag must exist, with one of values when there are any.
func matchesTag(p *Parameter, key string, values []string) bool {
	for _, t := range p.Tags {
		if aws.ToString(t.Key) != key {
			continue
		}
		return len(values) == 0 || contains(values, aws.ToString(t.Value))
	}
	return false
}

func keyList(allowed map[string][]string) string {
	keys := make([]string, 0, len(allowed))
	for k := range allowed {
		keys = append(keys, k)
	}
	sortStrings(keys)
	return "[" + strings.Join(keys, ", ") + "]"
}

func allHavePrefix(values []string, prefix string) bool {
	for _, v := range values {
		if !strings.HasPrefix(v, prefix) {
			return false
		}
	}
	return true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
