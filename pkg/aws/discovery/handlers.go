package discovery

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	tagging "github.com/aws/aws-sdk-go-v2/service/resourcegroupstaggingapi"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	sd "github.com/aws/aws-sdk-go-v2/service/servicediscovery"

	"github.com/kcstack/kcstack/pkg/resource"
)

// New returns the handlers of the discovery kinds and their observer, over
// clients made from cfg. With a custom endpoint (the sandbox) S3 uses
// path-style addressing.
func New(cfg aws.Config, stack string) ([]resource.Handler, *Observer) {
	cm := sd.NewFromConfig(cfg)
	s3c := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = cfg.BaseEndpoint != nil })
	return []resource.Handler{
		&NamespaceHandler{API: cm, Stack: stack}, &ServiceHandler{API: cm, Stack: stack}, &BucketHandler{API: s3c, Stack: stack},
	}, &Observer{CloudMap: cm, S3: s3c, Tagging: tagging.NewFromConfig(cfg)}
}
