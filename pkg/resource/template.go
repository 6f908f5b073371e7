package resource

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
)

// Placeholder returns how a template names the value of the desired prop
// prop: ${prop}. A Desired whose generated form depends on values known
// only after apply keeps that form as a template in its options, the
// values as props (Refs until resolved), and its handler fills the
// template with FillJSON once the props are resolved.
func Placeholder(prop string) string { return "${" + prop + "}" }

// placeholder matches a Placeholder: a prop name of lowercase letters,
// digits and underscores.
var placeholder = regexp.MustCompile(`\$\{([a-z][a-z0-9_]*)\}`)

// FillJSON returns the JSON text tmpl with every Placeholder replaced by
// the value of its prop in p, escaped for a JSON string. It returns an
// error naming the props a placeholder refers to that are missing, empty,
// not strings, or still Refs.
func FillJSON(tmpl string, p Props) (string, error) {
	missing := map[string]bool{}
	var err error
	out := placeholder.ReplaceAllStringFunc(tmpl, func(m string) string {
		prop := placeholder.FindStringSubmatch(m)[1]
		v, ok := p[prop].(string)
		if !ok || v == "" {
			missing[prop] = true
			return m
		}
		b, merr := json.Marshal(v)
		if merr != nil {
			err = fmt.Errorf("encode prop %s: %w", prop, merr)
			return m
		}
		return string(b[1 : len(b)-1])
	})
	if len(missing) > 0 {
		return "", fmt.Errorf("props missing: %s", strings.Join(SortedKeys(missing), ", "))
	}
	if err != nil {
		return "", err
	}
	return out, nil
}
