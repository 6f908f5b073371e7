package apply

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/ssm"

	"github.com/kcstack/kcstack/pkg/resource"
)

// fakeHandler is a resource.Handler, Finder and Resumer of function
// fields; a nil field answers the zero value.
type fakeHandler struct {
	CreateFn func(context.Context, resource.Desired) (resource.Observation, error)
	FindFn   func(context.Context, string, string) (resource.Observation, error)
	ResumeFn func(context.Context, resource.Desired, resource.Observation) (resource.Observation, error)
}

// fakeKind describes fake:thing, whose create is not idempotent.
var fakeKind = resource.Descriptor{Kind: "fake:thing", Untagged: "a fake", Deletion: resource.Deletion{Placed: true},
	DataLoss: resource.NoDataLoss, Create: resource.Creation{Operations: []string{"CreateThing"}}}

func (f *fakeHandler) Describe() resource.Descriptor { return fakeKind }
func (f *fakeHandler) Diff(resource.Desired, resource.Observation) []resource.FieldDiff {
	return nil
}
func (f *fakeHandler) Create(ctx context.Context, d resource.Desired) (resource.Observation, error) {
	return f.CreateFn(ctx, d)
}
func (f *fakeHandler) Update(context.Context, resource.Desired, resource.Observation, []resource.FieldDiff) (resource.Observation, error) {
	return resource.Observation{}, nil
}
func (f *fakeHandler) Delete(context.Context, resource.Observation, map[string]string) error {
	return nil
}
func (f *fakeHandler) FindByAddress(ctx context.Context, stack, address string) (resource.Observation, error) {
	return f.FindFn(ctx, stack, address)
}
func (f *fakeHandler) Resume(ctx context.Context, d resource.Desired, o resource.Observation) (resource.Observation, error) {
	return f.ResumeFn(ctx, d, o)
}

var (
	_ resource.Finder  = (*fakeHandler)(nil)
	_ resource.Resumer = (*fakeHandler)(nil)
)

// fakeSSM is an SSM of function fields.
type fakeSSM struct {
	PutFn    func(*ssm.PutParameterInput) (*ssm.PutParameterOutput, error)
	GetFn    func(*ssm.GetParameterInput) (*ssm.GetParameterOutput, error)
	DeleteFn func(*ssm.DeleteParameterInput) (*ssm.DeleteParameterOutput, error)
}

func (f *fakeSSM) PutParameter(_ context.Context, in *ssm.PutParameterInput, _ ...func(*ssm.Options)) (*ssm.PutParameterOutput, error) {
	return f.PutFn(in)
}
func (f *fakeSSM) GetParameter(_ context.Context, in *ssm.GetParameterInput, _ ...func(*ssm.Options)) (*ssm.GetParameterOutput, error) {
	return f.GetFn(in)
}
func (f *fakeSSM) DeleteParameter(_ context.Context, in *ssm.DeleteParameterInput, _ ...func(*ssm.Options)) (*ssm.DeleteParameterOutput, error) {
	return f.DeleteFn(in)
}
