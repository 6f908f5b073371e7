package ssm

import (
	"encoding/base64"
	"regexp"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	"github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
	"github.com/kcstack/kcstack/pkg/sandbox/internal/tagset"
)

// Defaults AWS applies to new parameters.
const (
	defaultDataType = "text"
	defaultKeyID    = "alias/aws/ssm"
	maxStandardSize = 4096
	maxAdvancedSize = 8192
)

func putParameter(c *api.Call, in *ssm.PutParameterInput) (*ssm.PutParameterOutput, error) {
	name := aws.ToString(in.Name)
	if err := validatePut(in); err != nil {
		return nil, err
	}
	ps := params(c)
	p, exists := ps[name]
	switch {
	case exists && !aws.ToBool(in.Overwrite):
		return nil, api.Errorf(codeExists, "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.")
	case !exists && in.Type == "":
		return nil, api.Errorf(codeValidation, "A parameter type is required when you create a parameter.")
	case !exists:
		p = &Parameter{Name: name, ARN: parameterARN(c.Region, c.AccountID, name), Tags: tagset.Copy(in.Tags)}
	}
	pattern := p.AllowedPattern
	if in.AllowedPattern != nil {
		pattern = *in.AllowedPattern
	}
	if err := checkPattern(pattern, aws.ToString(in.Value)); err != nil {
		return nil, err
	}
	update(p, in)
	if len(p.Versions) >= maxVersions {
		p.Versions = p.Versions[1:]
	}
	p.Versions = append(p.Versions, newVersion(p, aws.ToString(in.Value), c))
	ps[name] = p
	return &ssm.PutParameterOutput{Version: p.current().Number, Tier: p.Tier}, nil
}

// update applies the attributes of a PutParameter to p; attributes the
// request leaves out keep their values.
func update(p *Parameter, in *ssm.PutParameterInput) {
	if in.Type != "" {
		p.Type = in.Type
	}
	p.Tier = tier(in.Tier, p.Tier, len(aws.ToString(in.Value)))
	if in.DataType != nil || p.DataType == "" {
		p.DataType = aws.ToString(in.DataType)
		if p.DataType == "" {
			p.DataType = defaultDataType
		}
	}
	if in.Description != nil {
		p.Description = *in.Description
	}
	if in.AllowedPattern != nil {
		p.AllowedPattern = *in.AllowedPattern
	}
	p.KeyID = ""
	if p.Type == types.ParameterTypeSecureString {
		p.KeyID = aws.ToString(in.KeyId)
		if p.KeyID == "" {
			p.KeyID = defaultKeyID
		}
	}
}

// tier returns the requested tier; Intelligent-Tiering picks Advanced only
// when the value needs it, and a parameter never goes back to Standard.
func tier(req, old types.ParameterTier, size int) types.ParameterTier {
	switch {
	case req == types.ParameterTierAdvanced || old == types.ParameterTierAdvanced:
		return types.ParameterTierAdvanced
	case req == types.ParameterTierIntelligentTiering && size > maxStandardSize:
		return types.ParameterTierAdvanced
	}
	return types.ParameterTierStandard
}

func newVersion(p *Parameter, value string, c *api.Call) Version {
	n := int64(1)
	if len(p.Versions) > 0 {
		n = p.current().Number + 1
	}
	v := Version{Number: n, Value: value, Modified: c.Now}
	if p.Type == types.ParameterTypeSecureString {
		v.Ciphertext = base64.StdEncoding.EncodeToString([]byte("kcstack-sandbox-kms:" + api.RandomHex(48)))
	}
	return v
}

// validatePut checks what AWS checks before looking at existing parameters.
func validatePut(in *ssm.PutParameterInput) error {
	if err := validateName(aws.ToString(in.Name)); err != nil {
		return err
	}
	if in.Type != "" && !validType(in.Type) {
		return api.Errorf(codeValidation, "1 validation error detected: Value '%s' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [SecureString, StringList, String]", in.Type)
	}
	if aws.ToBool(in.Overwrite) && len(in.Tags) > 0 {
		return api.Errorf(codeValidation, "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.")
	}
	if in.KeyId != nil && in.Type != "" && in.Type != types.ParameterTypeSecureString {
		return api.Errorf(codeValidation, "KeyId is required for SecureString type parameter only.")
	}
	return validateSize(in)
}

func validateSize(in *ssm.PutParameterInput) error {
	size := len(aws.ToString(in.Value))
	if size > maxAdvancedSize {
		return api.Errorf(codeValidation, "Parameter value can't exceed %d characters.", maxAdvancedSize)
	}
	if size > maxStandardSize && (in.Tier == "" || in.Tier == types.ParameterTierStandard) {
		return api.Errorf(codeValidation, "Standard tier parameters support a maximum parameter value of 4096 characters. To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier. For more information, see https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html")
	}
	return nil
}

func validType(t types.ParameterType) bool {
	for _, v := range t.Values() {
		if t == v {
			return true
		}
	}
	return false
}

// checkPattern matches value against a parameter's AllowedPattern.
func checkPattern(pattern, value string) error {
	if pattern == "" {
		return nil
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return api.Errorf(codeBadPattern, "The allowed pattern %s is not a valid regular expression.", pattern)
	}
	if !re.MatchString(value) {
		return api.Errorf(codePattern, "Parameter value, cannot be validated against allowedPattern: %s", pattern)
	}
	return nil
}

// validateName checks a parameter name against AWS's rules.
func validateName(name string) error {
	if name == "" || len(name) > 2048 {
		return api.Errorf(codeValidation, "Parameter name must be between 1 and 2048 characters.")
	}
	lower := strings.ToLower(strings.TrimPrefix(name, "/"))
	if strings.HasPrefix(lower, "aws") || strings.HasPrefix(lower, "ssm") {
		return api.Errorf(codeValidation, "Parameter name: can't be prefixed with \"aws\" or \"ssm\" (case-insensitive).")
	}
	if strings.Trim(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-/") != "" {
		return api.Errorf(codeValidation, "Parameter name: can't be prefixed with \"aws\" or \"ssm\" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_")
	}
	if strings.Contains(name, "/") && !strings.HasPrefix(name, "/") {
		return api.Errorf(codeValidation, "Parameter name must be a fully qualified name.")
	}
	if strings.Count(name, "/") > 15 {
		return api.Errorf(codeHierarchy, "Parameter hierarchy level exceeds the maximum of 15 levels.")
	}
	return nil
}

func getParameter(c *api.Call, in *ssm.GetParameterInput) (*ssm.GetParameterOutput, error) {
	ref := aws.ToString(in.Name)
	p, v, selector, err := find(params(c), ref)
	if err != nil {
		return nil, err
	}
	out := view(p, v, aws.ToBool(in.WithDecryption))
	out.Selector = selector
	if selector != nil {
		out.Name = aws.String(p.Name + *selector)
	}
	return &ssm.GetParameterOutput{Parameter: &out}, nil
}

// find resolves a name, ARN or name:version to a parameter and version.
func find(ps map[string]*Parameter, ref string) (*Parameter, *Version, *string, error) {
	name, selector := splitSelector(ref)
	name = resolveName(ps, name)
	p, ok := ps[name]
	if !ok {
		return nil, nil, nil, errNotFound(name)
	}
	if selector == "" {
		return p, p.current(), nil, nil
	}
	n, err := strconv.ParseInt(selector, 10, 64)
	for i := range p.Versions {
		if err == nil && p.Versions[i].Number == n {
			return p, &p.Versions[i], aws.String(":" + selector), nil
		}
	}
	return nil, nil, nil, api.Errorf(codeVersionNotFound, "Systems Manager could not find version %s of %s. Verify the version and try again.", selector, name)
}

// splitSelector splits name:selector; names never contain a colon, but
// ARNs do.
func splitSelector(ref string) (string, string) {
	i := strings.LastIndex(ref, ":")
	if i < 0 || (strings.HasPrefix(ref, "arn:") && i < strings.Index(ref, ":parameter/")+len(":parameter/")) {
		return ref, ""
	}
	return ref[:i], ref[i+1:]
}

// view is a parameter version as GetParameter shows it.
func view(p *Parameter, v *Version, decrypt bool) types.Parameter {
	value := v.Value
	if p.Type == types.ParameterTypeSecureString && !decrypt {
		value = v.Ciphertext
	}
	return types.Parameter{
		ARN: aws.String(p.ARN), Name: aws.String(p.Name), Type: p.Type, Value: aws.String(value),
		Version: v.Number, LastModifiedDate: aws.Time(v.Modified), DataType: aws.String(p.DataType),
	}
}

func getParameters(c *api.Call, in *ssm.GetParametersInput) (*ssm.GetParametersOutput, error) {
	if len(in.Names) == 0 || len(in.Names) > 10 {
		return nil, api.Errorf(codeValidation, "1 validation error detected: Value at 'names' failed to satisfy constraint: Member must have length less than or equal to 10 and greater than or equal to 1")
	}
	out := &ssm.GetParametersOutput{Parameters: []types.Parameter{}, InvalidParameters: []string{}}
	ps := params(c)
	seen := map[string]bool{}
	for _, ref := range in.Names {
		if seen[ref] {
			continue
		}
		seen[ref] = true
		p, v, selector, err := find(ps, ref)
		if err != nil {
			out.InvalidParameters = append(out.InvalidParameters, ref)
			continue
		}
		pv := view(p, v, aws.ToBool(in.WithDecryption))
		pv.Selector = selector
		out.Parameters = append(out.Parameters, pv)
	}
	return out, nil
}

func deleteParameter(c *api.Call, in *ssm.DeleteParameterInput) (*ssm.DeleteParameterOutput, error) {
	ps := params(c)
	name := resolveName(ps, aws.ToString(in.Name))
	if _, ok := ps[name]; !ok {
		return nil, errNotFound(name)
	}
	delete(ps, name)
	return &ssm.DeleteParameterOutput{}, nil
}

func deleteParameters(c *api.Call, in *ssm.DeleteParametersInput) (*ssm.DeleteParametersOutput, error) {
	if len(in.Names) == 0 || len(in.Names) > 10 {
		return nil, api.Errorf(codeValidation, "1 validation error detected: Value at 'names' failed to satisfy constraint: Member must have length less than or equal to 10 and greater than or equal to 1")
	}
	ps := params(c)
	out := &ssm.DeleteParametersOutput{DeletedParameters: []string{}, InvalidParameters: []string{}}
	for _, ref := range in.Names {
		name := resolveName(ps, ref)
		if _, ok := ps[name]; !ok {
			out.InvalidParameters = append(out.InvalidParameters, ref)
			continue
		}
		delete(ps, name)
		out.DeletedParameters = append(out.DeletedParameters, ref)
	}
	return out, nil
}
