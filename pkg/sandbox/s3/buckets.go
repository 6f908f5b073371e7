package s3

import (
	"encoding/json"
	"net"
	"regexp"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

var validBucket = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)

func createBucket(c *api.Call, in *s3.CreateBucketInput) (*s3.CreateBucketOutput, error) {
	name := aws.ToString(in.Bucket)
	if !validBucket.MatchString(name) || net.ParseIP(name) != nil {
		return nil, api.Errorf("InvalidBucketName", "The specified bucket is not valid.")
	}
	if err := checkLocation(c.Region, in.CreateBucketConfiguration); err != nil {
		return nil, err
	}
	bs := buckets(c)
	if b, ok := bs[name]; ok {
		if c.Region == "us-east-1" && b.Region == "us-east-1" {
			return &s3.CreateBucketOutput{Location: aws.String("/" + name)}, nil // us-east-1's legacy answer
		}
		return nil, errConflict("BucketAlreadyOwnedByYou", "Your previous request to create the named bucket succeeded and you already own it.")
	}
	b := &Bucket{
		Name: name, Region: c.Region, Created: c.Now, Objects: map[string]*Object{},
		Encryption:        defaultEncryption(),
		PublicAccessBlock: &types.PublicAccessBlockConfiguration{BlockPublicAcls: aws.Bool(true), IgnorePublicAcls: aws.Bool(true), BlockPublicPolicy: aws.Bool(true), RestrictPublicBuckets: aws.Bool(true)},
	}
	if cfg := in.CreateBucketConfiguration; cfg != nil {
		for _, t := range cfg.Tags {
			b.Tags = append(b.Tags, Tag{Key: aws.ToString(t.Key), Value: aws.ToString(t.Value)})
		}
	}
	bs[name] = b
	location := "/" + name
	if c.Region != "us-east-1" {
		location = "http://" + name + ".s3.amazonaws.com/"
	}
	return &s3.CreateBucketOutput{Location: aws.String(location), BucketArn: aws.String("arn:aws:s3:::" + name)}, nil
}

// checkLocation applies S3's rule: outside us-east-1 the constraint must
// name the region the request was sent to.
func checkLocation(region string, cfg *types.CreateBucketConfiguration) error {
	constraint := ""
	if cfg != nil {
		constraint = string(cfg.LocationConstraint)
	}
	switch {
	case constraint == "" && region != "us-east-1":
		return api.Errorf("IllegalLocationConstraintException", "The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.")
	case constraint == "us-east-1":
		return api.Errorf("InvalidLocationConstraint", "The specified location-constraint is not valid")
	case constraint != "" && constraint != region:
		return api.Errorf("IllegalLocationConstraintException", "The %s location constraint is incompatible for the region specific endpoint this request was sent to.", constraint)
	}
	return nil
}

func defaultEncryption() *types.ServerSideEncryptionConfiguration {
	return &types.ServerSideEncryptionConfiguration{Rules: []types.ServerSideEncryptionRule{{
		ApplyServerSideEncryptionByDefault: &types.ServerSideEncryptionByDefault{SSEAlgorithm: types.ServerSideEncryptionAes256},
		BucketKeyEnabled:                   aws.Bool(false),
	}}}
}

func headBucket(c *api.Call, in *s3.HeadBucketInput) (*s3.HeadBucketOutput, error) {
	b, err := find(c, in.Bucket)
	if err != nil {
		return nil, err
	}
	return &s3.HeadBucketOutput{BucketRegion: aws.String(b.Region), AccessPointAlias: aws.Bool(false)}, nil
}

func deleteBucket(c *api.Call, in *s3.DeleteBucketInput) (*s3.DeleteBucketOutput, error) {
	b, err := find(c, in.Bucket)
	if err != nil {
		return nil, err
	}
	if len(b.Objects) > 0 {
		return nil, errConflict("BucketNotEmpty", "The bucket you tried to delete is not empty")
	}
	delete(buckets(c), b.Name)
	return &s3.DeleteBucketOutput{}, nil
}

func listBuckets(c *api.Call, in *s3.ListBucketsInput) (*s3.ListBucketsOutput, error) {
	names := make([]string, 0, len(buckets(c)))
	for n, b := range buckets(c) {
		if in.BucketRegion == nil || *in.BucketRegion == b.Region {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	out := &s3.ListBucketsOutput{Buckets: []types.Bucket{}, Owner: owner(c)}
	for _, n := range names {
		b := buckets(c)[n]
		out.Buckets = append(out.Buckets, types.Bucket{Name: aws.String(n), CreationDate: aws.Time(b.Created), BucketRegion: aws.String(b.Region)})
	}
	return out, nil
}

// owner is the canonical user of the sandbox's account.
func owner(c *api.Call) *types.Owner {
	id := c.AccountID
	for len(id) < 64 {
		id += c.AccountID
	}
	return &types.Owner{ID: aws.String(id[:64]), DisplayName: aws.String("sandbox")}
}

func getBucketLocation(c *api.Call, in *s3.GetBucketLocationInput) (*s3.GetBucketLocationOutput, error) {
	b, err := find(c, in.Bucket)
	if err != nil {
		return nil, err
	}
	out := &s3.GetBucketLocationOutput{}
	if b.Region != "us-east-1" {
		out.LocationConstraint = types.BucketLocationConstraint(b.Region)
	}
	return out, nil
}

func putBucketTagging(c *api.Call, in *s3.PutBucketTaggingInput) (*s3.PutBucketTaggingOutput, error) {
	b, err := find(c, in.Bucket)
	if err != nil {
		return nil, err
	}
	if in.Tagging == nil {
		return nil, api.Errorf("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema")
	}
	var tags []Tag
	seen := map[string]bool{}
	for _, t := range in.Tagging.TagSet {
		k := aws.ToString(t.Key)
		if seen[k] {
			return nil, api.Errorf("InvalidTag", "Cannot provide multiple Tags with the same key")
		}
		seen[k] = true
		tags = append(tags, Tag{Key: k, Value: aws.ToString(t.Value)})
	}
	if len(tags) > 50 {
		return nil, api.Errorf("InvalidTag", "Object tags cannot be greater than 50")
	}
	b.Tags = tags
	return &s3.PutBucketTaggingOutput{}, nil
}

func getBucketTagging(c *api.Call, in *s3.GetBucketTaggingInput) (*s3.GetBucketTaggingOutput, error) {
	b, err := find(c, in.Bucket)
	if err != nil {
		return nil, err
	}
	if len(b.Tags) == 0 {
		return nil, errNotFound("NoSuchTagSet", "The TagSet does not exist")
	}
	out := &s3.GetBucketTaggingOutput{TagSet: []types.Tag{}}
	for _, t := range b.Tags {
		out.TagSet = append(out.TagSet, types.Tag{Key: aws.String(t.Key), Value: aws.String(t.Value)})
	}
	return out, nil
}

func deleteBucketTagging(c *api.Call, in *s3.DeleteBucketTaggingInput) (*s3.DeleteBucketTaggingOutput, error) {
	b, err := find(c, in.Bucket)
	if err != nil {
		return nil, err
	}
	b.Tags = nil
	return &s3.DeleteBucketTaggingOutput{}, nil
}

func putBucketEncryption(c *api.Call, in *s3.PutBucketEncryptionInput) (*s3.PutBucketEncryptionOutput, error) {
	b, err := find(c, in.Bucket)
	if err != nil {
		return nil, err
	}
	cfg := in.ServerSideEncryptionConfiguration
	if cfg == nil || len(cfg.Rules) == 0 {
		return nil, api.Errorf("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema")
	}
	for _, r := range cfg.Rules {
		d := r.ApplyServerSideEncryptionByDefault
		if d == nil || (d.SSEAlgorithm != types.ServerSideEncryptionAes256 && d.SSEAlgorithm != types.ServerSideEncryptionAwsKms && d.SSEAlgorithm != types.ServerSideEncryptionAwsKmsDsse) {
			return nil, api.Errorf("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema")
		}
		if d.KMSMasterKeyID != nil && d.SSEAlgorithm == types.ServerSideEncryptionAes256 {
			return nil, api.Errorf("InvalidArgument", "a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse")
		}
	}
	b.Encryption = cfg
	return &s3.PutBucketEncryptionOutput{}, nil
}

func getBucketEncryption(c *api.Call, in *s3.GetBucketEncryptionInput) (*s3.GetBucketEncryptionOutput, error) {
	b, err := find(c, in.Bucket)
	if err != nil {
		return nil, err
	}
	if b.Encryption == nil {
		return nil, errNotFound("ServerSideEncryptionConfigurationNotFoundError", "The server side encryption configuration was not found")
	}
	return &s3.GetBucketEncryptionOutput{ServerSideEncryptionConfiguration: b.Encryption}, nil
}

func putPublicAccessBlock(c *api.Call, in *s3.PutPublicAccessBlockInput) (*s3.PutPublicAccessBlockOutput, error) {
	b, err := find(c, in.Bucket)
	if err != nil {
		return nil, err
	}
	cfg := in.PublicAccessBlockConfiguration
	if cfg == nil {
		return nil, api.Errorf("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema")
	}
	b.PublicAccessBlock = &types.PublicAccessBlockConfiguration{
		BlockPublicAcls: aws.Bool(aws.ToBool(cfg.BlockPublicAcls)), IgnorePublicAcls: aws.Bool(aws.ToBool(cfg.IgnorePublicAcls)),
		BlockPublicPolicy: aws.Bool(aws.ToBool(cfg.BlockPublicPolicy)), RestrictPublicBuckets: aws.Bool(aws.ToBool(cfg.RestrictPublicBuckets)),
	}
	return &s3.PutPublicAccessBlockOutput{}, nil
}

func getPublicAccessBlock(c *api.Call, in *s3.GetPublicAccessBlockInput) (*s3.GetPublicAccessBlockOutput, error) {
	b, err := find(c, in.Bucket)
	if err != nil {
		return nil, err
	}
	if b.PublicAccessBlock == nil {
		return nil, errNotFound("NoSuchPublicAccessBlockConfiguration", "The public access block configuration was not found")
	}
	return &s3.GetPublicAccessBlockOutput{PublicAccessBlockConfiguration: b.PublicAccessBlock}, nil
}

func deletePublicAccessBlock(c *api.Call, in *s3.DeletePublicAccessBlockInput) (*s3.DeletePublicAccessBlockOutput, error) {
	b, err := find(c, in.Bucket)
	if err != nil {
		return nil, err
	}
	b.PublicAccessBlock = nil
	return &s3.DeletePublicAccessBlockOutput{}, nil
}

func putBucketPolicy(c *api.Call, in *s3.PutBucketPolicyInput) (*s3.PutBucketPolicyOutput, error) {
	b, err := find(c, in.Bucket)
	if err != nil {
		return nil, err
	}
	var doc map[string]any
	if json.Unmarshal([]byte(aws.ToString(in.Policy)), &doc) != nil || doc["Statement"] == nil {
		return nil, api.Errorf("MalformedPolicy", "Policies must be valid JSON and the first byte must be '{'")
	}
	if pab := b.PublicAccessBlock; pab != nil && aws.ToBool(pab.BlockPublicPolicy) && publicPolicy(doc) {
		return nil, &api.Error{Code: "AccessDenied", Message: "User is not authorized to perform: s3:PutBucketPolicy because public policies are blocked by the BlockPublicPolicy block public access setting.", Status: 403}
	}
	b.Policy = aws.ToString(in.Policy)
	return &s3.PutBucketPolicyOutput{}, nil
}

// publicPolicy reports whether a statement allows the "*" principal, the
// case BlockPublicPolicy refuses.
func publicPolicy(doc map[string]any) bool {
	stmts, _ := doc["Statement"].([]any)
	if s, ok := doc["Statement"].(map[string]any); ok {
		stmts = []any{s}
	}
	for _, x := range stmts {
		s, _ := x.(map[string]any)
		if s["Effect"] != "Allow" {
			continue
		}
		switch p := s["Principal"].(type) {
		case string:
			if p == "*" {
				return true
			}
		case map[string]any:
			if p["AWS"] == "*" {
				return true
			}
		}
	}
	return false
}

func getBucketPolicy(c *api.Call, in *s3.GetBucketPolicyInput) (*s3.GetBucketPolicyOutput, error) {
	b, err := find(c, in.Bucket)
	if err != nil {
		return nil, err
	}
	if b.Policy == "" {
		return nil, errNotFound("NoSuchBucketPolicy", "The bucket policy does not exist")
	}
	return &s3.GetBucketPolicyOutput{Policy: aws.String(b.Policy)}, nil
}

func deleteBucketPolicy(c *api.Call, in *s3.DeleteBucketPolicyInput) (*s3.DeleteBucketPolicyOutput, error) {
	b, err := find(c, in.Bucket)
	if err != nil {
		return nil, err
	}
	b.Policy = ""
	return &s3.DeleteBucketPolicyOutput{}, nil
}
