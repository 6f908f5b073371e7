package e2e

import (
	"flag"
	"runtime"
	"strconv"
)

// defaultParallel sets -parallel, when the command line does not, to
// twice the number of CPUs (at least 4). go test's default, one test per
// CPU, leaves the cores half idle here: an e2e test spends most of its
// time waiting on the processes it runs (kcstack, the aws CLI, tmux, moto)
// and on the sandbox's state transitions.
func defaultParallel() {
	flag.Parse()
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "test.parallel" })
	if !set {
		_ = flag.Set("test.parallel", strconv.Itoa(max(4, 2*runtime.GOMAXPROCS(0))))
	}
}
