package kube

import (
	"context"
	"testing"

	"github.com/kcstack/kcstack/pkg/resource"
)

// stub is a handler of one kind that does nothing: enough for the
// registry to check the descriptors.
type stub struct{ resource.Described }

func (stub) Create(context.Context, resource.Desired) (resource.Observation, error) {
	return resource.Observation{}, nil
}

func (stub) Update(context.Context, resource.Desired, resource.Observation, []resource.FieldDiff) (resource.Observation, error) {
	return resource.Observation{}, nil
}

func (stub) Delete(context.Context, resource.Observation, map[string]string) error { return nil }

// TestDescriptorsRegister builds a registry of the in-cluster kinds beside
// the Aurora cluster they refer to: it refuses an incomplete descriptor, a
// reference or a delete order naming a kind no handler manages, and a
// create that could make two objects.
func TestDescriptorsRegister(t *testing.T) {
	handlers := []resource.Handler{stub{resource.Described{Descriptor: resource.Descriptor{
		Kind: resource.KindDBCluster, TaggingTypes: []string{"rds:cluster"}, Deletion: resource.Deletion{Placed: true},
		DataLoss: resource.LosesData, Create: resource.Creation{Operations: []string{"CreateDBCluster"}, Idempotent: true},
	}}}, stub{resource.Described{Descriptor: resource.Descriptor{
		Kind: resource.KindPeering, TaggingTypes: []string{"ec2:vpc-peering-connection"}, Deletion: resource.Deletion{Placed: true},
		DataLoss: resource.NoDataLoss, Create: resource.Creation{Operations: []string{"CreateVpcPeeringConnection"}, Idempotent: true},
	}}}, stub{resource.Described{Descriptor: resource.Descriptor{
		Kind: resource.KindReplicationGroup, TaggingTypes: []string{"elasticache:replicationgroup"}, Deletion: resource.Deletion{Placed: true},
		DataLoss: resource.LosesData, Create: resource.Creation{Operations: []string{"CreateReplicationGroup"}, Idempotent: true},
	}}}, stub{resource.Described{Descriptor: resource.Descriptor{
		Kind: resource.KindSecret, TaggingTypes: []string{"secretsmanager:secret"}, Deletion: resource.Deletion{Placed: true},
		DataLoss: resource.NoDataLoss, Create: resource.Creation{Operations: []string{"CreateSecret"}, Idempotent: true},
	}}}}
	for _, k := range Kinds() {
		d, ok := Descriptor(k)
		if !ok {
			t.Fatalf("no descriptor for %s", k)
		}
		handlers = append(handlers, stub{resource.Described{Descriptor: d}})
	}
	r, err := resource.NewRegistry(handlers...)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(r.Kinds()); got != len(Kinds())+4 {
		t.Errorf("registry holds %d kinds, want %d", got, len(Kinds())+4)
	}
	if d, _ := Descriptor(KindNamespace); d.DataLoss != resource.LosesData {
		t.Errorf("deleting a Namespace deletes all it holds: DataLoss = %v, want LosesData", d.DataLoss)
	}
}
