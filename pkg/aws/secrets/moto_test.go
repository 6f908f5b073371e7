package secrets

import (
	"os"
	"testing"

	"github.com/kcstack/kcstack/internal/testutil/moto"
	"github.com/kcstack/kcstack/pkg/aws/awstest"
	"github.com/kcstack/kcstack/pkg/aws/clients"
	"github.com/kcstack/kcstack/pkg/plan"
	"github.com/kcstack/kcstack/pkg/resource"
	"github.com/kcstack/kcstack/pkg/sandbox/sandboxtest"
)

func TestMain(m *testing.M) { os.Exit(moto.Run(m)) }

// TestMotoLifecycle creates, rotates and destroys a secret on moto (an
// AWS emulator none of us wrote), under a stack and name of its own, as
// the server may be shared.
func TestMotoLifecycle(t *testing.T) {
	t.Parallel()
	c := clients.New(sandboxtest.Config(t, moto.URL(t)))
	stack := moto.Stack()
	cycle, _ := awstest.NewSetCycle(t, stack, c, Register)
	ds := desired()
	ds[0].Props[propName] = "kcstack/" + stack + "/redis/shop-dev"
	ds = awstest.Tagged(ds, stack, awstest.OfKinds(resource.KindSecret))

	cycle.Apply(cycle.Plan(ds, false))
	cycle.NoChanges(ds, "after apply")
	ds[0].Props[propPasswordLength] = int64(40)
	cycle.Update(ds, map[string]plan.Action{ds[0].Address: plan.ActionUpdate}, "password length")
	cycle.DestroyAll(ds)
}
