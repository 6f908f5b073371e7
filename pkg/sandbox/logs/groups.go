package logs

import (
	"maps"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	cwl "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
	"github.com/kcstack/kcstack/pkg/sandbox/internal/page"
)

// validName is AWS's log group name rule.
var validName = regexp.MustCompile(`^[\.\-_/#A-Za-z0-9]{1,512}$`)

// retentionDays are the values PutRetentionPolicy accepts.
var retentionDays = []int32{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

const maxTags = 50

func createLogGroup(c *api.Call, in *cwl.CreateLogGroupInput) (*cwl.CreateLogGroupOutput, error) {
	name := aws.ToString(in.LogGroupName)
	if !validName.MatchString(name) || strings.HasPrefix(name, "aws/") {
		return nil, api.Errorf(codeInvalidParam, "1 validation error detected: Value '%s' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+", name)
	}
	if len(in.Tags) > maxTags {
		return nil, api.Errorf(codeTooManyTags, "A resource can have no more than %d tags.", maxTags)
	}
	gs := groups(c)
	if _, ok := gs[name]; ok {
		return nil, api.Errorf(codeExists, "The specified log group already exists")
	}
	class := string(in.LogGroupClass)
	if class == "" {
		class = string(types.LogGroupClassStandard)
	}
	gs[name] = &LogGroup{
		Name: name, ARN: c.ARN("logs", "log-group:"+name), CreationTime: c.Now.UnixMilli(),
		KMSKeyID: aws.ToString(in.KmsKeyId), Class: class, Tags: maps.Clone(in.Tags),
	}
	return &cwl.CreateLogGroupOutput{}, nil
}

func describeLogGroups(c *api.Call, in *cwl.DescribeLogGroupsInput) (*cwl.DescribeLogGroupsOutput, error) {
	if in.LogGroupNamePrefix != nil && in.LogGroupNamePattern != nil {
		return nil, api.Errorf(codeInvalidParam, "LogGroupNamePrefix and LogGroupNamePattern are mutually exclusive parameters.")
	}
	size := 50
	if in.Limit != nil {
		size = int(*in.Limit)
	}
	start, ok := page.Offset(aws.ToString(in.NextToken))
	if !ok {
		return nil, api.Errorf(codeInvalidParam, "The specified nextToken is invalid.")
	}
	var found []*LogGroup
	for _, g := range sorted(groups(c)) {
		if selected(g, in) {
			found = append(found, g)
		}
	}
	list, next := page.Window(found, start, size)
	out := &cwl.DescribeLogGroupsOutput{LogGroups: []types.LogGroup{}}
	for _, g := range list {
		out.LogGroups = append(out.LogGroups, view(g))
	}
	if next != "" {
		out.NextToken = aws.String(next)
	}
	return out, nil
}

func selected(g *LogGroup, in *cwl.DescribeLogGroupsInput) bool {
	switch {
	case in.LogGroupNamePrefix != nil && !strings.HasPrefix(g.Name, *in.LogGroupNamePrefix):
		return false
	case in.LogGroupNamePattern != nil && !strings.Contains(strings.ToLower(g.Name), strings.ToLower(*in.LogGroupNamePattern)):
		return false
	case in.LogGroupClass != "" && string(in.LogGroupClass) != g.Class:
		return false
	case len(in.LogGroupIdentifiers) > 0 && !slices.Contains(in.LogGroupIdentifiers, g.Name) && !slices.Contains(in.LogGroupIdentifiers, g.ARN):
		return false
	}
	return true
}

func sorted(gs map[string]*LogGroup) []*LogGroup {
	out := slices.Collect(maps.Values(gs))
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// view is a log group as DescribeLogGroups shows it.
func view(g *LogGroup) types.LogGroup {
	v := types.LogGroup{
		Arn: aws.String(g.ARN + ":*"), LogGroupArn: aws.String(g.ARN), LogGroupName: aws.String(g.Name),
		CreationTime: aws.Int64(g.CreationTime), MetricFilterCount: aws.Int32(0), StoredBytes: aws.Int64(0),
		LogGroupClass: types.LogGroupClass(g.Class), DeletionProtectionEnabled: aws.Bool(false),
	}
	if g.RetentionDays > 0 {
		v.RetentionInDays = aws.Int32(g.RetentionDays)
	}
	if g.KMSKeyID != "" {
		v.KmsKeyId = aws.String(g.KMSKeyID)
	}
	return v
}

func deleteLogGroup(c *api.Call, in *cwl.DeleteLogGroupInput) (*cwl.DeleteLogGroupOutput, error) {
	name := aws.ToString(in.LogGroupName)
	if _, err := find(c, name); err != nil {
		return nil, err
	}
	delete(groups(c), name)
	return &cwl.DeleteLogGroupOutput{}, nil
}

func putRetentionPolicy(c *api.Call, in *cwl.PutRetentionPolicyInput) (*cwl.PutRetentionPolicyOutput, error) {
	days := aws.ToInt32(in.RetentionInDays)
	if !slices.Contains(retentionDays, days) {
		return nil, api.Errorf(codeInvalidParam, "1 validation error detected: Value '%d' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]", days)
	}
	g, err := find(c, aws.ToString(in.LogGroupName))
	if err != nil {
		return nil, err
	}
	g.RetentionDays = days
	return &cwl.PutRetentionPolicyOutput{}, nil
}

func deleteRetentionPolicy(c *api.Call, in *cwl.DeleteRetentionPolicyInput) (*cwl.DeleteRetentionPolicyOutput, error) {
	g, err := find(c, aws.ToString(in.LogGroupName))
	if err != nil {
		return nil, err
	}
	g.RetentionDays = 0
	return &cwl.DeleteRetentionPolicyOutput{}, nil
}
