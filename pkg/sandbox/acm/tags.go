package acm

import (
	"maps"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/acm"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

func addTags(c *api.Call, in *acm.AddTagsToCertificateInput) (*acm.AddTagsToCertificateOutput, error) {
	cert, err := find(c, aws.ToString(in.CertificateArn))
	if err != nil {
		return nil, err
	}
	add := tagMap(in.Tags)
	count := len(cert.Tags)
	for k := range add {
		if _, has := cert.Tags[k]; !has {
			count++
		}
	}
	if count > maxTags {
		return nil, api.Errorf(codeTooManyTag, "the TagSet: %d tags would exceed the %d allowed", count, maxTags)
	}
	cert.Tags = merge(cert.Tags, add)
	return &acm.AddTagsToCertificateOutput{}, nil
}

// merge returns tags with add applied, made when tags is nil.
func merge(tags, add map[string]string) map[string]string {
	if tags == nil {
		tags = make(map[string]string, len(add))
	}
	maps.Copy(tags, add)
	return tags
}

func removeTags(c *api.Call, in *acm.RemoveTagsFromCertificateInput) (*acm.RemoveTagsFromCertificateOutput, error) {
	cert, err := find(c, aws.ToString(in.CertificateArn))
	if err != nil {
		return nil, err
	}
	for _, t := range in.Tags {
		// A tag with a value is removed only when the value matches.
		if v, ok := cert.Tags[aws.ToString(t.Key)]; ok && (t.Value == nil || *t.Value == v) {
			delete(cert.Tags, aws.ToString(t.Key))
		}
	}
	return &acm.RemoveTagsFromCertificateOutput{}, nil
}
