package s3

import (
	"crypto/md5"
	"encoding/hex"
	"io"
	"maps"
	"net/url"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
	"github.com/kcstack/kcstack/pkg/sandbox/internal/page"
	"github.com/kcstack/kcstack/pkg/sandbox/protocol"
)

func putObject(c *api.Call, in *s3.PutObjectInput) (*s3.PutObjectOutput, error) {
	b, err := find(c, in.Bucket)
	if err != nil {
		return nil, err
	}
	var data []byte
	if in.Body != nil {
		if data, err = io.ReadAll(in.Body); err != nil {
			return nil, err
		}
	}
	sum := md5.Sum(data)
	o := &Object{Data: data, ETag: `"` + hex.EncodeToString(sum[:]) + `"`, Modified: c.Now, ContentType: aws.ToString(in.ContentType), Metadata: maps.Clone(in.Metadata)}
	if o.ContentType == "" {
		o.ContentType = "binary/octet-stream"
	}
	b.Objects[aws.ToString(in.Key)] = o
	return &s3.PutObjectOutput{ETag: aws.String(o.ETag), ServerSideEncryption: sse(b)}, nil
}

// sse is the encryption the bucket's default applies to new objects.
func sse(b *Bucket) types.ServerSideEncryption {
	if b.Encryption == nil || len(b.Encryption.Rules) == 0 || b.Encryption.Rules[0].ApplyServerSideEncryptionByDefault == nil {
		return types.ServerSideEncryptionAes256
	}
	return b.Encryption.Rules[0].ApplyServerSideEncryptionByDefault.SSEAlgorithm
}

func findObject(c *api.Call, bucket, key *string) (*Bucket, *Object, error) {
	b, err := find(c, bucket)
	if err != nil {
		return nil, nil, err
	}
	o, ok := b.Objects[aws.ToString(key)]
	if !ok {
		return nil, nil, errNotFound("NoSuchKey", "The specified key does not exist.")
	}
	return b, o, nil
}

func getObject(c *api.Call, in *s3.GetObjectInput) (*s3.GetObjectOutput, error) {
	b, o, err := findObject(c, in.Bucket, in.Key)
	if err != nil {
		return nil, err
	}
	return &s3.GetObjectOutput{
		Body: protocol.NewStream(o.Data), ContentLength: aws.Int64(int64(len(o.Data))), ContentType: aws.String(o.ContentType),
		ETag: aws.String(o.ETag), LastModified: aws.Time(o.Modified), Metadata: o.Metadata, AcceptRanges: aws.String("bytes"),
		ServerSideEncryption: sse(b),
	}, nil
}

func headObject(c *api.Call, in *s3.HeadObjectInput) (*s3.HeadObjectOutput, error) {
	b, o, err := findObject(c, in.Bucket, in.Key)
	if err != nil {
		return nil, err
	}
	return &s3.HeadObjectOutput{
		ContentLength: aws.Int64(int64(len(o.Data))), ContentType: aws.String(o.ContentType), ETag: aws.String(o.ETag),
		LastModified: aws.Time(o.Modified), Metadata: o.Metadata, AcceptRanges: aws.String("bytes"), ServerSideEncryption: sse(b),
	}, nil
}

func deleteObject(c *api.Call, in *s3.DeleteObjectInput) (*s3.DeleteObjectOutput, error) {
	b, err := find(c, in.Bucket)
	if err != nil {
		return nil, err
	}
	delete(b.Objects, aws.ToString(in.Key)) // deleting a missing key succeeds
	return &s3.DeleteObjectOutput{}, nil
}

func deleteObjects(c *api.Call, in *s3.DeleteObjectsInput) (*s3.DeleteObjectsOutput, error) {
	b, err := find(c, in.Bucket)
	if err != nil {
		return nil, err
	}
	if in.Delete == nil || len(in.Delete.Objects) == 0 || len(in.Delete.Objects) > 1000 {
		return nil, api.Errorf("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema")
	}
	out := &s3.DeleteObjectsOutput{}
	for _, id := range in.Delete.Objects {
		delete(b.Objects, aws.ToString(id.Key))
		if !aws.ToBool(in.Delete.Quiet) {
			out.Deleted = append(out.Deleted, types.DeletedObject{Key: id.Key})
		}
	}
	return out, nil
}

func listObjectsV2(c *api.Call, in *s3.ListObjectsV2Input) (*s3.ListObjectsV2Output, error) {
	b, err := find(c, in.Bucket)
	if err != nil {
		return nil, err
	}
	maxKeys := int32(1000)
	if in.MaxKeys != nil && *in.MaxKeys >= 0 && *in.MaxKeys < 1000 {
		maxKeys = *in.MaxKeys
	}
	start := 0
	if in.ContinuationToken != nil {
		n, ok := page.Offset(*in.ContinuationToken)
		if !ok {
			return nil, api.Errorf("InvalidArgument", "The continuation token provided is incorrect")
		}
		start = n
	}
	entries := listing(b, aws.ToString(in.Prefix), aws.ToString(in.Delimiter), aws.ToString(in.StartAfter))
	list, next := page.Window(entries, start, int(maxKeys))
	out := &s3.ListObjectsV2Output{
		Name: in.Bucket, Prefix: aws.String(aws.ToString(in.Prefix)), MaxKeys: aws.Int32(maxKeys), KeyCount: aws.Int32(int32(len(list))),
		IsTruncated: aws.Bool(next != ""), ContinuationToken: in.ContinuationToken, StartAfter: in.StartAfter, Delimiter: in.Delimiter,
	}
	if next != "" {
		out.NextContinuationToken = aws.String(next)
	}
	enc := func(s string) string { return s }
	if in.EncodingType == types.EncodingTypeUrl {
		out.EncodingType, enc = types.EncodingTypeUrl, urlEncode
		out.Prefix = aws.String(urlEncode(aws.ToString(out.Prefix)))
	}
	for _, e := range list {
		if e.prefix {
			out.CommonPrefixes = append(out.CommonPrefixes, types.CommonPrefix{Prefix: aws.String(enc(e.key))})
			continue
		}
		o := b.Objects[e.key]
		obj := types.Object{Key: aws.String(enc(e.key)), ETag: aws.String(o.ETag), Size: aws.Int64(int64(len(o.Data))), LastModified: aws.Time(o.Modified), StorageClass: types.ObjectStorageClassStandard}
		if aws.ToBool(in.FetchOwner) {
			obj.Owner = owner(c)
		}
		out.Contents = append(out.Contents, obj)
	}
	return out, nil
}

// urlEncode encodes a key as S3 does for encoding-type=url: every byte but
// unreserved characters and "/" percent-encoded.
func urlEncode(key string) string {
	return strings.ReplaceAll(url.PathEscape(key), "+", "%2B")
}

// entry is one line of a listing: a key or a common prefix.
type entry struct {
	key    string
	prefix bool
}

// listing returns the keys under prefix after startAfter, in order, with
// the keys that contain the delimiter after the prefix rolled up into
// common prefixes.
func listing(b *Bucket, prefix, delimiter, startAfter string) []entry {
	keys := make([]string, 0, len(b.Objects))
	for k := range b.Objects {
		if strings.HasPrefix(k, prefix) && k > startAfter {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var out []entry
	seen := map[string]bool{}
	for _, k := range keys {
		if delimiter != "" {
			if i := strings.Index(k[len(prefix):], delimiter); i >= 0 {
				cp := k[:len(prefix)+i+len(delimiter)]
				if !seen[cp] {
					seen[cp] = true
					out = append(out, entry{key: cp, prefix: true})
				}
				continue
			}
		}
		out = append(out, entry{key: k})
	}
	return out
}
