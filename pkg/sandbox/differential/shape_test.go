package differential_test

import (
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// shape describes an SDK output as paths to generalized values: which
// fields are set, and for each a value with the random parts of ids, ARNs,
// endpoints and UUIDs replaced by their format (vpc-<hex17>). Values of a
// list's elements are merged under path[]; a list's length is path#len.
func shape(v any) map[string]string {
	acc := map[string]map[string]bool{}
	walk(reflect.ValueOf(v), "", acc)
	out := make(map[string]string, len(acc))
	for path, vals := range acc {
		list := make([]string, 0, len(vals))
		for v := range vals {
			list = append(list, v)
		}
		sort.Strings(list)
		out[path] = strings.Join(list, " | ")
	}
	return out
}

var timeType = reflect.TypeOf(time.Time{})

func walk(v reflect.Value, path string, acc map[string]map[string]bool) {
	add := func(s string) {
		if acc[path] == nil {
			acc[path] = map[string]bool{}
		}
		acc[path][s] = true
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walk(v.Elem(), path, acc)
		}
	case reflect.Struct:
		if v.Type() == timeType {
			add("<time>")
			return
		}
		for i := range v.NumField() {
			f := v.Type().Field(i)
			if f.IsExported() && f.Name != "ResultMetadata" {
				walk(v.Field(i), strings.TrimPrefix(path+"."+f.Name, "."), acc)
			}
		}
	case reflect.Slice, reflect.Array:
		if v.Len() == 0 {
			return
		}
		if v.Type().Elem().Kind() == reflect.Uint8 {
			add(fmt.Sprintf("<%d bytes>", v.Len()))
			return
		}
		acc[path+"#len"] = map[string]bool{strconv.Itoa(v.Len()): true}
		for i := range v.Len() {
			walk(v.Index(i), path+"[]", acc)
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			walk(v.MapIndex(k), path+"{"+generalize(fmt.Sprint(k))+"}", acc)
		}
	case reflect.String:
		add(generalize(v.String()))
	case reflect.Bool:
		add(strconv.FormatBool(v.Bool()))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		add(strconv.FormatInt(v.Int(), 10))
	case reflect.Float32, reflect.Float64:
		add(strconv.FormatFloat(v.Float(), 'g', -1, 64))
	}
}

// generalizations replace random parts by their format, in order.
var generalizations = []struct {
	re   *regexp.Regexp
	repl string
}{
	{regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`), "<uuid>"},
	{regexp.MustCompile(`(:secret:[^:]+)-[A-Za-z0-9]{6}$`), "$1-<rand6>"},
	{regexp.MustCompile(`\b(cluster|db)-[A-Z0-9]{26}\b`), "$1-<ID26>"},
	{regexp.MustCompile(`\.(cluster-(?:ro-)?)?[a-z0-9]{12}\.([a-z0-9-]+)\.rds\.amazonaws\.com`), ".$1<hash12>.$2.rds.amazonaws.com"},
	{regexp.MustCompile(`\.[a-z0-9]{6}\.([a-z0-9]+)\.cache\.amazonaws\.com`), ".<label6>.$1.cache.amazonaws.com"},
	{regexp.MustCompile(`^[a-z]{3}:\d\d:\d\d-[a-z]{3}:\d\d:\d\d$`), "<ddd:hh:mm-ddd:hh:mm>"},
	{regexp.MustCompile(`^\d\d:\d\d-\d\d:\d\d$`), "<hh:mm-hh:mm>"},
	{regexp.MustCompile(`\b([a-z]+(?:-[a-z]+)*)-[0-9a-f]{17}\b`), "$1-<hex17>"},
	{regexp.MustCompile(`\b([a-z]+(?:-[a-z]+)*)-[0-9a-f]{8}\b`), "$1-<hex8>"},
}

func generalize(s string) string {
	for _, g := range generalizations {
		s = g.re.ReplaceAllString(s, g.repl)
	}
	return s
}
