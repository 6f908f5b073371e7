package rds

import (
	"crypto/rand"
	"reflect"
	"strings"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
	"github.com/kcstack/kcstack/pkg/sandbox/secretsmanager"
)

const (
	lowerAlnum = "abcdefghijklmnopqrstuvwxyz0123456789"
	upperAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
)

func randomFrom(alphabet string, n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

func randomLower(n int) string { return randomFrom(lowerAlnum, n) }

// resourceID returns prefix-<26 upper-case letters and digits>, the form
// of DbClusterResourceId (cluster-...) and DbiResourceId (db-...).
func resourceID(prefix string) string { return prefix + "-" + randomFrom(upperAlnum, 26) }

func newUUID() string { return secretsmanager.NewUUID() }

// validIdentifier checks AWS's rules for cluster, instance and snapshot
// identifiers: a letter first, then letters, digits and hyphens, no
// trailing hyphen and no two hyphens in a row.
func validIdentifier(id string, max int) bool {
	if id == "" || len(id) > max || !isLetter(id[0]) || strings.HasSuffix(id, "-") || strings.Contains(id, "--") {
		return false
	}
	for i := 0; i < len(id); i++ {
		if !isLetter(id[i]) && !isDigit(id[i]) && id[i] != '-' {
			return false
		}
	}
	return true
}

func checkIdentifier(param, id string, max int) error {
	if validIdentifier(id, max) {
		return nil
	}
	return invalidValue("The parameter %s is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens.", param)
}

func isLetter(b byte) bool { return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') }
func isDigit(b byte) bool  { return b >= '0' && b <= '9' }

func lower(s string) string { return strings.ToLower(s) }

// idFromARN returns the identifier in an RDS ARN of the given kind
// (arn:aws:rds:<region>:<account>:cluster:<id>), or ref unchanged when it
// is not such an ARN.
func idFromARN(ref, kind string) string {
	if !strings.HasPrefix(ref, "arn:") {
		return ref
	}
	parts := strings.SplitN(ref, ":", 7)
	if len(parts) == 7 && parts[2] == "rds" && parts[5] == kind {
		return parts[6]
	}
	return ref
}

// hostedZones are the Route 53 zones of RDS endpoints per region; other
// regions get a made-up one.
var hostedZones = map[string]string{
	"us-east-1": "Z2R2ITUGPM61AM", "us-east-2": "Z2XHWR1WZ565X2", "us-west-2": "Z1PVIF0B656C1W",
	"eu-west-1": "Z29XKXDKYMONMX", "eu-central-1": "Z1RLNUO7B9Q6NB", "eu-west-2": "Z1TTGA775OQIYO",
}

func hostedZone(region string) string {
	if z, ok := hostedZones[region]; ok {
		return z
	}
	return "Z" + strings.ToUpper(strings.ReplaceAll(region, "-", ""))
}

// clone deep-copies an SDK description, so that outputs never alias the
// state.
func clone[T any](v T) T {
	return deepCopy(reflect.ValueOf(&v).Elem()).Interface().(T)
}

// deepCopy copies pointers, slices, maps and the exported fields of
// structs recursively; other values (and unexported struct fields, such as
// time.Time's) are copied as they are.
func deepCopy(v reflect.Value) reflect.Value {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		n := reflect.New(v.Type().Elem())
		n.Elem().Set(deepCopy(v.Elem()))
		return n
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		n := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := range v.Len() {
			n.Index(i).Set(deepCopy(v.Index(i)))
		}
		return n
	case reflect.Map:
		if v.IsNil() {
			return v
		}
		n := reflect.MakeMapWithSize(v.Type(), v.Len())
		for it := v.MapRange(); it.Next(); {
			n.SetMapIndex(it.Key(), deepCopy(it.Value()))
		}
		return n
	case reflect.Struct:
		n := reflect.New(v.Type()).Elem()
		n.Set(v)
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				n.Field(i).Set(deepCopy(v.Field(i)))
			}
		}
		return n
	}
	return v
}

func ptr[T any](v T) *T { return &v }

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// arn builds an RDS ARN for a resource of kind (cluster, db, subgrp,
// cluster-snapshot).
func arn(c *api.Call, kind, id string) string {
	return c.ARN("rds", kind+":"+id)
}
