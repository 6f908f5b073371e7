package discovery

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/s3"
	sd "github.com/aws/aws-sdk-go-v2/service/servicediscovery"
)

// CloudMapAPI is the part of the Cloud Map API this package calls.
type CloudMapAPI interface {
	CreatePrivateDnsNamespace(context.Context, *sd.CreatePrivateDnsNamespaceInput, ...func(*sd.Options)) (*sd.CreatePrivateDnsNamespaceOutput, error)
	GetOperation(context.Context, *sd.GetOperationInput, ...func(*sd.Options)) (*sd.GetOperationOutput, error)
	ListNamespaces(context.Context, *sd.ListNamespacesInput, ...func(*sd.Options)) (*sd.ListNamespacesOutput, error)
	DeleteNamespace(context.Context, *sd.DeleteNamespaceInput, ...func(*sd.Options)) (*sd.DeleteNamespaceOutput, error)
	CreateService(context.Context, *sd.CreateServiceInput, ...func(*sd.Options)) (*sd.CreateServiceOutput, error)
	ListServices(context.Context, *sd.ListServicesInput, ...func(*sd.Options)) (*sd.ListServicesOutput, error)
	UpdateService(context.Context, *sd.UpdateServiceInput, ...func(*sd.Options)) (*sd.UpdateServiceOutput, error)
	DeleteService(context.Context, *sd.DeleteServiceInput, ...func(*sd.Options)) (*sd.DeleteServiceOutput, error)
	ListTagsForResource(context.Context, *sd.ListTagsForResourceInput, ...func(*sd.Options)) (*sd.ListTagsForResourceOutput, error)
	TagResource(context.Context, *sd.TagResourceInput, ...func(*sd.Options)) (*sd.TagResourceOutput, error)
	UntagResource(context.Context, *sd.UntagResourceInput, ...func(*sd.Options)) (*sd.UntagResourceOutput, error)
}

// S3API is the part of the S3 API this package calls.
type S3API interface {
	CreateBucket(context.Context, *s3.CreateBucketInput, ...func(*s3.Options)) (*s3.CreateBucketOutput, error)
	ListBuckets(context.Context, *s3.ListBucketsInput, ...func(*s3.Options)) (*s3.ListBucketsOutput, error)
	PutBucketTagging(context.Context, *s3.PutBucketTaggingInput, ...func(*s3.Options)) (*s3.PutBucketTaggingOutput, error)
	GetBucketTagging(context.Context, *s3.GetBucketTaggingInput, ...func(*s3.Options)) (*s3.GetBucketTaggingOutput, error)
	DeleteBucketTagging(context.Context, *s3.DeleteBucketTaggingInput, ...func(*s3.Options)) (*s3.DeleteBucketTaggingOutput, error)
	GetBucketLocation(context.Context, *s3.GetBucketLocationInput, ...func(*s3.Options)) (*s3.GetBucketLocationOutput, error)
	PutPublicAccessBlock(context.Context, *s3.PutPublicAccessBlockInput, ...func(*s3.Options)) (*s3.PutPublicAccessBlockOutput, error)
	GetPublicAccessBlock(context.Context, *s3.GetPublicAccessBlockInput, ...func(*s3.Options)) (*s3.GetPublicAccessBlockOutput, error)
	PutBucketEncryption(context.Context, *s3.PutBucketEncryptionInput, ...func(*s3.Options)) (*s3.PutBucketEncryptionOutput, error)
	GetBucketEncryption(context.Context, *s3.GetBucketEncryptionInput, ...func(*s3.Options)) (*s3.GetBucketEncryptionOutput, error)
	ListObjectsV2(context.Context, *s3.ListObjectsV2Input, ...func(*s3.Options)) (*s3.ListObjectsV2Output, error)
	DeleteObjects(context.Context, *s3.DeleteObjectsInput, ...func(*s3.Options)) (*s3.DeleteObjectsOutput, error)
	DeleteBucket(context.Context, *s3.DeleteBucketInput, ...func(*s3.Options)) (*s3.DeleteBucketOutput, error)
}

var (
	_ CloudMapAPI = (*sd.Client)(nil)
	_ S3API       = (*s3.Client)(nil)
)
