package discovery

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"golang.org/x/sync/errgroup"

	"github.com/kcstack/kcstack/pkg/aws/awserr"
	"github.com/kcstack/kcstack/pkg/aws/clients"
	"github.com/kcstack/kcstack/pkg/aws/ownership"
	"github.com/kcstack/kcstack/pkg/aws/tagged"
	"github.com/kcstack/kcstack/pkg/resource"
)

// Observer reads the stack's Cloud Map namespaces and services and its
// buckets (round 2). The tagging API says which claim to be the stack's;
// ListNamespaces, ListServices (per namespace found) and ListBuckets
// confirm them and catch untagged look-alikes at desired names. Buckets'
// public access block and encryption are read one bucket at a time (S3
// has no batch read). It is a part of the shared tagging observer
// (tagged.Observer).
type Observer struct {
	CloudMap CloudMapAPI
	S3       S3API
}

var _ clients.TaggedObserver = (*Observer)(nil)

// kinds are the kinds Observer reads.
var kinds = []resource.Kind{resource.KindDNSNamespace, resource.KindDiscoveryService, resource.KindBucket}

// ObserveTagged reads them given the stack's tagged resources: Cloud Map
// and S3 are only called when the stack desires or owns their kinds.
func (o *Observer) ObserveTagged(ctx context.Context, q resource.Query, listed map[string]map[string]string) ([]resource.Observation, error) {
	c := &ownership.Collector{}
	g, ctx := errgroup.WithContext(ctx)
	if ownership.Wanted(q, listed, ":servicediscovery:", resource.KindDNSNamespace, resource.KindDiscoveryService) {
		g.Go(func() error { return o.cloudMap(ctx, q, listed, c) })
	}
	if ownership.Wanted(q, listed, ":s3:", resource.KindBucket) {
		g.Go(func() error { return o.buckets(ctx, q, listed, c) })
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return ownership.Complete(q, c.Observations(), kinds...), nil
}

func (o *Observer) cloudMap(ctx context.Context, q resource.Query, listed map[string]map[string]string, c *ownership.Collector) error {
	nss, err := listNamespaces(ctx, o.CloudMap)
	if err != nil {
		return err
	}
	g, ctx := errgroup.WithContext(ctx)
	for _, ns := range nss {
		arn, name, id := aws.ToString(ns.Arn), aws.ToString(ns.Name), aws.ToString(ns.Id)
		tags, err := o.listedTags(ctx, arn, listed)
		if err != nil {
			return err
		}
		addr, ok := ownership.Address(q, resource.KindDNSNamespace, propNamespaceName, name, tags)
		if !ok {
			continue
		}
		ob := namespaceObservation(id, arn, name, addr, q.Stack, tags)
		c.Add(ob)
		if ob.Owned {
			g.Go(func() error { return o.services(ctx, q, id, listed, c) })
		}
	}
	return g.Wait()
}

func (o *Observer) services(ctx context.Context, q resource.Query, namespace string, listed map[string]map[string]string, c *ownership.Collector) error {
	svcs, err := listServices(ctx, o.CloudMap, namespace)
	if err != nil {
		return err
	}
	for _, s := range svcs {
		arn := aws.ToString(s.Arn)
		tags, err := o.listedTags(ctx, arn, listed)
		if err != nil {
			return err
		}
		if tags[resource.TagStack] != q.Stack || tags[resource.TagAddress] == "" {
			continue // in the stack's namespace but not its own: never deleted
		}
		c.Add(serviceObservation(aws.ToString(s.Id), arn, aws.ToString(s.Name), namespace, s.DnsConfig, tags[resource.TagAddress], q.Stack, tags))
	}
	return nil
}

func (o *Observer) buckets(ctx context.Context, q resource.Query, listed map[string]map[string]string, c *ownership.Collector) error {
	out, err := o.S3.ListBuckets(ctx, &s3.ListBucketsInput{})
	if err != nil {
		return fmt.Errorf("list buckets: %w", err)
	}
	g, ctx := errgroup.WithContext(ctx)
	for _, b := range out.Buckets {
		name := aws.ToString(b.Name)
		tags, found := listed["arn:aws:s3:::"+name]
		if !found && !desiredBucket(q, name) {
			continue // neither listed as the stack's nor at a desired name: not read
		}
		g.Go(func() error {
			if !found {
				var err error
				if tags, err = o.bucketTags(ctx, name); err != nil {
					return err
				}
			}
			addr, ok := ownership.Address(q, resource.KindBucket, propBucketName, name, tags)
			if !ok {
				return nil
			}
			region, err := o.bucketRegion(ctx, b)
			if err != nil {
				return err
			}
			props, err := readBucket(ctx, o.S3, name)
			if err == nil {
				c.Add(bucketObservation(name, region, addr, q.Stack, tags, props))
			}
			return err
		})
	}
	return g.Wait()
}

// listedTags returns the tags of a namespace or service: from the
// tagging API's answer, or from Cloud Map when it did not list it
// (untagged, or a tagging API that misses Cloud Map, as moto's does).
func (o *Observer) listedTags(ctx context.Context, arn string, listed map[string]map[string]string) (map[string]string, error) {
	if tags, ok := listed[arn]; ok {
		return tags, nil
	}
	return cloudMapTags(ctx, o.CloudMap, arn)
}

// bucketTags reads the tags of a bucket the tagging API did not list.
func (o *Observer) bucketTags(ctx context.Context, name string) (map[string]string, error) {
	out, err := o.S3.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: aws.String(name)})
	switch {
	case awserr.Is(err, "NoSuchTagSet"):
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("get tags of bucket %s: %w", name, err)
	}
	return tagged.Map(out.TagSet, func(t s3types.Tag) (*string, *string) { return t.Key, t.Value }), nil
}

// bucketRegion is the region ListBuckets reported, or GetBucketLocation's
// when it did not (moto's ListBuckets leaves it out).
func (o *Observer) bucketRegion(ctx context.Context, b s3types.Bucket) (string, error) {
	if r := aws.ToString(b.BucketRegion); r != "" {
		return r, nil
	}
	out, err := o.S3.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: b.Name})
	if err != nil {
		return "", fmt.Errorf("get location of bucket %s: %w", aws.ToString(b.Name), err)
	}
	if out.LocationConstraint == "" {
		return "us-east-1", nil
	}
	return string(out.LocationConstraint), nil
}

func desiredBucket(q resource.Query, name string) bool {
	for _, d := range ownership.DesiredOfKind(q, resource.KindBucket) {
		if resource.Read(d.Props).OptString(propBucketName) == name {
			return true
		}
	}
	return false
}
