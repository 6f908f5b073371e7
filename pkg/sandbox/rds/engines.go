package rds

import (
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/rds/types"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

// engineAuroraPostgreSQL is the one engine the emulation runs.
const engineAuroraPostgreSQL = "aurora-postgresql"

// engineVersions are real Aurora PostgreSQL versions, oldest first.
var engineVersions = []string{"15.10", "15.12", "15.13", "16.6", "16.8", "16.9", "17.4", "17.5"}

// defaultEngineVersion is the version CreateDBCluster picks when the
// request names none.
const defaultEngineVersion = "16.8"

func knownVersion(v string) bool {
	for _, known := range engineVersions {
		if v == known {
			return true
		}
	}
	return false
}

func major(v string) string {
	m, _, _ := strings.Cut(v, ".")
	return m
}

// versionLess compares dotted versions numerically.
func versionLess(a, b string) bool {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) && i < len(bs); i++ {
		x, _ := strconv.Atoi(as[i])
		y, _ := strconv.Atoi(bs[i])
		if x != y {
			return x < y
		}
	}
	return len(as) < len(bs)
}

func parameterGroupFamily(v string) string { return engineAuroraPostgreSQL + major(v) }

func describeDBEngineVersions(_ *api.Call, in *rds.DescribeDBEngineVersionsInput) (*rds.DescribeDBEngineVersionsOutput, error) {
	var out []types.DBEngineVersion
	for _, v := range engineVersions {
		if wantsVersion(in, v) {
			out = append(out, engineVersion(v))
		}
	}
	pageOf, marker, err := page(out, in.Marker, in.MaxRecords)
	if err != nil {
		return nil, err
	}
	return &rds.DescribeDBEngineVersionsOutput{DBEngineVersions: pageOf, Marker: marker}, nil
}

func wantsVersion(in *rds.DescribeDBEngineVersionsInput, v string) bool {
	switch {
	case in.Engine != nil && *in.Engine != engineAuroraPostgreSQL:
		return false
	case in.EngineVersion != nil && *in.EngineVersion != v && *in.EngineVersion != major(v):
		return false
	case in.DBParameterGroupFamily != nil && *in.DBParameterGroupFamily != parameterGroupFamily(v):
		return false
	case deref(in.DefaultOnly) && v != defaultEngineVersion:
		return false
	}
	return true
}

func engineVersion(v string) types.DBEngineVersion {
	ev := types.DBEngineVersion{
		Engine: ptr(engineAuroraPostgreSQL), EngineVersion: ptr(v), MajorEngineVersion: ptr(major(v)),
		DBEngineDescription:        ptr("Aurora (PostgreSQL)"),
		DBEngineVersionDescription: ptr("Aurora PostgreSQL (Compatible with PostgreSQL " + v + ")"),
		DBParameterGroupFamily:     ptr(parameterGroupFamily(v)), Status: ptr("available"),
		SupportedEngineModes: []string{"provisioned"}, ExportableLogTypes: []string{"instance", "postgresql"},
		SupportsLogExportsToCloudwatchLogs: ptr(true), SupportsReadReplica: ptr(false),
		SupportsGlobalDatabases: ptr(true), SupportsBabelfish: ptr(true), SupportsLocalWriteForwarding: ptr(true),
		SupportsLimitlessDatabase: ptr(false), SupportsIntegrations: ptr(false), SupportsParallelQuery: ptr(false),
		SupportsCertificateRotationWithoutRestart: ptr(true), SupportedFeatureNames: []string{"Lambda", "s3Export", "s3Import"},
	}
	for _, target := range engineVersions {
		if versionLess(v, target) {
			ev.ValidUpgradeTarget = append(ev.ValidUpgradeTarget, types.UpgradeTarget{
				Engine: ptr(engineAuroraPostgreSQL), EngineVersion: ptr(target), Description: ptr("Aurora PostgreSQL " + target),
				AutoUpgrade: ptr(false), IsMajorVersionUpgrade: ptr(major(target) != major(v)),
				SupportedEngineModes: []string{"provisioned"},
			})
		}
	}
	return ev
}
