package secretsmanager

import "github.com/kcstack/kcstack/pkg/sandbox/api"

// Error codes Secrets Manager answers with (all HTTP 400).
const (
	codeNotFound     = "ResourceNotFoundException"
	codeExists       = "ResourceExistsException"
	codeInvalidParam = "InvalidParameterException"
	codeInvalidReq   = "InvalidRequestException"
	codeBadToken     = "InvalidNextTokenException"
)

func errNotFound() *api.Error {
	return api.Errorf(codeNotFound, "Secrets Manager can't find the specified secret.")
}

func errMarkedForDeletion() *api.Error {
	return api.Errorf(codeInvalidReq, "You can't perform this operation on the secret because it was marked for deletion.")
}
