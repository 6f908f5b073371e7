package aurora

import (
	"errors"
	"strings"

	"github.com/aws/smithy-go"
)

// AWS error codes this package tells apart.
const (
	codeClusterNotFound     = "DBClusterNotFoundFault"
	codeInstanceNotFound    = "DBInstanceNotFound"
	codeSubnetGroupNotFound = "DBSubnetGroupNotFoundFault"
	codeClusterExists       = "DBClusterAlreadyExistsFault"
	codeInstanceExists      = "DBInstanceAlreadyExists"
	codeSubnetGroupExists   = "DBSubnetGroupAlreadyExists"
	codeInvalidCombination  = "InvalidParameterCombination"
	codeClusterState        = "InvalidDBClusterStateFault"
	codeInstanceState       = "InvalidDBInstanceState"
	codeSnapshotExists      = "DBClusterSnapshotAlreadyExistsFault"
)

// errorCode returns the AWS error code of err, "" when it has none.
func errorCode(err error) string {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		return apiErr.ErrorCode()
	}
	return ""
}

// isCode reports whether err is an AWS error with one of the codes.
func isCode(err error, codes ...string) bool {
	code := errorCode(err)
	for _, c := range codes {
		if code != "" && code == c {
			return true
		}
	}
	return false
}

// isNotFound reports whether err says an RDS resource does not exist.
func isNotFound(err error) bool {
	return isCode(err, codeClusterNotFound, codeInstanceNotFound, codeSubnetGroupNotFound)
}

// errorMessage returns the AWS error message of err, or its text.
func errorMessage(err error) string {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		return apiErr.ErrorMessage()
	}
	if err != nil {
		return err.Error()
	}
	return ""
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}
