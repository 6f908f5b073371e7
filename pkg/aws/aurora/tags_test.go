package aurora

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/resource"
)

func TestSetTagsCalls(t *testing.T) {
	const arn = "arn:aws:rds:eu-west-1:123456789012:cluster:kc-aurora"
	cases := map[string]struct {
		reason  string
		attrs   map[string]string
		set     map[string]string
		remove  []string
		fail    error
		want    []string
		wantErr string
	}{
		"SetAndRemove": {
			reason: "tags to set go in one AddTagsToResource, keys to drop in one RemoveTagsFromResource, sorted, by the ARN",
			attrs:  map[string]string{"arn": arn},
			set:    map[string]string{"team": "identity", "cost-center": "kc-42"},
			remove: []string{"Name", "owner"},
			want:   []string{"add " + arn + " cost-center=kc-42 team=identity", "remove " + arn + " Name owner"},
		},
		"OnlyRemove": {
			reason: "nothing to set makes no AddTagsToResource",
			attrs:  map[string]string{"arn": arn},
			remove: []string{"owner"},
			want:   []string{"remove " + arn + " owner"},
		},
		"NoARN": {
			reason:  "an observation without an ARN cannot be tagged and makes no call",
			set:     map[string]string{"team": "identity"},
			wantErr: "tag DB cluster kc-aurora: its observation carries no ARN",
		},
		"Gone": {
			reason:  "a resource deleted since it was observed is an error naming it",
			attrs:   map[string]string{"arn": arn},
			set:     map[string]string{"team": "identity"},
			fail:    notFound(codeClusterNotFound),
			want:    []string{"add " + arn + " team=identity"},
			wantErr: "tag DB cluster kc-aurora: api error DBClusterNotFoundFault",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var calls []string
			api := &fakeAPI{
				AddTagsToResourceFn: func(in *rds.AddTagsToResourceInput) (*rds.AddTagsToResourceOutput, error) {
					call := "add " + aws.ToString(in.ResourceName)
					for _, tag := range in.Tags {
						call += " " + aws.ToString(tag.Key) + "=" + aws.ToString(tag.Value)
					}
					calls = append(calls, call)
					return &rds.AddTagsToResourceOutput{}, tc.fail
				},
				RemoveTagsFromResourceFn: func(in *rds.RemoveTagsFromResourceInput) (*rds.RemoveTagsFromResourceOutput, error) {
					calls = append(calls, "remove "+aws.ToString(in.ResourceName)+" "+strings.Join(in.TagKeys, " "))
					return &rds.RemoveTagsFromResourceOutput{}, tc.fail
				},
			}
			o := resource.Observation{Kind: resource.KindDBCluster, Exists: true, ID: "kc-aurora", Attrs: tc.attrs}
			err := newClusterHandler(api, nil).SetTags(context.Background(), o, tc.set, tc.remove)
			if tc.wantErr == "" && err != nil || tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)) {
				t.Errorf("%s\nSetTags: got error %v, want %q", tc.reason, err, tc.wantErr)
			}
			if diff := cmp.Diff(tc.want, calls); diff != "" {
				t.Errorf("%s\nSetTags calls: -want +got:\n%s", tc.reason, diff)
			}
		})
	}
}
