package compute

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	tagging "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi"

	"github.com/kcstack/kcstack/pkg/resource"
)

// IAMRegion is where the tagging API lists IAM's (global) roles.
const IAMRegion = "us-east-1"

// New returns the handlers of every kind this package manages and the
// observers that read them, over clients made from cfg: the first reads
// all but services (and can be a part of ownership.Shared), the second
// the services of the clusters found.
func New(cfg aws.Config, stack string) ([]resource.Handler, *Observer, *ServiceObserver) {
	logs, iamc, ecsc := cloudwatchlogs.NewFromConfig(cfg), iam.NewFromConfig(cfg), ecs.NewFromConfig(cfg)
	return []resource.Handler{
			&LogGroupHandler{API: logs, Stack: stack}, &RoleHandler{API: iamc, Stack: stack},
			&ClusterHandler{API: ecsc, Stack: stack}, &TaskDefinitionHandler{API: ecsc, Stack: stack},
			&ServiceHandler{API: ecsc, Stack: stack},
		}, &Observer{Logs: logs, IAM: iamc, ECS: ecsc, Tagging: tagging.NewFromConfig(cfg),
			GlobalTagging: tagging.NewFromConfig(cfg, func(o *tagging.Options) { o.Region = IAMRegion })},
		&ServiceObserver{ECS: ecsc}
}
