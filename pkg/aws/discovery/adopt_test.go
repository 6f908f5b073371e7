package discovery_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	sd "github.com/aws/aws-sdk-go-v2/service/servicediscovery"
	sdtypes "github.com/aws/aws-sdk-go-v2/service/servicediscovery/types"
	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/aws/clients"
	"github.com/kcstack/kcstack/pkg/aws/discovery"
	"github.com/kcstack/kcstack/pkg/resource"
	"github.com/kcstack/kcstack/pkg/sandbox/sandboxtest"
)

// TestServiceCreateAdopts makes a Cloud Map service by hand, without the
// creator request id kcstack would send (so Cloud Map refuses kcstack's
// create with ServiceAlreadyExists, as it may for a retry whose first
// answer was lost), then creates the same service through the handler:
// a service tagged with the stack and address is adopted, any other is
// refused with an error that names it.
func TestServiceCreateAdopts(t *testing.T) {
	cases := map[string]struct {
		reason  string
		tags    map[string]string
		wantErr string // a part of the error, "" when adopted
	}{
		"Ours": {
			reason: "the service carries this stack's and address's tags: an earlier call made it",
			tags:   map[string]string{resource.TagStack: stack, resource.TagAddress: "t.discovery-service"},
		},
		"OtherAddress": {
			reason:  "a service of this stack at another address is not the one asked for",
			tags:    map[string]string{resource.TagStack: stack, resource.TagAddress: "t.other-service"},
			wantErr: "which kcstack does not own for t.discovery-service",
		},
		"Foreign": {
			reason:  "a service no stack owns is never taken over",
			tags:    map[string]string{"team": "someone"},
			wantErr: "which kcstack does not own for t.discovery-service",
		},
	}
	srv := sandboxtest.New(t)
	cfg := sandboxtest.AWSConfig(t, srv)
	set := &clients.Set{}
	discovery.Register(set, clients.New(cfg), clients.Options{Stack: stack})
	byKind := map[resource.Kind]resource.Handler{}
	for _, h := range set.Handlers {
		byKind[h.Describe().Kind] = h
	}
	api := sd.NewFromConfig(cfg)
	vpc := newVPC(t, ec2.NewFromConfig(cfg))
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			ns, err := byKind[resource.KindDNSNamespace].Create(ctx, resource.Desired{Address: "t.dns-namespace", Kind: resource.KindDNSNamespace,
				Props: resource.Props{"name": strings.ToLower(name) + ".kcstack.internal", "vpc_id": vpc}})
			if err != nil {
				t.Fatalf("create the namespace: %v", err)
			}
			made, err := api.CreateService(ctx, &sd.CreateServiceInput{
				Name: aws.String("keycloak-discovery"), NamespaceId: aws.String(ns.ID), Tags: tagList(tc.tags),
				DnsConfig: &sdtypes.DnsConfig{RoutingPolicy: sdtypes.RoutingPolicyMultivalue, DnsRecords: []sdtypes.DnsRecord{{Type: sdtypes.RecordTypeA, TTL: aws.Int64(10)}}},
			})
			if err != nil {
				t.Fatalf("create the service by hand: %v", err)
			}
			ob, err := byKind[resource.KindDiscoveryService].Create(ctx, resource.Desired{
				Address: "t.discovery-service", Kind: resource.KindDiscoveryService,
				Tags:  map[string]string{resource.TagStack: stack, resource.TagAddress: "t.discovery-service"},
				Props: resource.Props{"name": "keycloak-discovery", "namespace_id": ns.ID, "dns_ttl": int64(10), "record_type": "A", "routing_policy": "MULTIVALUE"},
			})
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), aws.ToString(made.Service.Id)) {
					t.Fatalf("%s\ncreate: error %v, want one naming %s with %q", tc.reason, err, aws.ToString(made.Service.Id), tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("%s\ncreate: %v", tc.reason, err)
			}
			got := map[string]any{"id": ob.ID, "owned": ob.Owned, "address": ob.Address, "ttl": ob.Props["dns_ttl"]}
			want := map[string]any{"id": aws.ToString(made.Service.Id), "owned": true, "address": "t.discovery-service", "ttl": int64(10)}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s\nadopted service (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}

func tagList(m map[string]string) []sdtypes.Tag {
	var out []sdtypes.Tag
	for k, v := range m {
		out = append(out, sdtypes.Tag{Key: aws.String(k), Value: aws.String(v)})
	}
	return out
}
