package tagging_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsrds "github.com/aws/aws-sdk-go-v2/service/rds"
	rdstypes "github.com/aws/aws-sdk-go-v2/service/rds/types"
	rgt "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi"
	"github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi/types"
	sm "github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	smtypes "github.com/aws/aws-sdk-go-v2/service/secretsmanager/types"
	awsssm "github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/sandbox"
	"github.com/kcstack/kcstack/pkg/sandbox/rds"
	"github.com/kcstack/kcstack/pkg/sandbox/sandboxtest"
	"github.com/kcstack/kcstack/pkg/sandbox/secretsmanager"
	"github.com/kcstack/kcstack/pkg/sandbox/ssm"
	"github.com/kcstack/kcstack/pkg/sandbox/tagging"
)

// seed creates a tagged cluster, secret and parameter per stack and
// returns the tagging client and the ARNs by stack, in ARN order.
func seed(t *testing.T) (*rgt.Client, map[string][]string) {
	t.Helper()
	ctx := context.Background()
	srv := sandboxtest.New(t, sandbox.WithServices(rds.Service(), secretsmanager.Service(), ssm.Service(), tagging.Service()))
	cfg := sandboxtest.AWSConfig(t, srv)
	arns := map[string][]string{}
	for _, stack := range []string{"dev", "prod"} {
		cl, err := awsrds.NewFromConfig(cfg).CreateDBCluster(ctx, &awsrds.CreateDBClusterInput{
			DBClusterIdentifier: aws.String(stack + "-db"), Engine: aws.String("aurora-postgresql"),
			MasterUsername: aws.String("keycloak"), MasterUserPassword: aws.String("longenough"),
			Tags: []rdstypes.Tag{{Key: aws.String("kcstack:stack"), Value: aws.String(stack)}},
		})
		if err != nil {
			t.Fatalf("CreateDBCluster: %v", err)
		}
		sec, err := sm.NewFromConfig(cfg).CreateSecret(ctx, &sm.CreateSecretInput{
			Name: aws.String(stack + "/admin"), SecretString: aws.String("x"),
			Tags: []smtypes.Tag{{Key: aws.String("kcstack:stack"), Value: aws.String(stack)}},
		})
		if err != nil {
			t.Fatalf("CreateSecret: %v", err)
		}
		_, err = awsssm.NewFromConfig(cfg).PutParameter(ctx, &awsssm.PutParameterInput{
			Name: aws.String("/kcstack/" + stack + "/lock"), Value: aws.String("x"), Type: ssmtypes.ParameterTypeString,
			Tags: []ssmtypes.Tag{{Key: aws.String("kcstack:stack"), Value: aws.String(stack)}},
		})
		if err != nil {
			t.Fatalf("PutParameter: %v", err)
		}
		arns[stack] = []string{aws.ToString(cl.DBCluster.DBClusterArn), aws.ToString(sec.ARN), "arn:aws:ssm:eu-west-1:123456789012:parameter/kcstack/" + stack + "/lock"}
	}
	return rgt.NewFromConfig(cfg), arns
}

func TestGetResourcesOverHTTP(t *testing.T) {
	client, arns := seed(t)
	cases := map[string]struct {
		reason string
		in     *rgt.GetResourcesInput
		want   []string
	}{
		"Stack": {reason: "a stack's resources across services", want: arns["prod"],
			in: &rgt.GetResourcesInput{TagFilters: []types.TagFilter{{Key: aws.String("kcstack:stack"), Values: []string{"prod"}}}}},
		"StackClusters": {reason: "type filters narrow to RDS clusters", want: arns["prod"][:1],
			in: &rgt.GetResourcesInput{ResourceTypeFilters: []string{"rds:cluster"}, TagFilters: []types.TagFilter{{Key: aws.String("kcstack:stack"), Values: []string{"prod"}}}}},
		"Service": {reason: "a service filter takes all its types", want: []string{arns["dev"][1], arns["prod"][1]},
			in: &rgt.GetResourcesInput{ResourceTypeFilters: []string{"secretsmanager"}}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			p := rgt.NewGetResourcesPaginator(client, tc.in)
			sandboxtest.CheckPages(t, "GetResources ("+tc.reason+")", tc.want, 0, p.HasMorePages, p.NextPage,
				func(o *rgt.GetResourcesOutput) []types.ResourceTagMapping { return o.ResourceTagMappingList },
				func(m types.ResourceTagMapping) *string { return m.ResourceARN })
		})
	}
}

func TestGetResourcesPagesOverHTTP(t *testing.T) {
	ctx := context.Background()
	client, _ := seed(t)
	p := rgt.NewGetResourcesPaginator(client, &rgt.GetResourcesInput{ResourcesPerPage: aws.Int32(4)})
	pages, total := 0, 0
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatalf("GetResources: %v", err)
		}
		pages++
		total += len(out.ResourceTagMappingList)
	}
	if pages != 2 || total != 6 {
		t.Errorf("6 resources by 4: %d pages, %d resources", pages, total)
	}
	keys, err := client.GetTagKeys(ctx, &rgt.GetTagKeysInput{})
	if err != nil || !cmp.Equal(keys.TagKeys, []string{"kcstack:stack"}) {
		t.Errorf("GetTagKeys: %+v, %v", keys, err)
	}
	values, err := client.GetTagValues(ctx, &rgt.GetTagValuesInput{Key: aws.String("kcstack:stack")})
	if err != nil || !cmp.Equal(values.TagValues, []string{"dev", "prod"}) {
		t.Errorf("GetTagValues: %+v, %v", values, err)
	}
}
