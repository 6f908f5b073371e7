package e2e

import (
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
)

// awsCLI finds the aws CLI once for the package's calls (awsCLIPath).
var awsCLI = sync.OnceValues(awsCLIPath)

// awsCLIPath returns the path of the aws CLI on PATH. A pyenv shim
// (…/shims/aws) is resolved to the program it runs, as `pyenv which aws`
// names it: the shim starts bash and pyenv before the CLI on every call,
// about half as much time again as the CLI's own start, and the tests
// make hundreds of calls. When pyenv cannot say, the shim is used.
func awsCLIPath() (string, error) {
	path, err := exec.LookPath("aws")
	if err != nil || filepath.Base(filepath.Dir(path)) != "shims" {
		return path, err
	}
	out, err := exec.Command("pyenv", "which", "aws").Output()
	if real := strings.TrimSpace(string(out)); err == nil && filepath.IsAbs(real) {
		return real, nil
	}
	return path, nil
}
