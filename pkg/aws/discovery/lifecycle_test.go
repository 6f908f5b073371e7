package discovery_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/kcstack/kcstack/pkg/aws/awstest"
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
	for i := range ds {
		ds[i].Tags = map[string]string{resource.TagStack: stack, resource.TagAddress: ds[i].Address}
	}
	return ds
}

func TestLifecycleAgainstSandbox(t *testing.T) {
	srv := sandboxtest.New(t)
	cfg := sandboxtest.AWSConfig(t, srv)
	netHandlers, netObservers := network.Handlers(ec2.NewFromConfig(cfg), stack)
	handlers, observer := discovery.New(cfg, stack)
	c := awstest.NewCycle(t, stack, append(netHandlers, handlers...), append(netObservers, observer))
	ds := desired(10)
	c.Apply(c.Plan(ds, false))
	if got := awstest.Changes(c.Plan(ds, false)); len(got) > 0 {
		t.Fatalf("after apply: %v, want no changes", got)
	}
	shorter := desired(5)
	p := c.Plan(shorter, false)
	if got := awstest.Changes(p); len(got) != 1 || got["t.discovery-service"] != plan.ActionUpdate {
		t.Fatalf("TTL changed: %v, want only the Cloud Map service updated", got)
	}
	c.Apply(p)
	if got := awstest.Changes(c.Plan(shorter, false)); len(got) > 0 {
		t.Fatalf("after the update: %v, want no changes", got)
	}
	api := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	if _, err := api.PutObject(context.Background(), &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String("ISPN/10.0.1.5"), Body: strings.NewReader("member")}); err != nil {
		t.Fatalf("put a member file: %v", err)
	}
	c.Apply(c.Plan(shorter, true))
	if p := c.Plan(shorter, false); p.Summary.Add != len(shorter) || p.Summary.Destroy != 0 {
		t.Errorf("after destroy (the bucket emptied first): %+v, want everything to add again", p.Summary)
	}
}
