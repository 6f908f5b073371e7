package elasticache

import (
	"crypto/rand"
	"fmt"
	"maps"
	"math/big"
	"reflect"
	"slices"
	"strings"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

// Engines, authentication types and the built-in user.
const (
	engineRedis     = "redis"
	engineValkey    = "valkey"
	authPassword    = "password"
	authNone        = "no-password"
	authIAM         = "iam"
	defaultUserName = "default"
	defaultPort     = 6379
	maxIDLength     = 40
)

const lowerAlnum = "abcdefghijklmnopqrstuvwxyz0123456789"

func randomLower(n int) string {
	b := make([]byte, n)
	for i := range b {
		v, err := rand.Int(rand.Reader, big.NewInt(int64(len(lowerAlnum))))
		if err != nil {
			panic(err) // crypto/rand never fails on supported platforms
		}
		b[i] = lowerAlnum[v.Int64()]
	}
	return string(b)
}

// arn builds arn:aws:elasticache:<region>:<account>:<kind>:<id>.
func arn(c *api.Call, kind, id string) string {
	return c.ARN(ServiceName, kind+":"+id)
}

// checkID applies ElastiCache's identifier rules (replication groups,
// users, user groups): 1 to 40 characters, a letter first, then letters,
// digits and hyphens, no two hyphens in a row and no hyphen last.
func checkID(param, id string) error {
	ok := id != "" && len(id) <= maxIDLength && isLetter(id[0]) &&
		!strings.HasSuffix(id, "-") && !strings.Contains(id, "--")
	for i := 0; ok && i < len(id); i++ {
		ok = isLetter(id[i]) || (id[i] >= '0' && id[i] <= '9') || id[i] == '-'
	}
	if !ok {
		return invalidValue("The parameter %s is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens; and be at most %d characters.", param, maxIDLength)
	}
	return nil
}

func isLetter(b byte) bool { return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') }

// regionShort is the region's short form in ElastiCache endpoints:
// eu-west-1 → euw1, us-east-1 → use1, ap-southeast-2 → apse2.
func regionShort(region string) string {
	parts := strings.Split(region, "-")
	if len(parts) < 3 {
		return region
	}
	short := parts[0]
	for _, p := range parts[1 : len(parts)-1] {
		for _, dir := range []string{"north", "south", "east", "west", "central"} {
			if rest, ok := strings.CutPrefix(p, dir); ok {
				short += dir[:1]
				p = rest
			}
		}
		short += p
	}
	return short + parts[len(parts)-1]
}

// endpointHost is <prefix>.<group>.<label>.<region-short>.cache.amazonaws.com.
func (r *Region) endpointHost(c *api.Call, prefix, group string) string {
	return fmt.Sprintf("%s.%s.%s.%s.cache.amazonaws.com", prefix, group, r.EndpointID, regionShort(c.Region))
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}

func lower(s string) string { return strings.ToLower(s) }

// fromView copies the fields of view (a types.User, types.UserGroup, ...)
// into the operation's output out, which repeats them, and returns out.
func fromView[T any](view any, out *T) *T {
	src := reflect.ValueOf(view)
	dst := reflect.ValueOf(out).Elem()
	for i := range src.NumField() {
		name := src.Type().Field(i).Name
		if f := dst.FieldByName(name); f.IsValid() && f.CanSet() && f.Type() == src.Field(i).Type() {
			f.Set(src.Field(i))
		}
	}
	return out
}
