package clients

import (
	"testing"

	"github.com/kcstack/kcstack/pkg/aws/poll"
	"github.com/kcstack/kcstack/pkg/resource"
)

func TestOver(t *testing.T) {
	o := Options{Stack: "dev", Wait: &poll.Options{}}
	d := resource.Descriptor{Kind: resource.KindVPC}
	got := Over("api", o)(d)
	if got.API != "api" || got.Stack != "dev" || got.Wait != o.Wait || got.Descriptor.Kind != resource.KindVPC {
		t.Errorf("Over(api, o)(d) = %+v, want the base NewBase(d, api, o)", got)
	}
}
