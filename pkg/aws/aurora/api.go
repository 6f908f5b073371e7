package aurora

import (
	"context"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	rgt "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi"

	"github.com/kcstack/kcstack/pkg/aws/poll"
	"github.com/kcstack/kcstack/pkg/resource"
)

// API is the part of *rds.Client this package calls.
type API interface {
	DescribeDBSubnetGroups(ctx context.Context, in *rds.DescribeDBSubnetGroupsInput, opts ...func(*rds.Options)) (*rds.DescribeDBSubnetGroupsOutput, error)
	CreateDBSubnetGroup(ctx context.Context, in *rds.CreateDBSubnetGroupInput, opts ...func(*rds.Options)) (*rds.CreateDBSubnetGroupOutput, error)
	ModifyDBSubnetGroup(ctx context.Context, in *rds.ModifyDBSubnetGroupInput, opts ...func(*rds.Options)) (*rds.ModifyDBSubnetGroupOutput, error)
	DeleteDBSubnetGroup(ctx context.Context, in *rds.DeleteDBSubnetGroupInput, opts ...func(*rds.Options)) (*rds.DeleteDBSubnetGroupOutput, error)

	DescribeDBClusters(ctx context.Context, in *rds.DescribeDBClustersInput, opts ...func(*rds.Options)) (*rds.DescribeDBClustersOutput, error)
	CreateDBCluster(ctx context.Context, in *rds.CreateDBClusterInput, opts ...func(*rds.Options)) (*rds.CreateDBClusterOutput, error)
	ModifyDBCluster(ctx context.Context, in *rds.ModifyDBClusterInput, opts ...func(*rds.Options)) (*rds.ModifyDBClusterOutput, error)
	DeleteDBCluster(ctx context.Context, in *rds.DeleteDBClusterInput, opts ...func(*rds.Options)) (*rds.DeleteDBClusterOutput, error)

	DescribeDBInstances(ctx context.Context, in *rds.DescribeDBInstancesInput, opts ...func(*rds.Options)) (*rds.DescribeDBInstancesOutput, error)
	CreateDBInstance(ctx context.Context, in *rds.CreateDBInstanceInput, opts ...func(*rds.Options)) (*rds.CreateDBInstanceOutput, error)
	ModifyDBInstance(ctx context.Context, in *rds.ModifyDBInstanceInput, opts ...func(*rds.Options)) (*rds.ModifyDBInstanceOutput, error)
	DeleteDBInstance(ctx context.Context, in *rds.DeleteDBInstanceInput, opts ...func(*rds.Options)) (*rds.DeleteDBInstanceOutput, error)

	ListTagsForResource(ctx context.Context, in *rds.ListTagsForResourceInput, opts ...func(*rds.Options)) (*rds.ListTagsForResourceOutput, error)
	AddTagsToResource(ctx context.Context, in *rds.AddTagsToResourceInput, opts ...func(*rds.Options)) (*rds.AddTagsToResourceOutput, error)
	RemoveTagsFromResource(ctx context.Context, in *rds.RemoveTagsFromResourceInput, opts ...func(*rds.Options)) (*rds.RemoveTagsFromResourceOutput, error)
}

// TaggingAPI is the part of the resource groups tagging API client this
// package calls: it finds owned DB subnet groups, whose describe output
// has no tags.
type TaggingAPI interface {
	GetResources(ctx context.Context, in *rgt.GetResourcesInput, opts ...func(*rgt.Options)) (*rgt.GetResourcesOutput, error)
}

var (
	_ API        = (*rds.Client)(nil)
	_ TaggingAPI = (*rgt.Client)(nil)
)

// Option tunes the handlers.
type Option func(*settings)

type settings struct {
	wait poll.Options
}

// WithPoll sets how the handlers wait for RDS states (default: poll's
// short first interval and backoff, with a 60-minute timeout, as creating
// an Aurora instance can take many minutes).
func WithPoll(o poll.Options) Option { return func(s *settings) { s.wait = o } }

func newSettings(opts []Option) settings {
	s := settings{wait: poll.Options{Timeout: time.Hour}}
	for _, o := range opts {
		o(&s)
	}
	return s
}

// Handlers are the handlers and the observer of the three RDS kinds,
// sharing clients.
type Handlers struct {
	// SubnetGroup handles rds:subgrp.
	SubnetGroup *SubnetGroupHandler
	// Cluster handles rds:cluster.
	Cluster *ClusterHandler
	// Instance handles rds:db.
	Instance *InstanceHandler
	// Observer reads all three kinds at once.
	Observer *Observer
}

// New builds the handlers and the observer from an SDK configuration.
func New(cfg aws.Config, opts ...Option) Handlers {
	api := rds.NewFromConfig(cfg)
	tags := rgt.NewFromConfig(cfg)
	return NewHandlers(api, tags, opts...)
}

// NewHandlers builds the handlers and the observer over the given clients.
func NewHandlers(api API, tags TaggingAPI, opts ...Option) Handlers {
	return Handlers{
		SubnetGroup: NewSubnetGroupHandler(api, tags, opts...),
		Cluster:     NewClusterHandler(api, opts...),
		Instance:    NewInstanceHandler(api, opts...),
		Observer:    NewObserver(api, tags),
	}
}

// Register adds the three handlers to r.
func (h Handlers) Register(r resource.Registry) {
	r[resource.KindDBSubnetGroup] = h.SubnetGroup
	r[resource.KindDBCluster] = h.Cluster
	r[resource.KindDBInstance] = h.Instance
}
