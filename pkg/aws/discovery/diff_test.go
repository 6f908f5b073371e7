package discovery

import (
	"testing"

	"github.com/kcstack/kcstack/pkg/aws/awstest"
	"github.com/kcstack/kcstack/pkg/resource"
)

func TestDiff(t *testing.T) {
	ns := resource.Props{"name": "kc.internal", "vpc_id": "vpc-1"}
	svc := resource.Props{"name": "keycloak-discovery", "namespace_id": "ns-1", "dns_ttl": int64(10), "record_type": "A", "routing_policy": "MULTIVALUE"}
	b := resource.Props{"name": "b", "region": "eu-west-1", "encryption": "AES256", "block_public_access": true}
	awstest.CheckDiffs(t, Register, map[string]awstest.DiffCase{
		"namespace vpc unreported": {Reason: "Cloud Map does not report a namespace's VPC: no difference", Kind: resource.KindDNSNamespace, Desired: ns, Live: awstest.Without(ns, "vpc_id")},
		"namespace new vpc":        {Reason: "a new VPC (known after apply) replaces the namespace", Kind: resource.KindDNSNamespace, Desired: awstest.With(ns, "vpc_id", resource.Ref{Address: "t.vpc", Attr: "id"}), Live: awstest.Without(ns, "vpc_id"), Want: []string{"vpc_id (replace: a private DNS namespace stays in the VPC it was created in) (known after apply)"}},
		"namespace renamed":        {Reason: "the name is the DNS suffix", Kind: resource.KindDNSNamespace, Desired: awstest.With(ns, "name", "other.internal"), Live: awstest.Without(ns, "vpc_id"), Want: []string{"name (replace: a Cloud Map namespace cannot be renamed)"}},
		"service ttl":              {Reason: "the TTL changes in place", Kind: resource.KindDiscoveryService, Desired: awstest.With(svc, "dns_ttl", int64(5)), Live: svc, Want: []string{"dns_ttl"}},
		"service renamed":          {Reason: "the name is in -Djgroups.dns.query", Kind: resource.KindDiscoveryService, Desired: awstest.With(svc, "name", "kc"), Live: svc, Want: []string{"name (replace: a Cloud Map service cannot be renamed)"}},
		"bucket unblocked":         {Reason: "the public access block is set in place", Kind: resource.KindBucket, Desired: b, Live: awstest.With(b, "block_public_access", false), Want: []string{"block_public_access"}},
		"bucket unencrypted":       {Reason: "encryption is set in place", Kind: resource.KindBucket, Desired: b, Live: awstest.With(b, "encryption", ""), Want: []string{"encryption"}},
		"bucket renamed":           {Reason: "a bucket keeps its name", Kind: resource.KindBucket, Desired: awstest.With(b, "name", "c"), Live: b, Want: []string{"name (replace: a bucket cannot be renamed)"}},
	})
}
