package loadbalancer_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/aws/awserr"
	"github.com/kcstack/kcstack/pkg/aws/clients"
	"github.com/kcstack/kcstack/pkg/aws/loadbalancer"
	"github.com/kcstack/kcstack/pkg/resource"
	"github.com/kcstack/kcstack/pkg/sandbox/sandboxtest"
)

// TestSetTags calls SetTags on a target group tagged team=identity,
// env=dev, and reads its tags back with DescribeTags.
func TestSetTags(t *testing.T) {
	cases := map[string]struct {
		reason   string
		set      map[string]string
		remove   []string
		gone     bool
		wantTags map[string]string
		wantCode string
	}{
		"AddChangeRemove": {
			reason:   "set adds and changes keys, remove drops them",
			set:      map[string]string{"team": "platform", "cost-center": "42"},
			remove:   []string{"env"},
			wantTags: map[string]string{"team": "platform", "cost-center": "42"},
		},
		"RemoveAbsent": {
			reason:   "removing a key the resource lacks is not an error",
			remove:   []string{"owner"},
			wantTags: map[string]string{"team": "identity", "env": "dev"},
		},
		"SetSame": {
			reason:   "setting a tag to its value changes nothing",
			set:      map[string]string{"team": "identity"},
			wantTags: map[string]string{"team": "identity", "env": "dev"},
		},
		"Gone": {
			reason:   "a resource that no longer exists is an error the engine reports",
			set:      map[string]string{"team": "platform"},
			gone:     true,
			wantCode: "TargetGroupNotFound",
		},
	}
	srv := sandboxtest.New(t)
	api := elb.NewFromConfig(sandboxtest.AWSConfig(t, srv))
	h := &loadbalancer.TargetGroupHandler{Base: clients.Base[loadbalancer.API]{API: api, Stack: stack}}
	i := 0
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			i++
			arn := lambdaTargetGroup(t, api, fmt.Sprintf("set-tags-%d", i))
			if tc.gone {
				if _, err := api.DeleteTargetGroup(ctx, &elb.DeleteTargetGroupInput{TargetGroupArn: aws.String(arn)}); err != nil {
					t.Fatalf("delete target group: %v", err)
				}
			}
			err := h.SetTags(ctx, resource.Observation{ID: arn}, tc.set, tc.remove)
			if got := awserr.Code(err); got != tc.wantCode || (err != nil) != (tc.wantCode != "") {
				t.Fatalf("%s\nSetTags: error %v, want code %q", tc.reason, err, tc.wantCode)
			}
			if tc.gone {
				return
			}
			out, err := api.DescribeTags(ctx, &elb.DescribeTagsInput{ResourceArns: []string{arn}})
			if err != nil {
				t.Fatalf("describe tags: %v", err)
			}
			if diff := cmp.Diff(tc.wantTags, tagMap(out.TagDescriptions[0].Tags)); diff != "" {
				t.Errorf("%s\ntags (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}

// lambdaTargetGroup makes a target group (of lambda type: no VPC needed)
// tagged team=identity, env=dev.
func lambdaTargetGroup(t *testing.T, api *elb.Client, name string) string {
	t.Helper()
	out, err := api.CreateTargetGroup(context.Background(), &elb.CreateTargetGroupInput{
		Name: aws.String(name), TargetType: types.TargetTypeEnumLambda,
		Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("identity")}, {Key: aws.String("env"), Value: aws.String("dev")}},
	})
	if err != nil {
		t.Fatalf("create target group %s: %v", name, err)
	}
	return aws.ToString(out.TargetGroups[0].TargetGroupArn)
}
