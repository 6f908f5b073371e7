package discovery

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	sd "github.com/aws/aws-sdk-go-v2/service/servicediscovery"
	"golang.org/x/sync/errgroup"

	"github.com/kcstack/kcstack/pkg/aws/ownership"
	"github.com/kcstack/kcstack/pkg/resource"
)

// Observer reads the stack's Cloud Map namespaces and services and its
// buckets (round 2). The tagging API says which claim to be the stack's;
// ListNamespaces, ListServices (per namespace found) and ListBuckets
// confirm them and catch untagged look-alikes at desired names. Buckets'
// public access block and encryption are read one bucket at a time (S3
// has no batch read).
type Observer struct {
	CloudMap CloudMapAPI
	S3       S3API
	Tagging  ownership.TaggingAPI
}

var _ resource.Observer = (*Observer)(nil)

// Round is 2, as ownership.Shared's.
func (o *Observer) Round() int { return 2 }

// Observe reads namespaces, services and buckets.
func (o *Observer) Observe(ctx context.Context, q resource.Query) ([]resource.Observation, error) {
	return ownership.ObserveAlone(ctx, o.Tagging, q, o, ResourceTypes...)
}

// ResourceTypes are the tagging API types of this package's kinds.
var ResourceTypes = []string{"servicediscovery:namespace", "servicediscovery:service", "s3:bucket"}

// ObserveTagged reads them given the stack's tagged resources: Cloud Map
// and S3 are only called when the stack desires or owns their kinds.
func (o *Observer) ObserveTagged(ctx context.Context, q resource.Query, tagged map[string]map[string]string) ([]resource.Observation, error) {
	kinds := []resource.Kind{resource.KindDNSNamespace, resource.KindDiscoveryService, resource.KindBucket}
	c := &ownership.Collector{}
	g, ctx := errgroup.WithContext(ctx)
	if ownership.Wanted(q, tagged, ":servicediscovery:", resource.KindDNSNamespace, resource.KindDiscoveryService) {
		g.Go(func() error { return o.cloudMap(ctx, q, tagged, c) })
	}
	if ownership.Wanted(q, tagged, ":s3:", resource.KindBucket) {
		g.Go(func() error { return o.buckets(ctx, q, tagged, c) })
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	return ownership.Complete(q, c.Observations(), kinds...), nil
}

func (o *Observer) cloudMap(ctx context.Context, q resource.Query, tagged map[string]map[string]string, c *ownership.Collector) error {
	nss, err := listNamespaces(ctx, o.CloudMap)
	if err != nil {
		return err
	}
	g, ctx := errgroup.WithContext(ctx)
	for _, ns := range nss {
		arn, name, id := aws.ToString(ns.Arn), aws.ToString(ns.Name), aws.ToString(ns.Id)
		tags, err := o.cloudMapTags(ctx, arn, tagged)
		if err != nil {
			return err
		}
		addr, ok := ownership.Address(q, resource.KindDNSNamespace, "name", name, tags)
		if !ok {
			continue
		}
		ob := namespaceObservation(id, arn, name, addr, q.Stack, tags)
		c.Add(ob)
		if ob.Owned {
			g.Go(func() error { return o.services(ctx, q, id, tagged, c) })
		}
	}
	return g.Wait()
}

func (o *Observer) services(ctx context.Context, q resource.Query, namespace string, tagged map[string]map[string]string, c *ownership.Collector) error {
	svcs, err := listServices(ctx, o.CloudMap, namespace)
	if err != nil {
		return err
	}
	for _, s := range svcs {
		arn := aws.ToString(s.Arn)
		tags, err := o.cloudMapTags(ctx, arn, tagged)
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

func (o *Observer) buckets(ctx context.Context, q resource.Query, tagged map[string]map[string]string, c *ownership.Collector) error {
	out, err := o.S3.ListBuckets(ctx, &s3.ListBucketsInput{})
	if err != nil {
		return fmt.Errorf("list buckets: %w", err)
	}
	g, ctx := errgroup.WithContext(ctx)
	for _, b := range out.Buckets {
		name := aws.ToString(b.Name)
		tags, listed := tagged["arn:aws:s3:::"+name]
		if !listed && !desiredBucket(q, name) {
			continue // neither listed as the stack's nor at a desired name: not read
		}
		g.Go(func() error {
			if !listed {
				var err error
				if tags, err = o.bucketTags(ctx, name); err != nil {
					return err
				}
			}
			addr, ok := ownership.Address(q, resource.KindBucket, "name", name, tags)
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

// cloudMapTags returns the tags of a namespace or service: from the
// tagging API's answer, or from Cloud Map when it did not list it
// (untagged, or a tagging API that misses Cloud Map, as moto's does).
func (o *Observer) cloudMapTags(ctx context.Context, arn string, tagged map[string]map[string]string) (map[string]string, error) {
	if tags, ok := tagged[arn]; ok {
		return tags, nil
	}
	out, err := o.CloudMap.ListTagsForResource(ctx, &sd.ListTagsForResourceInput{ResourceARN: aws.String(arn)})
	if err != nil {
		return nil, fmt.Errorf("list tags of %s: %w", arn, err)
	}
	tags := map[string]string{}
	for _, t := range out.Tags {
		tags[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	return tags, nil
}

// bucketTags reads the tags of a bucket the tagging API did not list.
func (o *Observer) bucketTags(ctx context.Context, name string) (map[string]string, error) {
	out, err := o.S3.GetBucketTagging(ctx, &s3.GetBucketTaggingInput{Bucket: aws.String(name)})
	switch {
	case ownership.ErrorCode(err) == "NoSuchTagSet":
		return nil, nil
	case err != nil:
		return nil, fmt.Errorf("get tags of bucket %s: %w", name, err)
	}
	tags := map[string]string{}
	for _, t := range out.TagSet {
		tags[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	return tags, nil
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
		if ownership.Str(d.Props, "name") == name {
			return true
		}
	}
	return false
}
