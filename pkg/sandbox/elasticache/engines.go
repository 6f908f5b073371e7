package elasticache

import (
	"regexp"
	"strconv"
	"strings"
)

// engineVersions lists the versions the sandbox offers per engine, oldest
// first; the last is the default.
var engineVersions = map[string][]string{
	engineRedis:  {"4.0.10", "5.0.6", "6.0", "6.2", "7.0", "7.1"},
	engineValkey: {"7.2", "8.0"},
}

// nodeFamilies and nodeSizes make up the node types the sandbox knows
// (cache.<family>.<size>).
var (
	nodeFamilies = []string{"t2", "t3", "t4g", "m4", "m5", "m6g", "m7g", "r4", "r5", "r6g", "r6gd", "r7g", "c7gn"}
	nodeSizes    = []string{"micro", "small", "medium", "large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge", "24xlarge"}
)

const defaultNodeType = "cache.t3.micro"

// checkNodeType reports whether the node type is one AWS offers.
func checkNodeType(t string) error {
	parts := strings.Split(t, ".")
	if len(parts) == 3 && parts[0] == "cache" && contains(nodeFamilies, parts[1]) && contains(nodeSizes, parts[2]) {
		return nil
	}
	return invalidValue("Invalid CacheNodeType %q: use a node type such as cache.t4g.small or cache.r7g.large.", t)
}

// checkEngineVersion returns the version to use for engine: the default
// when none is given, and an error for a version the engine does not
// have. A major version alone ("7") means its newest minor.
func checkEngineVersion(engine, version string) (string, error) {
	versions := engineVersions[engine]
	if version == "" {
		return versions[len(versions)-1], nil
	}
	for i := len(versions) - 1; i >= 0; i-- {
		if versions[i] == version || strings.HasPrefix(versions[i], version+".") {
			return versions[i], nil
		}
	}
	return "", invalidValue("Cannot find version %s for %s.", version, engine)
}

// compareVersions compares dotted versions numerically.
func compareVersions(a, b string) int {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < max(len(pa), len(pb)); i++ {
		var x, y int
		if i < len(pa) {
			x, _ = strconv.Atoi(pa[i])
		}
		if i < len(pb) {
			y, _ = strconv.Atoi(pb[i])
		}
		if x != y {
			return x - y
		}
	}
	return 0
}

// parameterFamily is the default parameter group of an engine version:
// default.redis7, default.redis6.x, default.redis5.0, default.valkey8.
func parameterFamily(engine, version string) string {
	major, _, _ := strings.Cut(version, ".")
	switch {
	case engine == engineRedis && major == "6":
		return "default.redis6.x"
	case engine == engineRedis && (major == "4" || major == "5"):
		return "default.redis" + major + ".0"
	}
	return "default." + engine + major
}

// checkParameterGroup accepts the default parameter group of the engine
// version (cluster mode off) and refuses others, which the sandbox does
// not hold.
func checkParameterGroup(name, engine, version string) (string, error) {
	def := parameterFamily(engine, version)
	if name == "" || name == def {
		return def, nil
	}
	if strings.HasPrefix(name, "default.") {
		return "", invalidCombination("Cache parameter group %s does not fit engine %s %s: use %s.", name, engine, version, def)
	}
	return "", errNotFound(codeParameterGroupNotFound, "CacheParameterGroup", name)
}

var (
	snapshotWindow    = regexp.MustCompile(`^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$`)
	maintenanceWindow = regexp.MustCompile(`^(sun|mon|tue|wed|thu|fri|sat):([01]\d|2[0-3]):[0-5]\d-(sun|mon|tue|wed|thu|fri|sat):([01]\d|2[0-3]):[0-5]\d$`)
)

// Windows AWS would pick; the sandbox picks fixed ones.
const (
	defaultSnapshotWindow    = "03:00-04:00"
	defaultMaintenanceWindow = "sun:05:00-sun:06:00"
)

func checkWindows(snapshot, maintenance *string) error {
	if snapshot != nil && !snapshotWindow.MatchString(*snapshot) {
		return invalidValue("SnapshotWindow %q must have the form hh24:mi-hh24:mi (UTC).", *snapshot)
	}
	if maintenance != nil && !maintenanceWindow.MatchString(lower(*maintenance)) {
		return invalidValue("PreferredMaintenanceWindow %q must have the form ddd:hh24:mi-ddd:hh24:mi (UTC).", *maintenance)
	}
	return nil
}
