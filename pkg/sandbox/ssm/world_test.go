package ssm

import "github.com/kcstack/kcstack/pkg/sandbox/api/apitest"

// newWorld returns a world holding an empty ssm state.
func newWorld() *apitest.World { return apitest.NewWorld(ServiceName, NewState()) }
