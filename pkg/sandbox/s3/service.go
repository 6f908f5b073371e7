package s3

import "github.com/kcstack/kcstack/pkg/sandbox/api"

// ServiceName is the model name of S3.
const ServiceName = "s3"

// Service returns the S3 emulation.
func Service() api.Service {
	return api.Service{
		Name:     ServiceName,
		NewState: func() any { return NewState() },
		Ops: map[string]api.Op{
			"CreateBucket":            {Fn: createBucket},
			"HeadBucket":              {Fn: headBucket},
			"DeleteBucket":            {Fn: deleteBucket},
			"ListBuckets":             {Fn: listBuckets},
			"GetBucketLocation":       {Fn: getBucketLocation},
			"PutBucketTagging":        {Fn: putBucketTagging},
			"GetBucketTagging":        {Fn: getBucketTagging},
			"DeleteBucketTagging":     {Fn: deleteBucketTagging},
			"PutBucketEncryption":     {Fn: putBucketEncryption},
			"GetBucketEncryption":     {Fn: getBucketEncryption},
			"PutPublicAccessBlock":    {Fn: putPublicAccessBlock},
			"GetPublicAccessBlock":    {Fn: getPublicAccessBlock},
			"DeletePublicAccessBlock": {Fn: deletePublicAccessBlock},
			"PutBucketPolicy":         {Fn: putBucketPolicy},
			"GetBucketPolicy":         {Fn: getBucketPolicy},
			"DeleteBucketPolicy":      {Fn: deleteBucketPolicy},
			"PutObject":               {Fn: putObject},
			"GetObject":               {Fn: getObject},
			"HeadObject":              {Fn: headObject},
			"DeleteObject":            {Fn: deleteObject},
			"DeleteObjects":           {Fn: deleteObjects},
			"ListObjectsV2":           {Fn: listObjectsV2},
		},
	}
}
