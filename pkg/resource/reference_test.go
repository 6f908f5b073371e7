package resource

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestReferencePatterns: a reference ending in * declares every property
// with its prefix (one per Redis application), and one property may hold
// references to resources of several kinds (a role naming the database's
// secret and the Redis secrets).
func TestReferencePatterns(t *testing.T) {
	d := Descriptor{References: []Reference{
		{Prop: "allow_resources", Kind: KindDBCluster, Attr: "master_user_secret_arn"},
		{Prop: "allow_resources", Kind: KindSecret, Attr: "arn"},
		{Prop: "redis_secret_arn_*", Kind: KindSecret, Attr: "arn"},
	}}
	for _, c := range []struct {
		prop string
		kind Kind
		ok   bool
	}{
		{"allow_resources", KindDBCluster, true},
		{"allow_resources", KindSecret, true},
		{"allow_resources", KindBucket, false},
		{"redis_secret_arn_shop_prod", KindSecret, true},
		{"redis_secret_arn_", KindSecret, true},
		{"redis_secret", KindSecret, false},
		{"xredis_secret_arn_a", KindSecret, false},
	} {
		if _, ok := d.Reference(c.prop, c.kind); ok != c.ok {
			t.Errorf("Reference(%s, %s) = %v, want %v", c.prop, c.kind, ok, c.ok)
		}
	}
	props := Props{"redis_secret_arn_b": "x", "redis_secret_arn_a": "y", "family": "f"}
	if diff := cmp.Diff([]string{"redis_secret_arn_a", "redis_secret_arn_b"}, d.References[2].In(props)); diff != "" {
		t.Errorf("In (-want +got):\n%s", diff)
	}
	if got := d.References[0].In(props); got != nil {
		t.Errorf("In = %v for a property not there", got)
	}
}
