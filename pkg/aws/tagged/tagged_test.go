package tagged

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	taggingtypes "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi/types"
	"github.com/google/go-cmp/cmp"
)

func TestMap(t *testing.T) {
	kv := func(t taggingtypes.Tag) (*string, *string) { return t.Key, t.Value }
	cases := map[string]struct {
		reason string
		tags   []taggingtypes.Tag
		want   map[string]string
	}{
		"None": {
			reason: "no tags is an empty, non-nil map",
			want:   map[string]string{},
		},
		"NilValue": {
			reason: "a nil key or value reads as the empty string",
			tags:   []taggingtypes.Tag{{Key: aws.String("a"), Value: aws.String("1")}, {Key: aws.String("b")}},
			want:   map[string]string{"a": "1", "b": ""},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := Map(tc.tags, kv)
			if diff := cmp.Diff(tc.want, got); diff != "" || got == nil {
				t.Errorf("%s\nMap(...): -want +got:\n%s", tc.reason, diff)
			}
		})
	}
}
