package discovery

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/kcstack/kcstack/pkg/aws/awserr"
	"github.com/kcstack/kcstack/pkg/aws/clients"
	"github.com/kcstack/kcstack/pkg/aws/ownership"
	"github.com/kcstack/kcstack/pkg/resource"
)

// BucketHandler manages the S3_PING bucket. Props: name, region,
// encryption (the default server-side algorithm), block_public_access.
type BucketHandler struct{ clients.Base[S3API] }

var (
	_ resource.Handler = (*BucketHandler)(nil)
	_ resource.Tagger  = (*BucketHandler)(nil)
)

// Props of a bucket.
const (
	propBucketName              = "name"
	propBucketRegion            = "region"
	propBucketEncryption        = "encryption"
	propBucketBlockPublicAccess = "block_public_access"
)

// bucketDescriptor declares s3:bucket. The bucket holds only the JGroups
// member files the tasks write to find each other (S3_PING), which they
// write again at start: deleting it, emptied first, loses nothing users
// keep. It is deleted after the ECS services whose tasks write there,
// which no property shows (the task role names the bucket in its policy
// as text).
var bucketDescriptor = resource.Descriptor{
	Kind:         resource.KindBucket,
	TaggingTypes: []string{"s3:bucket"},
	Fields: resource.Fields{
		propBucketName:   {ForcesReplace: true, Reason: "a bucket cannot be renamed"},
		propBucketRegion: {ForcesReplace: true, Reason: "a bucket cannot move to another region"},
	},
	Deletion: resource.Deletion{After: []resource.Kind{resource.KindECSService}},
	DataLoss: resource.NoDataLoss,
	// Bucket names are unique: a retry fails with BucketAlreadyOwnedByYou,
	// which Create adopts.
	Create: resource.Creation{Operations: []string{"CreateBucket"}, Idempotent: true},
}

// Create makes the bucket in its region, then tags it, blocks public
// access and turns on default encryption. A retried create of a bucket
// this account already owns is adopted (BucketAlreadyOwnedByYou).
func (h *BucketHandler) Create(ctx context.Context, d resource.Desired) (resource.Observation, error) {
	r := resource.Read(d.Props)
	name, region := r.String(propBucketName), r.String(propBucketRegion)
	if err := r.Err(); err != nil {
		return resource.Observation{}, fmt.Errorf("%s: %w", d.Address, err)
	}
	in := &s3.CreateBucketInput{Bucket: aws.String(name)}
	if region != "us-east-1" {
		in.CreateBucketConfiguration = &types.CreateBucketConfiguration{LocationConstraint: types.BucketLocationConstraint(region)}
	}
	_, err := h.API.CreateBucket(ctx, in)
	if err != nil && !awserr.Is(err, "BucketAlreadyOwnedByYou") {
		return resource.Observation{}, fmt.Errorf("create bucket %s: %w", name, err)
	}
	ob := bucketObservation(name, region, d.Address, h.Stack, d.Tags, nil)
	return h.Resume(ctx, d, ob)
}

// Resume tags the bucket, blocks public access and sets encryption: the
// steps after CreateBucket, also for a bucket adopted after an ambiguous
// create.
func (h *BucketHandler) Resume(ctx context.Context, d resource.Desired, o resource.Observation) (resource.Observation, error) {
	if err := putBucketTags(ctx, h.API, o.ID, d.Tags); err != nil {
		return resource.Observation{}, err
	}
	o.Tags, o.Owned = d.Tags, true
	return h.Update(ctx, d, o, nil)
}

// Update blocks public access and sets the default encryption.
func (h *BucketHandler) Update(ctx context.Context, d resource.Desired, o resource.Observation, _ []resource.FieldDiff) (resource.Observation, error) {
	name := o.ID
	r := resource.Read(d.Props)
	block, enc := r.Bool(propBucketBlockPublicAccess), r.String(propBucketEncryption)
	if err := r.Err(); err != nil {
		return resource.Observation{}, fmt.Errorf("%s: %w", d.Address, err)
	}
	_, err := h.API.PutPublicAccessBlock(ctx, &s3.PutPublicAccessBlockInput{Bucket: aws.String(name), PublicAccessBlockConfiguration: &types.PublicAccessBlockConfiguration{
		BlockPublicAcls: aws.Bool(block), BlockPublicPolicy: aws.Bool(block), IgnorePublicAcls: aws.Bool(block), RestrictPublicBuckets: aws.Bool(block),
	}})
	if err != nil {
		return resource.Observation{}, fmt.Errorf("block public access to bucket %s: %w", name, err)
	}
	_, err = h.API.PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{Bucket: aws.String(name), ServerSideEncryptionConfiguration: &types.ServerSideEncryptionConfiguration{
		Rules: []types.ServerSideEncryptionRule{{ApplyServerSideEncryptionByDefault: &types.ServerSideEncryptionByDefault{SSEAlgorithm: types.ServerSideEncryption(enc)}}},
	}})
	if err != nil {
		return resource.Observation{}, fmt.Errorf("set encryption of bucket %s: %w", name, err)
	}
	o.Address = d.Address
	o.Props = copyProps(o.Props)
	o.Props[propBucketBlockPublicAccess], o.Props[propBucketEncryption] = block, enc
	return o, nil
}

// SetTags gives the bucket its observed tags with set applied and remove
// removed: S3 only replaces a bucket's whole tag set, so o.Tags must be
// complete (the observer's are).
func (h *BucketHandler) SetTags(ctx context.Context, o resource.Observation, set map[string]string, remove []string) error {
	return putBucketTags(ctx, h.API, o.ID, resource.WithTags(o.Tags, set, remove))
}

// Delete empties the bucket (JGroups member files) and deletes it; not
// found is success.
func (h *BucketHandler) Delete(ctx context.Context, o resource.Observation, _ map[string]string) error {
	if err := h.empty(ctx, o.ID); err != nil {
		return err
	}
	_, err := h.API.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String(o.ID)})
	if err != nil && !awserr.Is(err, "NoSuchBucket") {
		return fmt.Errorf("delete bucket %s: %w", o.ID, err)
	}
	return nil
}

// empty deletes every object of the bucket, a page (up to 1000) per call.
func (h *BucketHandler) empty(ctx context.Context, name string) error {
	p := s3.NewListObjectsV2Paginator(h.API, &s3.ListObjectsV2Input{Bucket: aws.String(name)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if awserr.Is(err, "NoSuchBucket") {
			return nil
		}
		if err != nil {
			return fmt.Errorf("list objects of bucket %s: %w", name, err)
		}
		if len(page.Contents) == 0 {
			continue
		}
		ids := make([]types.ObjectIdentifier, len(page.Contents))
		for i, obj := range page.Contents {
			ids[i] = types.ObjectIdentifier{Key: obj.Key}
		}
		out, err := h.API.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String(name), Delete: &types.Delete{Objects: ids, Quiet: aws.Bool(true)}})
		if err != nil {
			return fmt.Errorf("empty bucket %s: %w", name, err)
		}
		if len(out.Errors) > 0 {
			return fmt.Errorf("empty bucket %s: %d objects not deleted, first %s: %s", name, len(out.Errors), aws.ToString(out.Errors[0].Key), aws.ToString(out.Errors[0].Message))
		}
	}
	return nil
}

// readBucket reads the public access block and the encryption of a bucket.
func readBucket(ctx context.Context, api S3API, name string) (resource.Props, error) {
	props := resource.Props{propBucketBlockPublicAccess: false, propBucketEncryption: ""}
	pab, err := api.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: aws.String(name)})
	switch {
	case err == nil:
		c := pab.PublicAccessBlockConfiguration
		props[propBucketBlockPublicAccess] = c != nil && aws.ToBool(c.BlockPublicAcls) && aws.ToBool(c.BlockPublicPolicy) && aws.ToBool(c.IgnorePublicAcls) && aws.ToBool(c.RestrictPublicBuckets)
	case !awserr.Is(err, "NoSuchPublicAccessBlockConfiguration"):
		return nil, fmt.Errorf("get public access block of bucket %s: %w", name, err)
	}
	enc, err := api.GetBucketEncryption(ctx, &s3.GetBucketEncryptionInput{Bucket: aws.String(name)})
	switch {
	case err == nil && enc.ServerSideEncryptionConfiguration != nil:
		for _, r := range enc.ServerSideEncryptionConfiguration.Rules {
			if r.ApplyServerSideEncryptionByDefault != nil {
				props[propBucketEncryption] = string(r.ApplyServerSideEncryptionByDefault.SSEAlgorithm)
			}
		}
	case err != nil && !awserr.Is(err, "ServerSideEncryptionConfigurationNotFoundError"):
		return nil, fmt.Errorf("get encryption of bucket %s: %w", name, err)
	}
	return props, nil
}

func bucketObservation(name, region, address, stack string, tags map[string]string, read resource.Props) resource.Observation {
	props := resource.Props{propBucketName: name, propBucketRegion: region}
	for k, v := range read {
		props[k] = v
	}
	return ownership.Observed(resource.KindBucket, address, name, stack, tags, props, map[string]string{attrName: name, attrARN: "arn:aws:s3:::" + name})
}
