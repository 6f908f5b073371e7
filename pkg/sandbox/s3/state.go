package s3

import (
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
	"github.com/kcstack/kcstack/pkg/sandbox/internal/tagset"
)

// State is the S3 state: buckets by name, for every region.
type State struct {
	Buckets map[string]*Bucket `json:"buckets"`
}

// Bucket is one bucket, its configuration and its objects by key.
type Bucket struct {
	Name              string                                   `json:"name"`
	Region            string                                   `json:"region"`
	Created           time.Time                                `json:"created"`
	Tags              []Tag                                    `json:"tags,omitempty"`
	Encryption        *types.ServerSideEncryptionConfiguration `json:"encryption,omitempty"`
	PublicAccessBlock *types.PublicAccessBlockConfiguration    `json:"public_access_block,omitempty"`
	Policy            string                                   `json:"policy,omitempty"`
	Objects           map[string]*Object                       `json:"objects,omitempty"`
}

// Tag is one bucket tag.
type Tag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// Object is one object (the sandbox keeps no versions).
type Object struct {
	Data        []byte            `json:"data"`
	ETag        string            `json:"etag"`
	Modified    time.Time         `json:"modified"`
	ContentType string            `json:"content_type,omitempty"`
	Metadata    map[string]string `json:"metadata,omitempty"`
}

// NewState returns an empty S3 state.
func NewState() *State {
	return &State{Buckets: map[string]*Bucket{}}
}

var _ api.Tagged = (*State)(nil)

// TaggedResources lists tagged buckets (type s3:bucket) in their regions.
func (s *State) TaggedResources() []api.TaggedResource {
	var out api.TaggedList
	for _, b := range s.Buckets {
		out.Add(b.Region, "arn:aws:s3:::"+b.Name, "s3:bucket", tagset.Map(b.Tags, func(t Tag) (*string, *string) { return &t.Key, &t.Value }))
	}
	return out
}

func buckets(c *api.Call) map[string]*Bucket {
	s := c.World.State(ServiceName).(*State)
	if s.Buckets == nil {
		s.Buckets = map[string]*Bucket{}
	}
	return s.Buckets
}

// find returns the bucket or NoSuchBucket.
func find(c *api.Call, name *string) (*Bucket, error) {
	if name == nil {
		return nil, errNoSuchBucket()
	}
	b, ok := buckets(c)[*name]
	if !ok {
		return nil, errNoSuchBucket()
	}
	if b.Objects == nil {
		b.Objects = map[string]*Object{}
	}
	return b, nil
}

func errNoSuchBucket() *api.Error {
	return &api.Error{Code: "NoSuchBucket", Message: "The specified bucket does not exist", Status: http.StatusNotFound}
}

func errNotFound(code, msg string) *api.Error {
	return &api.Error{Code: code, Message: msg, Status: http.StatusNotFound}
}

func errConflict(code, msg string) *api.Error {
	return &api.Error{Code: code, Message: msg, Status: http.StatusConflict}
}
