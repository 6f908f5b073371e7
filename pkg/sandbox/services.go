package sandbox

import (
	"github.com/kcstack/kcstack/pkg/sandbox/acm"
	"github.com/kcstack/kcstack/pkg/sandbox/api"
	"github.com/kcstack/kcstack/pkg/sandbox/ec2"
	"github.com/kcstack/kcstack/pkg/sandbox/ecs"
	"github.com/kcstack/kcstack/pkg/sandbox/elasticache"
	"github.com/kcstack/kcstack/pkg/sandbox/elbv2"
	"github.com/kcstack/kcstack/pkg/sandbox/iam"
	"github.com/kcstack/kcstack/pkg/sandbox/logs"
	"github.com/kcstack/kcstack/pkg/sandbox/rds"
	"github.com/kcstack/kcstack/pkg/sandbox/s3"
	"github.com/kcstack/kcstack/pkg/sandbox/secretsmanager"
	"github.com/kcstack/kcstack/pkg/sandbox/servicediscovery"
	"github.com/kcstack/kcstack/pkg/sandbox/ssm"
	"github.com/kcstack/kcstack/pkg/sandbox/sts"
	"github.com/kcstack/kcstack/pkg/sandbox/tagging"
)

// All returns every emulated service.
func All() []api.Service {
	return []api.Service{
		ec2.Service(),
		rds.Service(),
		secretsmanager.Service(),
		ssm.Service(),
		sts.Service(),
		tagging.Service(),
		logs.Service(),
		iam.Service(),
		ecs.Service(),
		elbv2.Service(),
		servicediscovery.Service(),
		s3.Service(),
		acm.Service(),
		elasticache.Service(),
	}
}
