package network_test

import (
	"context"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/aws/aurora"
	"github.com/kcstack/kcstack/pkg/aws/clients"
	"github.com/kcstack/kcstack/pkg/aws/network"
	"github.com/kcstack/kcstack/pkg/resource"
)

// loadBalancer stands in for the handler of the load balancer kind, which
// the internet gateway's deletes wait for.
type loadBalancer struct{ resource.Handler }

func (loadBalancer) Describe() resource.Descriptor {
	return resource.Descriptor{
		Kind: resource.KindLoadBalancer, Untagged: "test stand-in", Deletion: resource.Deletion{Placed: true},
		DataLoss: resource.NoDataLoss, Create: resource.Creation{Operations: []string{"CreateLoadBalancer"}, Idempotent: true},
	}
}

func (loadBalancer) Delete(context.Context, resource.Observation, map[string]string) error {
	return nil
}

// TestDescriptors checks that the descriptors of this package and of
// aurora (whose kinds refer to subnets and security groups) make a valid
// registry, and that exactly the creates a blind retry could repeat are
// marked so.
func TestDescriptors(t *testing.T) {
	s := &clients.Set{}
	network.Register(s, &clients.Clients{}, clients.Options{Stack: "s"})
	aurora.Register(s, &clients.Clients{}, clients.Options{Stack: "s"})
	r, err := resource.NewRegistry(append(s.Handlers, loadBalancer{})...)
	if err != nil {
		t.Fatalf("NewRegistry: %v", err)
	}
	var unsafe []string
	for _, d := range r.Descriptors() {
		if !d.Create.Idempotent {
			unsafe = append(unsafe, d.Create.Operations...)
		}
	}
	sort.Strings(unsafe)
	want := []string{"AllocateAddress", "AttachInternetGateway", "CreateInternetGateway", "CreateRouteTable", "CreateSubnet", "CreateVpc", "CreateVpcPeeringConnection"}
	if diff := cmp.Diff(want, unsafe); diff != "" {
		t.Errorf("creates a retry could repeat: -want +got:\n%s", diff)
	}
}
