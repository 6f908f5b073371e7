package logs

import (
	"maps"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	cwl "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

// byARN finds the log group an ARN names (with or without ":*").
func byARN(c *api.Call, arn string) (*LogGroup, error) {
	arn = strings.TrimSuffix(arn, ":*")
	_, name, ok := strings.Cut(arn, ":log-group:")
	if !ok || !strings.HasPrefix(arn, "arn:") {
		return nil, api.Errorf(codeInvalidParam, "Invalid resource ARN: %s", arn)
	}
	g, found := groups(c)[name]
	if !found || g.ARN != arn {
		return nil, api.Errorf(codeNotFound, "The specified resource does not exist.")
	}
	return g, nil
}

func addTags(g *LogGroup, tags map[string]string) error {
	merged := maps.Clone(g.Tags)
	if merged == nil {
		merged = map[string]string{}
	}
	maps.Copy(merged, tags)
	if len(merged) > maxTags {
		return api.Errorf(codeTooManyTags, "A resource can have no more than %d tags.", maxTags)
	}
	g.Tags = merged
	return nil
}

func removeTags(g *LogGroup, keys []string) {
	for _, k := range keys {
		delete(g.Tags, k)
	}
}

func tagsOf(g *LogGroup) map[string]string {
	if len(g.Tags) == 0 {
		return map[string]string{}
	}
	return maps.Clone(g.Tags)
}

func tagResource(c *api.Call, in *cwl.TagResourceInput) (*cwl.TagResourceOutput, error) {
	g, err := byARN(c, aws.ToString(in.ResourceArn))
	if err != nil {
		return nil, err
	}
	return &cwl.TagResourceOutput{}, addTags(g, in.Tags)
}

func untagResource(c *api.Call, in *cwl.UntagResourceInput) (*cwl.UntagResourceOutput, error) {
	g, err := byARN(c, aws.ToString(in.ResourceArn))
	if err != nil {
		return nil, err
	}
	removeTags(g, in.TagKeys)
	return &cwl.UntagResourceOutput{}, nil
}

func listTagsForResource(c *api.Call, in *cwl.ListTagsForResourceInput) (*cwl.ListTagsForResourceOutput, error) {
	g, err := byARN(c, aws.ToString(in.ResourceArn))
	if err != nil {
		return nil, err
	}
	return &cwl.ListTagsForResourceOutput{Tags: tagsOf(g)}, nil
}

func tagLogGroup(c *api.Call, in *cwl.TagLogGroupInput) (*cwl.TagLogGroupOutput, error) {
	g, err := find(c, aws.ToString(in.LogGroupName))
	if err != nil {
		return nil, err
	}
	return &cwl.TagLogGroupOutput{}, addTags(g, in.Tags)
}

func untagLogGroup(c *api.Call, in *cwl.UntagLogGroupInput) (*cwl.UntagLogGroupOutput, error) {
	g, err := find(c, aws.ToString(in.LogGroupName))
	if err != nil {
		return nil, err
	}
	removeTags(g, in.Tags)
	return &cwl.UntagLogGroupOutput{}, nil
}

func listTagsLogGroup(c *api.Call, in *cwl.ListTagsLogGroupInput) (*cwl.ListTagsLogGroupOutput, error) {
	g, err := find(c, aws.ToString(in.LogGroupName))
	if err != nil {
		return nil, err
	}
	return &cwl.ListTagsLogGroupOutput{Tags: tagsOf(g)}, nil
}
