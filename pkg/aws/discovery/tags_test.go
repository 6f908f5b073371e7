package discovery_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	sd "github.com/aws/aws-sdk-go-v2/service/servicediscovery"
	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/aws/awserr"
	"github.com/kcstack/kcstack/pkg/aws/clients"
	"github.com/kcstack/kcstack/pkg/aws/discovery"
	"github.com/kcstack/kcstack/pkg/resource"
	"github.com/kcstack/kcstack/pkg/sandbox/sandboxtest"
)

// TestSetTags calls SetTags on a bucket or a Cloud Map namespace made
// tagged team=identity, env=dev, and reads its tags back with the
// service's own API.
func TestSetTags(t *testing.T) {
	cases := map[string]struct {
		reason   string
		kind     resource.Kind
		set      map[string]string
		remove   []string
		gone     bool
		noARN    bool
		wantTags map[string]string
		wantErr  string // an AWS error code, or "any"
	}{
		"BucketAddChangeRemove": {
			reason:   "the bucket gets its whole tag set with set applied and remove removed",
			kind:     resource.KindBucket,
			set:      map[string]string{"team": "platform", "cost-center": "42"},
			remove:   []string{"env"},
			wantTags: map[string]string{"team": "platform", "cost-center": "42"},
		},
		"BucketRemoveAbsent": {
			reason:   "removing a key the bucket lacks is not an error",
			kind:     resource.KindBucket,
			remove:   []string{"owner"},
			wantTags: map[string]string{"team": "identity", "env": "dev"},
		},
		"BucketRemoveAll": {
			reason:   "a bucket left without tags has its tag set deleted (S3 refuses an empty one)",
			kind:     resource.KindBucket,
			remove:   []string{"team", "env"},
			wantTags: map[string]string{},
		},
		"BucketGone": {
			reason:  "a bucket that no longer exists is an error the engine reports",
			kind:    resource.KindBucket,
			set:     map[string]string{"team": "platform"},
			gone:    true,
			wantErr: "NoSuchBucket",
		},
		"NamespaceAddChangeRemove": {
			reason:   "TagResource adds and changes keys, UntagResource drops them",
			kind:     resource.KindDNSNamespace,
			set:      map[string]string{"team": "platform", "cost-center": "42"},
			remove:   []string{"env"},
			wantTags: map[string]string{"team": "platform", "cost-center": "42"},
		},
		"NamespaceRemoveAbsent": {
			reason:   "removing a key the namespace lacks is not an error",
			kind:     resource.KindDNSNamespace,
			remove:   []string{"owner"},
			wantTags: map[string]string{"team": "identity", "env": "dev"},
		},
		"NamespaceGone": {
			reason:  "a namespace that no longer exists is an error the engine reports",
			kind:    resource.KindDNSNamespace,
			remove:  []string{"env"},
			gone:    true,
			wantErr: "ResourceNotFoundException",
		},
		"NamespaceWithoutARN": {
			reason:  "an observation without the ARN cannot be tagged",
			kind:    resource.KindDNSNamespace,
			set:     map[string]string{"team": "platform"},
			noARN:   true,
			wantErr: "any",
		},
	}
	cfg := sandboxtest.AWSConfig(t, sandboxtest.New(t))
	byKind := handlers(cfg)
	cl := byHand{cloudMap: sd.NewFromConfig(cfg), s3: s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })}
	vpc := newVPC(t, ec2.NewFromConfig(cfg))
	i := 0
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			i++
			h := byKind[tc.kind]
			d := resource.Desired{Address: "t.resource", Kind: tc.kind, Tags: map[string]string{"team": "identity", "env": "dev"}, Props: resource.Props{
				"name": fmt.Sprintf("set-tags-%d.kcstack.internal", i), "vpc_id": vpc, "region": sandboxtest.Region, "encryption": "AES256", "block_public_access": true,
			}}
			ob, err := h.Create(ctx, d)
			if err != nil {
				t.Fatalf("create: %v", err)
			}
			if tc.gone {
				if err := h.Delete(ctx, ob, nil); err != nil {
					t.Fatalf("delete: %v", err)
				}
			}
			if tc.noARN {
				ob.Attrs = nil
			}
			err = h.(resource.Tagger).SetTags(ctx, ob, tc.set, tc.remove)
			switch {
			case tc.wantErr == "" && err != nil, tc.wantErr != "" && err == nil:
				t.Fatalf("%s\nSetTags: error %v, want %q", tc.reason, err, tc.wantErr)
			case tc.wantErr != "" && tc.wantErr != "any" && awserr.Code(err) != tc.wantErr:
				t.Fatalf("%s\nSetTags: error %v, want code %s", tc.reason, err, tc.wantErr)
			case err != nil:
				return
			}
			if diff := cmp.Diff(tc.wantTags, cl.tagsOf(t, ob)); diff != "" {
				t.Errorf("%s\ntags (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}

// tagsOf reads the tags of a bucket or namespace through its service.
func (cl byHand) tagsOf(t *testing.T, ob resource.Observation) map[string]string {
	t.Helper()
	if ob.Kind == resource.KindBucket {
		return bucketTags(t, cl.s3, ob.ID)
	}
	out, err := cl.cloudMap.ListTagsForResource(context.Background(), &sd.ListTagsForResourceInput{ResourceARN: aws.String(ob.Attrs["arn"])})
	if err != nil {
		t.Fatalf("list tags of %s: %v", ob.Attrs["arn"], err)
	}
	got := map[string]string{}
	for _, tag := range out.Tags {
		got[aws.ToString(tag.Key)] = aws.ToString(tag.Value)
	}
	return got
}

func newVPC(t *testing.T, api *ec2.Client) string {
	t.Helper()
	out, err := api.CreateVpc(context.Background(), &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	if err != nil {
		t.Fatalf("create VPC: %v", err)
	}
	return aws.ToString(out.Vpc.VpcId)
}

// handlers returns this package's handlers over cfg, by kind.
func handlers(cfg aws.Config) map[resource.Kind]resource.Handler {
	set := &clients.Set{}
	discovery.Register(set, clients.New(cfg), clients.Options{Stack: stack})
	byKind := map[resource.Kind]resource.Handler{}
	for _, h := range set.Handlers {
		byKind[h.Describe().Kind] = h
	}
	return byKind
}
