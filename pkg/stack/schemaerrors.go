package stack

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/kcstack/kcstack/schema"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// patternText says in words what the schema's patterns require.
var patternText = map[string]string{
	`^[a-z]([-a-z0-9]*[a-z0-9])?$`:                                   "must be a DNS label: lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen",
	`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`:                                "must be a DNS label: lower-case letters, digits and hyphens, not starting or ending with a hyphen",
	`^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$`:                      "must be an AWS region such as eu-west-1",
	`^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9][a-z]$`:                 "must be an availability zone such as eu-west-1a",
	`^[0-9]{1,3}(\.[0-9]{1,3}){3}/[0-9]{1,2}$`:                       "must be an IPv4 CIDR such as 10.0.0.0/16",
	`^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+$`: "must be a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>)",
	`^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/.+$`:       "must be an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)",
	`^vpc-[0-9a-f]{8,17}$`:                                           "must be a VPC ID such as vpc-0a1b2c3d4e5f67890",
	`^subnet-[0-9a-f]{8,17}$`:                                        "must be a subnet ID such as subnet-0a1b2c3d4e5f67890",
	`^[0-9]+\.[0-9]+\.[0-9]+$`:                                       `must be a quoted MAJOR.MINOR.PATCH version such as "26.4.2"`,
	`^[0-9]+\.[0-9]+$`:                                               `must be a quoted MAJOR.MINOR version such as "16.8"`,
	`^db\.[a-z0-9-]+\.[a-z0-9]+$`:                                    "must be a DB instance class such as db.r7g.large",
	`^[a-zA-Z][a-zA-Z0-9_]{0,62}$`:                                   "must start with a letter and hold only letters, digits and underscores (at most 63)",
	`^[a-z0-9]+(-[a-z0-9]+)*(:v[0-9]+)?$`:                            "must be a Keycloak feature name such as token-exchange or persistent-user-sessions:v1",
	`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`:                             "must be an S3 bucket name: 3 to 63 lower-case letters, digits, dots and hyphens",
	`^[a-z0-9]+(-{1,2}[a-z0-9]+)*$`:                                  "must be a Keycloak option name without leading dashes, such as log-level",
	`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`:                                  "may hold only letters, digits, spaces and _ . : / = + - @, the characters every AWS service accepts in tags",
	`^[A-Za-z0-9][A-Za-z0-9._/:@#-]*$`:                               "must be a container image reference such as quay.io/keycloak/keycloak:26.4.2",
	`^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$`:                  "must be a Kubernetes label value: letters, digits, -, _ and ., starting and ending with a letter or digit",
}

// schemaDiagnostics checks doc against the schema and turns every failure
// into a diagnostic with its field path.
func schemaDiagnostics(doc any, t *tree) (Diagnostics, error) {
	err := schema.Validate(doc)
	if err == nil {
		return nil, nil
	}
	var verr *jsonschema.ValidationError
	if !errors.As(err, &verr) {
		return nil, fmt.Errorf("check schema: %w", err)
	}
	var ds Diagnostics
	used := map[string]bool{}
	for _, leaf := range leaves(verr, nil) {
		if k, ok := leaf.ErrorKind.(*kind.PropertyNames); ok {
			ds = append(ds, t.badKey(doc, k.Property, used)...)
			continue
		}
		ds = append(ds, describeFailure(leaf, doc, t)...)
	}
	return ds, nil
}

// leaves returns the failures without causes: the ones that say what is
// wrong. A propertyNames failure is kept whole: its causes only repeat it.
func leaves(e *jsonschema.ValidationError, out []*jsonschema.ValidationError) []*jsonschema.ValidationError {
	if _, ok := e.ErrorKind.(*kind.PropertyNames); ok || len(e.Causes) == 0 {
		return append(out, e)
	}
	for _, c := range e.Causes {
		out = leaves(c, out)
	}
	return out
}

// fieldPath turns an instance location into a field path, using doc to
// tell array indexes from keys.
func fieldPath(doc any, loc []string) string {
	path, cur := "", doc
	for _, tok := range loc {
		switch v := cur.(type) {
		case []any:
			i, _ := strconv.Atoi(tok)
			path = index(path, i)
			if i >= 0 && i < len(v) {
				cur = v[i]
			}
		case map[string]any:
			path = field(path, tok)
			cur = v[tok]
		default:
			path = field(path, tok)
		}
	}
	return path
}

// describeFailure explains one schema failure in the user's terms.
func describeFailure(e *jsonschema.ValidationError, doc any, t *tree) Diagnostics {
	path := fieldPath(doc, e.InstanceLocation)
	switch k := e.ErrorKind.(type) {
	case *kind.AdditionalProperties:
		return t.atKeys(unknownKeys(path, e.InstanceLocation, k.Properties))
	case *kind.Required:
		return missingKeys(path, k.Missing)
	case *kind.Type:
		return Diagnostics{typeMismatch(path, k, t.source(path))}
	case *kind.Enum:
		return Diagnostics{enumMismatch(path, k)}
	case *kind.Const:
		return Diagnostics{errorf(path, "", "must be %s", describe(k.Want))}
	case *kind.Pattern:
		return Diagnostics{patternMismatch(path, k)}
	}
	d := boundFailure(path, e.ErrorKind, t.source(path))
	if _, below := e.ErrorKind.(*kind.Minimum); below && d.Hint == "" {
		d.Hint = minimumHints[path]
	}
	if rule := ruleOf(e.InstanceLocation); rule != "" && upperBound(e.ErrorKind) {
		d.Message += ": " + rule
	}
	return Diagnostics{d}
}

// minimumHints say why a field has its lower bound, where that is not
// plain.
var minimumHints = map[string]string{
	"spec.redis.replicas": "automatic failover and Multi-AZ need a replica in another zone to promote: use 1 or more",
}

// upperBound reports whether k is a value over its schema's bound, which
// the schema's x-rule explains.
func upperBound(k jsonschema.ErrorKind) bool {
	switch k.(type) {
	case *kind.Maximum, *kind.MaxLength, *kind.MaxItems, *kind.MaxProperties:
		return true
	}
	return false
}

// ruleOf returns the rule the schema names (x-rule) for the bounds of the
// value at the instance location loc: where its limits come from.
func ruleOf(loc []string) string {
	rule, _ := schema.Lookup(loc)["x-rule"].(string)
	return rule
}

// boundFailure explains size and range failures. A number is quoted as
// written (source) so that 0x7fffffffffffffff or 1e400 reads as the user
// wrote it, not as its hundreds of digits.
func boundFailure(path string, k jsonschema.ErrorKind, source string) Diagnostic {
	number := func(r interface{ RatString() string }) string {
		if source != "" {
			return source
		}
		return r.RatString()
	}
	switch k := k.(type) {
	case *kind.Minimum:
		return errorf(path, "", "must be at least %s, not %s", k.Want.RatString(), number(k.Got))
	case *kind.Maximum:
		return errorf(path, "", "must be at most %s, not %s", k.Want.RatString(), number(k.Got))
	case *kind.MinItems:
		return errorf(path, "", "must list at least %d item(s)", k.Want)
	case *kind.MaxItems:
		return errorf(path, "", "must list at most %d items, not %d", k.Want, k.Got)
	case *kind.MinLength:
		return errorf(path, "", "must not be empty")
	case *kind.MaxLength:
		return errorf(path, "", "must be at most %d characters long, not %d", k.Want, k.Got)
	case *kind.MaxProperties:
		return errorf(path, "", "must hold at most %d entries, not %d", k.Want, k.Got)
	case *kind.UniqueItems:
		return errorf(index(path, k.Duplicates[1]), "remove the repeated item",
			"repeats item %d", k.Duplicates[0])
	}
	return errorf(path, "", "%s", k.LocalizedString(printer))
}

var printer = message.NewPrinter(language.English)

func unknownKeys(path string, loc, keys []string) Diagnostics {
	allowed := schema.Properties(loc)
	var ds Diagnostics
	for _, key := range keys {
		ds = append(ds, errorf(field(path, key), didYouMean(key, allowed), "unknown key %q", key))
	}
	return ds
}

func missingKeys(path string, keys []string) Diagnostics {
	var ds Diagnostics
	for _, key := range keys {
		where := path
		if where == "" {
			where = "the top level"
		}
		ds = append(ds, errorf(field(path, key), "add "+key+" to "+where, "missing required key %q", key))
	}
	return ds
}

func typeMismatch(path string, k *kind.Type, source string) Diagnostic {
	want := strings.Join(k.Want, " or ")
	hint := ""
	if slices.Contains(k.Want, "string") && (k.Got == "number" || k.Got == "integer" || k.Got == "boolean") {
		hint = fmt.Sprintf("quote it: %q", source)
	}
	if k.Got == "string" && (slices.Contains(k.Want, "integer") || slices.Contains(k.Want, "number") || slices.Contains(k.Want, "boolean")) {
		hint = "remove the quotes"
	}
	if k.Got == "null" {
		hint = "give it a value or remove the key"
	}
	return errorf(path, hint, "must be %s %s, not %s", article(want), want, k.Got)
}

func article(word string) string {
	if strings.IndexByte("aeiou", word[0]) >= 0 {
		return "an"
	}
	return "a"
}

func enumMismatch(path string, k *kind.Enum) Diagnostic {
	var want []string
	for _, w := range k.Want {
		want = append(want, fmt.Sprint(w))
	}
	got := fmt.Sprint(k.Got)
	hint := ""
	if s := suggest(got, want); s != "" {
		hint = "did you mean " + quote(s) + "?"
	}
	if strings.HasSuffix(path, "discovery.mode") {
		if h, ok := cacheStackHints[got]; ok {
			hint = h
		}
	}
	return errorf(path, hint, "%s is not one of %s", describe(k.Got), strings.Join(want, ", "))
}

// cacheStackHints explains Keycloak's cache-stack names written as a
// discovery mode.
var cacheStackHints = map[string]string{
	"tcp":        "multicast discovery does not work in AWS VPCs; use jdbc-ping",
	"udp":        "multicast discovery does not work in AWS VPCs; use jdbc-ping",
	"kubernetes": `did you mean "dns-ping"? (the kubernetes cache stack is DNS_PING)`,
	"ec2":        `did you mean "s3-ping"? (the ec2 cache stack is S3_PING)`,
}

func patternMismatch(path string, k *kind.Pattern) Diagnostic {
	text, ok := patternText[k.Want]
	if !ok {
		text = "must match " + k.Want
	}
	return errorf(path, "", "%q %s", k.Got, text)
}

// badKey reports a key of a free-form map (tags, extraOptions) that the
// schema's propertyNames refused. The library's instance location for this
// failure is unreliable (it shares a slice it later changes), so the key is
// found by name among the free-form maps' keys, each reported once.
func (t *tree) badKey(doc any, key string, used map[string]bool) Diagnostics {
	var paths []string
	walkKeys(doc, "", func(p string) {
		if !used[p] && inFreeMap(p) && field(parent(p), key) == p {
			paths = append(paths, p)
		}
	})
	if len(paths) == 0 {
		return Diagnostics{errorf("", "", "invalid key %q", key)}
	}
	slices.Sort(paths)
	path := paths[0]
	used[path] = true
	d := errorf(path, "", "invalid key %q", key)
	switch up := parent(path); {
	case strings.HasSuffix(up, ".extraOptions"):
		d.Message = fmt.Sprintf("%q is not a Keycloak option name", key)
		d.Hint = "write the option name as in keycloak.conf, without -- or KC_: " + optionName(key)
	case strings.HasSuffix(up, ".tags"):
		d.Message = fmt.Sprintf("tag key %q must be 1 to 127 characters long", key)
		if up == "spec.tags" {
			d.Message = fmt.Sprintf("tag key %q must be 1 to 127 letters, digits, spaces and _ . : / = + - @", key)
			d.Hint = "these are the characters every AWS service accepts in tags"
		}
	case strings.HasSuffix(up, ".labels"):
		d.Message = fmt.Sprintf("label key %q is not a Kubernetes label key", key)
		d.Hint = "write an optional DNS prefix and a name of at most 63 letters, digits, -, _ and ., such as app.kubernetes.io/name"
	}
	return t.atKeys(Diagnostics{d})
}

// optionName suggests the keycloak.conf form of an option written as an
// environment variable or a command-line flag.
func optionName(key string) string {
	name := strings.Join(splitWords(strings.TrimPrefix(strings.TrimPrefix(key, "--"), "KC_")), "-")
	if name == "" || name == key {
		return "such as log-level"
	}
	return name
}

// walkKeys calls fn with the field path of every key in doc.
func walkKeys(doc any, path string, fn func(string)) {
	switch v := doc.(type) {
	case map[string]any:
		for k, child := range v {
			p := field(path, k)
			fn(p)
			walkKeys(child, p, fn)
		}
	case []any:
		for i, child := range v {
			walkKeys(child, index(path, i), fn)
		}
	}
}
