package ssm

import "github.com/kcstack/kcstack/pkg/sandbox/api"

// Error codes Parameter Store answers with (all HTTP 400).
const (
	codeValidation      = "ValidationException"
	codeExists          = "ParameterAlreadyExists"
	codeNotFound        = "ParameterNotFound"
	codeVersionNotFound = "ParameterVersionNotFound"
	codeHierarchy       = "HierarchyLevelLimitExceededException"
	codePattern         = "ParameterPatternMismatchException"
	codeBadPattern      = "InvalidAllowedPatternException"
	codeBadFilterKey    = "InvalidFilterKey"
	codeBadFilterOption = "InvalidFilterOption"
	codeBadFilterValue  = "InvalidFilterValue"
	codeBadToken        = "InvalidNextToken"
	codeBadResourceType = "InvalidResourceType"
	codeBadResourceID   = "InvalidResourceId"
)

func errNotFound(name string) *api.Error {
	return api.Errorf(codeNotFound, "Parameter %s not found.", name)
}
