// Package clients is what every pkg/aws/<service> package is built from:
// the SDK clients of one AWS configuration, the stack they work for, and
// the Set a package's Register adds its handlers and observers to. Every
// service package has one constructor of the same shape:
//
//	func Register(s *clients.Set, c *clients.Clients, o clients.Options)
package clients

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	tagging "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"
	sd "github.com/aws/aws-sdk-go-v2/service/servicediscovery"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/kcstack/kcstack/pkg/aws/poll"
	"github.com/kcstack/kcstack/pkg/resource"
)

// IAMRegion is where IAM, a global service, answers the tagging API.
const IAMRegion = "us-east-1"

// Clients are the SDK clients of one AWS configuration, one per service.
type Clients struct {
	EC2           *ec2.Client
	RDS           *rds.Client
	ECS           *ecs.Client
	Logs          *cloudwatchlogs.Client
	IAM           *iam.Client
	ELB           *elb.Client
	CloudMap      *sd.Client
	S3            *s3.Client
	ElastiCache   *elasticache.Client
	Secrets       *secretsmanager.Client
	STS           *sts.Client
	Tagging       *tagging.Client
	GlobalTagging *tagging.Client // the tagging API in IAMRegion, for roles
}

// New builds every client from cfg. S3 uses path-style addresses when cfg
// names a custom endpoint (the sandbox).
func New(cfg aws.Config) *Clients {
	return &Clients{
		EC2: ec2.NewFromConfig(cfg), RDS: rds.NewFromConfig(cfg), ECS: ecs.NewFromConfig(cfg),
		Logs: cloudwatchlogs.NewFromConfig(cfg), IAM: iam.NewFromConfig(cfg), ELB: elb.NewFromConfig(cfg),
		CloudMap:      sd.NewFromConfig(cfg),
		S3:            s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = cfg.BaseEndpoint != nil }),
		STS:           sts.NewFromConfig(cfg),
		ElastiCache:   elasticache.NewFromConfig(cfg),
		Secrets:       secretsmanager.NewFromConfig(cfg),
		Tagging:       tagging.NewFromConfig(cfg),
		GlobalTagging: tagging.NewFromConfig(cfg, func(o *tagging.Options) { o.Region = IAMRegion }),
	}
}

// Options are the settings every service package takes.
type Options struct {
	// Stack is the stack's name, the value of the kcstack:stack tag.
	Stack string
	// Wait, when set, bounds the handlers' waits (tests shorten them);
	// each package keeps its own defaults otherwise.
	Wait *poll.Options
}

// TaggedObserver reads some kinds given what one tagging API call listed
// for the stack (tags by ARN). Packages whose kinds are found through the
// tagging API add one to a Set; one observer then asks the tagging API
// once for all of them.
type TaggedObserver interface {
	ObserveTagged(ctx context.Context, q resource.Query, tagged map[string]map[string]string) ([]resource.Observation, error)
}

// Set collects what the service packages register.
type Set struct {
	Handlers  []resource.Handler
	Observers []resource.Observer
	// Tagged are the parts of the shared tagging observer, with the kinds
	// each reads.
	Tagged []Tagged
}

// Tagged is one part of the shared tagging observer.
type Tagged struct {
	Kinds    []resource.Kind
	Observer TaggedObserver
}

// Add adds handlers.
func (s *Set) Add(hs ...resource.Handler) { s.Handlers = append(s.Handlers, hs...) }

// Observe adds observers.
func (s *Set) Observe(os ...resource.Observer) { s.Observers = append(s.Observers, os...) }

// ObserveTagged adds a part of the shared tagging observer reading kinds.
func (s *Set) ObserveTagged(o TaggedObserver, kinds ...resource.Kind) {
	s.Tagged = append(s.Tagged, Tagged{Kinds: kinds, Observer: o})
}
