package discovery

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/resource"
)

func paths(diffs []resource.FieldDiff) []string {
	var out []string
	for _, d := range diffs {
		p := d.Path
		if d.ForcesReplace {
			p += " (replace: " + d.Reason + ")"
		}
		out = append(out, p)
	}
	return out
}

func TestDiff(t *testing.T) {
	ns := resource.Props{"name": "kc.internal", "vpc_id": "vpc-1"}
	svc := resource.Props{"name": "keycloak-discovery", "namespace_id": "ns-1", "dns_ttl": int64(10), "record_type": "A", "routing_policy": "MULTIVALUE"}
	b := resource.Props{"name": "b", "region": "eu-west-1", "encryption": "AES256", "block_public_access": true}
	with := func(p resource.Props, k string, v any) resource.Props {
		out := resource.Props{}
		for key, val := range p {
			out[key] = val
		}
		out[k] = v
		return out
	}
	without := func(p resource.Props, k string) resource.Props {
		out := with(p, k, nil)
		delete(out, k)
		return out
	}
	cases := map[string]struct {
		reason  string
		handler resource.Handler
		desired resource.Props
		live    resource.Props
		want    []string
	}{
		"namespace vpc unreported": {"Cloud Map does not report a namespace's VPC: no difference", &NamespaceHandler{}, ns, without(ns, "vpc_id"), nil},
		"namespace new vpc": {"a new VPC (known after apply) replaces the namespace", &NamespaceHandler{}, with(ns, "vpc_id", resource.Ref{Address: "t.vpc", Attr: "id"}), without(ns, "vpc_id"),
			[]string{"vpc_id (replace: a private DNS namespace stays in the VPC it was created in)"}},
		"namespace renamed": {"the name is the DNS suffix", &NamespaceHandler{}, with(ns, "name", "other.internal"), without(ns, "vpc_id"),
			[]string{"name (replace: a Cloud Map namespace cannot be renamed)"}},
		"service ttl":        {"the TTL changes in place", &ServiceHandler{}, with(svc, "dns_ttl", int64(5)), svc, []string{"dns_ttl"}},
		"service renamed":    {"the name is in -Djgroups.dns.query", &ServiceHandler{}, with(svc, "name", "kc"), svc, []string{"name (replace: a Cloud Map service cannot be renamed)"}},
		"bucket unblocked":   {"the public access block is set in place", &BucketHandler{}, b, with(b, "block_public_access", false), []string{"block_public_access"}},
		"bucket unencrypted": {"encryption is set in place", &BucketHandler{}, b, with(b, "encryption", ""), []string{"encryption"}},
		"bucket renamed":     {"a bucket keeps its name", &BucketHandler{}, with(b, "name", "c"), b, []string{"name (replace: a bucket cannot be renamed)"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := paths(tc.handler.Diff(resource.Desired{Props: tc.desired}, resource.Observation{Exists: true, Props: tc.live}))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}
