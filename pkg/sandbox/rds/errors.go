package rds

import "github.com/kcstack/kcstack/pkg/sandbox/api"

// Error codes as the RDS model's error shapes spell them.
const (
	codeInvalidValue           = "InvalidParameterValue"
	codeInvalidCombination     = "InvalidParameterCombination"
	codeClusterNotFound        = "DBClusterNotFoundFault"
	codeClusterExists          = "DBClusterAlreadyExistsFault"
	codeClusterState           = "InvalidDBClusterStateFault"
	codeInstanceNotFound       = "DBInstanceNotFound"
	codeInstanceExists         = "DBInstanceAlreadyExists"
	codeInstanceState          = "InvalidDBInstanceState"
	codeSubnetGroupNotFound    = "DBSubnetGroupNotFoundFault"
	codeSubnetGroupExists      = "DBSubnetGroupAlreadyExists"
	codeSubnetGroupState       = "InvalidDBSubnetGroupStateFault"
	codeSubnetGroupAZs         = "DBSubnetGroupDoesNotCoverEnoughAZs"
	codeInvalidSubnet          = "InvalidSubnet"
	codeSnapshotNotFound       = "DBClusterSnapshotNotFoundFault"
	codeSnapshotExists         = "DBClusterSnapshotAlreadyExistsFault"
	codeSnapshotState          = "InvalidDBClusterSnapshotStateFault"
	codeInvalidVPCNetworkState = "InvalidVPCNetworkStateFault"
)

func errClusterNotFound(id string) *api.Error {
	return api.NotFound(codeClusterNotFound, "DBCluster %s not found.", id)
}

func errInstanceNotFound(id string) *api.Error {
	return api.NotFound(codeInstanceNotFound, "DBInstance %s not found.", id)
}

func errSubnetGroupNotFound(name string) *api.Error {
	return api.NotFound(codeSubnetGroupNotFound, "DBSubnetGroup %s not found.", name)
}

func errSnapshotNotFound(id string) *api.Error {
	return api.NotFound(codeSnapshotNotFound, "DBClusterSnapshot %s not found.", id)
}

func invalidValue(format string, args ...any) *api.Error {
	return api.Errorf(codeInvalidValue, format, args...)
}

func invalidCombination(format string, args ...any) *api.Error {
	return api.Errorf(codeInvalidCombination, format, args...)
}
