package discovery

import (
	"github.com/kcstack/kcstack/pkg/aws/clients"
)

// Register adds the handlers of the discovery kinds to s, and their
// observer as a part of the shared tagging observer, over c's Cloud Map
// and S3 clients. o.Wait, when set, bounds the Cloud Map waits.
func Register(s *clients.Set, c *clients.Clients, o clients.Options) {
	cloudMap := clients.Over[CloudMapAPI](c.CloudMap, o)
	s.Add(&NamespaceHandler{cloudMap(namespaceDescriptor)}, &ServiceHandler{cloudMap(serviceDescriptor)}, &BucketHandler{clients.NewBase[S3API](bucketDescriptor, c.S3, o)})
	s.ObserveTagged(&Observer{CloudMap: c.CloudMap, S3: c.S3}, kinds...)
}
