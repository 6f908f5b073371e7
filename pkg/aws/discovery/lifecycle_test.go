package discovery_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	sd "github.com/aws/aws-sdk-go-v2/service/servicediscovery"
	sdtypes "github.com/aws/aws-sdk-go-v2/service/servicediscovery/types"
	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/aws/awserr"
	"github.com/kcstack/kcstack/pkg/aws/awstest"
	"github.com/kcstack/kcstack/pkg/aws/clients"
	"github.com/kcstack/kcstack/pkg/aws/discovery"
	"github.com/kcstack/kcstack/pkg/aws/network"
	"github.com/kcstack/kcstack/pkg/plan"
	"github.com/kcstack/kcstack/pkg/resource"
	"github.com/kcstack/kcstack/pkg/sandbox/sandboxtest"
)

const (
	stack  = "discovery-test"
	bucket = "discovery-test-eu-west-1-jgroups"
)

func ref(a, attr string) resource.Ref { return resource.Ref{Address: a, Attr: attr} }

// desired is a VPC, the dns-ping namespace and service in it, and the
// s3-ping bucket.
func desired(ttl int64) []resource.Desired {
	ds := []resource.Desired{
		{Address: "t.vpc", Kind: resource.KindVPC, Props: resource.Props{"cidr_block": "10.0.0.0/16"}},
		{Address: "t.dns-namespace", Kind: resource.KindDNSNamespace, Props: resource.Props{"name": "discovery-test.kcstack.internal", "vpc_id": ref("t.vpc", "id")}, DependsOn: []string{"t.vpc"}},
		{Address: "t.discovery-service", Kind: resource.KindDiscoveryService, Props: resource.Props{
			"name": "keycloak-discovery", "namespace_id": ref("t.dns-namespace", "id"), "dns_ttl": ttl, "record_type": "A", "routing_policy": "MULTIVALUE",
		}, DependsOn: []string{"t.dns-namespace"}},
		{Address: "discovery.bucket", Kind: resource.KindBucket, Props: resource.Props{"name": bucket, "region": "eu-west-1", "encryption": "AES256", "block_public_access": true}},
	}
	return awstest.Tagged(ds, stack, ours)
}

// ours reports whether d is of one of this package's kinds.
var ours = awstest.OfKinds(resource.KindDNSNamespace, resource.KindDiscoveryService, resource.KindBucket)

// byHand are the SDK clients the test reads and tags with by hand.
type byHand struct {
	cloudMap *sd.Client
	s3       *s3.Client
}

// liveTags reads the tags of the Cloud Map resources with Cloud Map's
// ListTagsForResource, at the ARNs p observed, and the bucket's with
// S3's GetBucketTagging (none: an empty map).
func (cl byHand) liveTags(t *testing.T, p *plan.Plan) map[string]map[string]string {
	t.Helper()
	ctx := context.Background()
	got := map[string]map[string]string{}
	for _, c := range p.Changes {
		switch {
		case c.Observed == nil:
		case c.Kind == resource.KindDNSNamespace, c.Kind == resource.KindDiscoveryService:
			out, err := cl.cloudMap.ListTagsForResource(ctx, &sd.ListTagsForResourceInput{ResourceARN: aws.String(c.Observed.Attrs["arn"])})
			if err != nil {
				t.Fatalf("list tags of %s: %v", c.Address, err)
			}
			got[c.Address] = map[string]string{}
			for _, tag := range out.Tags {
				got[c.Address][aws.ToString(tag.Key)] = aws.ToString(tag.Value)
			}
		case c.Kind == resource.KindBucket:
			got[c.Address] = bucketTags(t, cl.s3, c.Observed.ID)
		}
	}
	return got
}

// bucketTags reads the tags of bucket name with GetBucketTagging.
func bucketTags(t *testing.T, api *s3.Client, name string) map[string]string {
	t.Helper()
	got := map[string]string{}
	out, err := api.GetBucketTagging(context.Background(), &s3.GetBucketTaggingInput{Bucket: aws.String(name)})
	if awserr.Code(err) == "NoSuchTagSet" {
		return got
	}
	if err != nil {
		t.Fatalf("get tags of bucket %s: %v", name, err)
	}
	for _, tag := range out.TagSet {
		got[aws.ToString(tag.Key)] = aws.ToString(tag.Value)
	}
	return got
}

// checkLiveTags compares the live tags of this package's resources with
// ds's.
func (cl byHand) checkLiveTags(t *testing.T, p *plan.Plan, ds []resource.Desired) {
	t.Helper()
	want := map[string]map[string]string{}
	for _, d := range ds {
		if ours(d) {
			want[d.Address] = d.Tags
		}
	}
	if diff := cmp.Diff(want, cl.liveTags(t, p)); diff != "" {
		t.Errorf("live tags (-want +got):\n%s", diff)
	}
}

func TestLifecycleAgainstSandbox(t *testing.T) {
	srv := sandboxtest.New(t)
	cfg := sandboxtest.AWSConfig(t, srv)
	c, _ := awstest.NewSetCycle(t, stack, clients.New(cfg), network.Register, discovery.Register)
	ds := desired(10)
	c.Apply(c.Plan(ds, false))
	c.NoChanges(ds, "after apply")
	shorter := desired(5)
	c.Update(shorter, map[string]plan.Action{"t.discovery-service": plan.ActionUpdate}, "TTL changed")
	cl := byHand{cloudMap: sd.NewFromConfig(cfg), s3: s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })}
	retag := awstest.Retag(shorter, ours)
	checkTags(t, c, cl, retag)
	if _, err := cl.s3.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String("ISPN/10.0.1.5"), Body: strings.NewReader("member")}); err != nil {
		t.Fatalf("put a member file: %v", err)
	}
	c.DestroyAll(retag) // the bucket is emptied first
}

// checkTags changes the tags of every discovery resource to retag's, then
// removes a tag added by hand to the Cloud Map service and the bucket.
func checkTags(t *testing.T, c *awstest.Cycle, cl byHand, retag []resource.Desired) {
	t.Helper()
	ctx := context.Background()
	p := awstest.ApplyRetag(t, c, retag, ours)
	cl.checkLiveTags(t, p, retag)

	live := cl.liveTags(t, p)
	svc := awstest.Observed(t, p, "t.discovery-service").Attrs["arn"]
	if _, err := cl.cloudMap.TagResource(ctx, &sd.TagResourceInput{ResourceARN: aws.String(svc), Tags: []sdtypes.Tag{{Key: aws.String("owner"), Value: aws.String("someone")}}}); err != nil {
		t.Fatalf("tag the Cloud Map service by hand: %v", err)
	}
	byHand := []s3types.Tag{{Key: aws.String("owner"), Value: aws.String("someone")}}
	for k, v := range live["discovery.bucket"] {
		byHand = append(byHand, s3types.Tag{Key: aws.String(k), Value: aws.String(v)})
	}
	if _, err := cl.s3.PutBucketTagging(ctx, &s3.PutBucketTaggingInput{Bucket: aws.String(bucket), Tagging: &s3types.Tagging{TagSet: byHand}}); err != nil {
		t.Fatalf("tag the bucket by hand: %v", err)
	}
	p = c.Plan(retag, false)
	owner := []resource.FieldDiff{{Path: "tags.owner", Before: "someone"}}
	awstest.CheckUpdates(t, p, map[string][]resource.FieldDiff{"t.discovery-service": owner, "discovery.bucket": owner})
	c.Apply(p)
	p = c.Plan(retag, false)
	awstest.CheckUpdates(t, p, nil)
	cl.checkLiveTags(t, p, retag)
}

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
	cfg := sandboxtest.AWSConfig(t, sandboxtest.New(t))
	byKind := handlers(cfg)
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
