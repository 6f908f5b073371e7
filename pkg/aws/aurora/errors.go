package aurora

import (
	"strings"

	"github.com/kcstack/kcstack/pkg/aws/awserr"
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

// isNotFound reports whether err says an RDS resource does not exist.
func isNotFound(err error) bool {
	return awserr.Is(err, codeClusterNotFound, codeInstanceNotFound, codeSubnetGroupNotFound)
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}
