package stack

import (
	"strings"
)

// Defaults of spec.redis.
const (
	DefaultRedisEngineVersion     = "7.1"
	DefaultRedisNodeType          = "cache.r7g.large"
	DefaultRedisReplicas          = 1
	DefaultRedisMaintenanceWindow = "sun:05:00-sun:06:00"
	DefaultRedisSnapshotWindow    = "03:00-04:00"
	DefaultRedisSnapshotRetention = 7
	// RedisPort is the port of the replication group.
	RedisPort = 6379
)

// RedisEngineVersions are the Redis OSS versions with role-based access
// control (user groups) that ElastiCache runs.
var RedisEngineVersions = []string{"6.0", "6.2", "7.0", "7.1"}

// DefaultRedisParameterGroup returns ElastiCache's default parameter group
// of an engine version's family: default.redis6.x for 6.x,
// default.redis7 for 7.x.
func DefaultRedisParameterGroup(version string) string {
	major, _, _ := strings.Cut(version, ".")
	if major == "6" {
		return "default.redis6.x"
	}
	return "default.redis" + major
}

// RedisGroupID is the replication group's (and user group's, and cache
// subnet group's) identifier: <stack>-redis.
func RedisGroupID(st *Stack) string { return st.Metadata.Name + "-redis" }

// RedisDefaultUserID is the id of the disabled user that takes the place
// of ElastiCache's default user in the user group.
func RedisDefaultUserID(st *Stack) string { return strings.ToLower(st.Metadata.Name + "-default") }

// Key is the application's part of addresses and names: <name>-<environment>.
func (a RedisApplication) Key() string { return a.Name + "-" + a.Environment }

// UserID is the ElastiCache user id of the application: <stack>-<name>-<environment>,
// lower case (ElastiCache stores it so).
func (a RedisApplication) UserID(st *Stack) string {
	return strings.ToLower(st.Metadata.Name + "-" + a.Key())
}

// SecretName is the Secrets Manager secret of the application's password:
// kcstack/<stack>/redis/<name>-<environment>.
func (a RedisApplication) SecretName(st *Stack) string {
	return "kcstack/" + st.Metadata.Name + "/redis/" + a.Key()
}

// AccessString confines the user to its keys and channels <keyPrefix>:*,
// with every command but the dangerous ones (FLUSHALL, KEYS, CONFIG, ...).
func (a RedisApplication) AccessString() string {
	return "on ~" + a.KeyPrefix + ":* &" + a.KeyPrefix + ":* +@all -@dangerous"
}

// EnvPrefix is the prefix of the container variables that carry the
// application's connection: KCSTACK_REDIS_<NAME>_<ENVIRONMENT>, upper
// case, with every character other than a letter or digit written _.
func (a RedisApplication) EnvPrefix() string {
	return "KCSTACK_REDIS_" + envWord(a.Name) + "_" + envWord(a.Environment)
}

func envWord(s string) string {
	var b strings.Builder
	for _, c := range strings.ToUpper(s) {
		if c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			b.WriteRune(c)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}

// RedisFrom returns the applications of st's Redis whose from names target
// (nil without Redis).
func (s *Stack) RedisFrom(target string) []RedisApplication {
	if s.Spec.Redis == nil {
		return nil
	}
	var out []RedisApplication
	for _, a := range s.Spec.Redis.Applications {
		for _, f := range a.From {
			if f == target {
				out = append(out, a)
				break
			}
		}
	}
	return out
}

// redisNodeTypes are the current-generation ElastiCache node types (the
// ElastiCache API reference, CacheNodeType; previous generations can no
// longer be created).
var redisNodeTypes = []string{
	"cache.m7g.large", "cache.m7g.xlarge", "cache.m7g.2xlarge", "cache.m7g.4xlarge", "cache.m7g.8xlarge", "cache.m7g.12xlarge", "cache.m7g.16xlarge",
	"cache.m6g.large", "cache.m6g.xlarge", "cache.m6g.2xlarge", "cache.m6g.4xlarge", "cache.m6g.8xlarge", "cache.m6g.12xlarge", "cache.m6g.16xlarge",
	"cache.m5.large", "cache.m5.xlarge", "cache.m5.2xlarge", "cache.m5.4xlarge", "cache.m5.12xlarge", "cache.m5.24xlarge",
	"cache.m4.large", "cache.m4.xlarge", "cache.m4.2xlarge", "cache.m4.4xlarge", "cache.m4.10xlarge",
	"cache.t4g.micro", "cache.t4g.small", "cache.t4g.medium",
	"cache.t3.micro", "cache.t3.small", "cache.t3.medium",
	"cache.t2.micro", "cache.t2.small", "cache.t2.medium",
	"cache.r7g.large", "cache.r7g.xlarge", "cache.r7g.2xlarge", "cache.r7g.4xlarge", "cache.r7g.8xlarge", "cache.r7g.12xlarge", "cache.r7g.16xlarge",
	"cache.r6g.large", "cache.r6g.xlarge", "cache.r6g.2xlarge", "cache.r6g.4xlarge", "cache.r6g.8xlarge", "cache.r6g.12xlarge", "cache.r6g.16xlarge",
	"cache.r5.large", "cache.r5.xlarge", "cache.r5.2xlarge", "cache.r5.4xlarge", "cache.r5.12xlarge", "cache.r5.24xlarge",
	"cache.r4.large", "cache.r4.xlarge", "cache.r4.2xlarge", "cache.r4.4xlarge", "cache.r4.8xlarge", "cache.r4.16xlarge",
}

func defaultRedis(s *Stack) {
	r := s.Spec.Redis
	if r == nil {
		return
	}
	setString(&r.EngineVersion, DefaultRedisEngineVersion)
	setString(&r.NodeType, DefaultRedisNodeType)
	setInt(&r.Replicas, DefaultRedisReplicas)
	setString(&r.ParameterGroup, DefaultRedisParameterGroup(r.EngineVersion))
	setString(&r.MaintenanceWindow, DefaultRedisMaintenanceWindow)
	setString(&r.SnapshotWindow, DefaultRedisSnapshotWindow)
	if r.SnapshotRetentionDays == nil {
		days := DefaultRedisSnapshotRetention
		r.SnapshotRetentionDays = &days
	}
	if !r.SkipFinalSnapshot && s.Metadata.Name != "" {
		setString(&r.FinalSnapshotIdentifier, RedisGroupID(s)+"-final")
	}
}
