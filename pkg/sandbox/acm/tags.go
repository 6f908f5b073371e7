package acm

import (
	"maps"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/acm"
	"github.com/aws/aws-sdk-go-v2/service/acm/types"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

// maxTags is how many tags a certificate can have.
const maxTags = 50

func addTags(c *api.Call, in *acm.AddTagsToCertificateInput) (*acm.AddTagsToCertificateOutput, error) {
	cert, err := find(c, aws.ToString(in.CertificateArn))
	if err != nil {
		return nil, err
	}
	merged := maps.Clone(cert.Tags)
	if merged == nil {
		merged = map[string]string{}
	}
	maps.Copy(merged, tagMap(in.Tags))
	if len(merged) > maxTags {
		return nil, api.Errorf(codeTooManyTag, "the TagSet: %d tags would exceed the %d allowed", len(merged), maxTags)
	}
	cert.Tags = merged
	return &acm.AddTagsToCertificateOutput{}, nil
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

func listTags(c *api.Call, in *acm.ListTagsForCertificateInput) (*acm.ListTagsForCertificateOutput, error) {
	cert, err := find(c, aws.ToString(in.CertificateArn))
	if err != nil {
		return nil, err
	}
	out := &acm.ListTagsForCertificateOutput{Tags: []types.Tag{}}
	for _, k := range slices.Sorted(maps.Keys(cert.Tags)) {
		out.Tags = append(out.Tags, types.Tag{Key: aws.String(k), Value: aws.String(cert.Tags[k])})
	}
	return out, nil
}

func tagMap(tags []types.Tag) map[string]string {
	if len(tags) == 0 {
		return nil
	}
	m := make(map[string]string, len(tags))
	for _, t := range tags {
		m[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	return m
}
