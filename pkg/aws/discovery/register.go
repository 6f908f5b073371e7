package discovery

import (
	"github.com/kcstack/kcstack/pkg/aws/clients"
	"github.com/kcstack/kcstack/pkg/resource"
)

// Register adds the handlers of the discovery kinds to s, and their
// observer as a part of the shared tagging observer, over c's Cloud Map
// and S3 clients. o.Wait, when set, bounds the Cloud Map waits.
func Register(s *clients.Set, c *clients.Clients, o clients.Options) {
	s.Add(
		&NamespaceHandler{Described: resource.Described{Descriptor: namespaceDescriptor}, API: c.CloudMap, Stack: o.Stack, Wait: o.Wait},
		&ServiceHandler{Described: resource.Described{Descriptor: serviceDescriptor}, API: c.CloudMap, Stack: o.Stack, Wait: o.Wait},
		&BucketHandler{Described: resource.Described{Descriptor: bucketDescriptor}, API: c.S3, Stack: o.Stack},
	)
	s.ObserveTagged(&Observer{CloudMap: c.CloudMap, S3: c.S3}, kinds...)
}
