package secretsmanager

import "github.com/kcstack/kcstack/pkg/sandbox/api/apitest"

// newWorld returns a world holding an empty secretsmanager state.
func newWorld() *apitest.World { return apitest.NewWorld(ServiceName, NewState()) }
