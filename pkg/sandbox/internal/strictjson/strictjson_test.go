package strictjson_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/sandbox/internal/strictjson"
)

type inner struct {
	Name string            `json:"name"`
	Tags map[string]string `json:"tags,omitempty"`
	When time.Time         `json:"when"`
}

type Embedded struct {
	Shared string
}

type outer struct {
	Embedded
	Regions map[string]map[string]*inner `json:"regions"`
	List    []inner                      `json:"list"`
	Plain   *struct{ CamelCase int }
	Skipped string `json:"-"`
}

func TestDecode(t *testing.T) {
	cases := map[string]struct {
		reason string
		data   string
		want   string // the unknown key's path, "" for none
	}{
		"valid":          {reason: "every key known, tags a free map, a field matched case-insensitively", data: `{"Shared":"s","regions":{"eu-west-1":{"a":{"name":"x","tags":{"any":"1"},"when":"2024-01-01T00:00:00Z"}}},"list":[{"name":"y"}],"Plain":{"camelcase":1}}`},
		"top level":      {reason: "an unknown key at the top", data: `{"regions":{},"colour":"red"}`, want: "state.colour"},
		"in a map value": {reason: "an unknown key inside a map's struct value names the map keys", data: `{"regions":{"eu-west-1":{"a":{"name":"x","size":3}}}}`, want: "state.regions.eu-west-1.a.size"},
		"in a list":      {reason: "an unknown key in a list element names its index", data: `{"list":[{"name":"y"},{"nome":"z"}]}`, want: "state.list[1].nome"},
		"skipped field":  {reason: "a field tagged json:\"-\" is unknown to the file", data: `{"Skipped":"x"}`, want: "state.Skipped"},
		"anonymous":      {reason: "an unknown key in an anonymous struct", data: `{"Plain":{"Other":1}}`, want: "state.Plain.Other"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var got outer
			err := strictjson.Decode([]byte(tc.data), &got, "state")
			var unknown *strictjson.UnknownKeyError
			path := ""
			if errors.As(err, &unknown) {
				path = unknown.Path
			} else if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if diff := cmp.Diff(tc.want, path); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}

func TestDecodeKeepsOtherErrors(t *testing.T) {
	var got outer
	err := strictjson.Decode([]byte(`{"list":"not a list"}`), &got, "state")
	var unknown *strictjson.UnknownKeyError
	if err == nil || errors.As(err, &unknown) {
		t.Errorf("a type mismatch: want encoding/json's error, got %v", err)
	}
}
