package ssm

import (
	"encoding/base64"
	"sort"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

func getParametersByPath(c *api.Call, in *ssm.GetParametersByPathInput) (*ssm.GetParametersByPathOutput, error) {
	path := aws.ToString(in.Path)
	if !strings.HasPrefix(path, "/") {
		return nil, api.Errorf(codeValidation, "The parameter doesn't meet the parameter name requirements. The parameter name must begin with a forward slash \"/\". It can't be prefixed with \"aws\" or \"ssm\" (case-insensitive).")
	}
	if strings.Count(path, "/") > 15 {
		return nil, api.Errorf(codeHierarchy, "Parameter hierarchy level exceeds the maximum of 15 levels.")
	}
	filters, err := checkFilters(in.ParameterFilters, pathFilterKeys)
	if err != nil {
		return nil, err
	}
	size, start, err := page(in.MaxResults, in.NextToken, 10)
	if err != nil {
		return nil, err
	}
	var found []*Parameter
	for _, p := range sortedParams(params(c)) {
		if underPath(p.Name, path, aws.ToBool(in.Recursive)) && matchesAll(p, filters) {
			found = append(found, p)
		}
	}
	out := &ssm.GetParametersByPathOutput{Parameters: []types.Parameter{}}
	for _, p := range window(found, start, size) {
		out.Parameters = append(out.Parameters, view(p, p.current(), aws.ToBool(in.WithDecryption)))
	}
	out.NextToken = nextToken(len(found), start, size)
	return out, nil
}

// underPath reports whether name is below path: one level down, or any
// level when recursive.
func underPath(name, path string, recursive bool) bool {
	prefix := strings.TrimSuffix(path, "/") + "/"
	rest, ok := strings.CutPrefix(name, prefix)
	if !ok || rest == "" {
		return false
	}
	return recursive || !strings.Contains(rest, "/")
}

func describeParameters(c *api.Call, in *ssm.DescribeParametersInput) (*ssm.DescribeParametersOutput, error) {
	if len(in.Filters) > 0 && len(in.ParameterFilters) > 0 {
		return nil, api.Errorf(codeValidation, "You can use either Filters or ParameterFilters in a single request.")
	}
	filters, err := checkFilters(append(legacyFilters(in.Filters), in.ParameterFilters...), describeFilterKeys)
	if err != nil {
		return nil, err
	}
	size, start, err := page(in.MaxResults, in.NextToken, 50)
	if err != nil {
		return nil, err
	}
	var found []*Parameter
	for _, p := range sortedParams(params(c)) {
		if matchesAll(p, filters) {
			found = append(found, p)
		}
	}
	out := &ssm.DescribeParametersOutput{Parameters: []types.ParameterMetadata{}}
	for _, p := range window(found, start, size) {
		out.Parameters = append(out.Parameters, metadata(p))
	}
	out.NextToken = nextToken(len(found), start, size)
	return out, nil
}

func metadata(p *Parameter) types.ParameterMetadata {
	v := p.current()
	return types.ParameterMetadata{
		ARN: aws.String(p.ARN), Name: aws.String(p.Name), Type: p.Type, Tier: p.Tier, Version: v.Number,
		DataType: aws.String(p.DataType), Description: optional(p.Description), KeyId: optional(p.KeyID),
		AllowedPattern: optional(p.AllowedPattern), LastModifiedDate: aws.Time(v.Modified),
		LastModifiedUser: aws.String("arn:aws:iam::" + accountOf(p.ARN) + ":user/sandbox"),
		Policies:         []types.ParameterInlinePolicy{},
	}
}

// accountOf returns the account field of an ARN.
func accountOf(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) < 6 {
		return ""
	}
	return parts[4]
}

func sortedParams(ps map[string]*Parameter) []*Parameter {
	out := make([]*Parameter, 0, len(ps))
	for _, p := range ps {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// page validates MaxResults (1 to max, max by default) and NextToken.
func page(maxResults *int32, token *string, max int) (size, start int, err error) {
	size = max
	if maxResults != nil {
		if *maxResults < 1 || int(*maxResults) > max {
			return 0, 0, api.Errorf(codeValidation, "1 validation error detected: Value '%d' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to %d", *maxResults, max)
		}
		size = int(*maxResults)
	}
	if token == nil {
		return size, 0, nil
	}
	raw, decErr := base64.StdEncoding.DecodeString(*token)
	n, ok := strings.CutPrefix(string(raw), "offset:")
	start, convErr := strconv.Atoi(n)
	if decErr != nil || !ok || convErr != nil || start < 0 {
		return 0, 0, api.Errorf(codeBadToken, "The nextToken is not valid.")
	}
	return size, start, nil
}

func window(list []*Parameter, start, size int) []*Parameter {
	if start >= len(list) {
		return nil
	}
	return list[start:min(len(list), start+size)]
}

func nextToken(total, start, size int) *string {
	if start+size >= total {
		return nil
	}
	return aws.String(base64.StdEncoding.EncodeToString([]byte("offset:" + strconv.Itoa(start+size))))
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return aws.String(s)
}
