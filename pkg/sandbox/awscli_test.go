package sandbox_test

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestAWSCLI runs testdata/awscli.sh: the aws CLI against `kcstack sandbox
// serve` (create, read back, restart on the same state, delete in the wrong
// and the right order).
func TestAWSCLI(t *testing.T) { runAWSCLIScript(t, "awscli.sh") }

// TestAWSCLIECS runs testdata/awscli-ecs.sh: the aws CLI against `kcstack
// sandbox serve` for the ECS Fargate services (CloudWatch Logs, IAM, ECS,
// ELBv2, Cloud Map, S3): create, restart, read back, refused deletes,
// delete.
func TestAWSCLIECS(t *testing.T) { runAWSCLIScript(t, "awscli-ecs.sh") }

// TestAWSCLITasks runs testdata/awscli-tasks.sh: the aws CLI reads the
// tasks of an ECS service, their target health and their Cloud Map
// instances, and stops a task.
func TestAWSCLITasks(t *testing.T) { runAWSCLIScript(t, "awscli-tasks.sh") }

// TestAWSCLIRedis runs testdata/awscli-redis.sh: the aws CLI creates and
// reads ElastiCache users, a user group and an encrypted replication group
// (with a password from Secrets Manager's GetRandomPassword), across a
// restart, and deletes them in the wrong and the right order.
func TestAWSCLIRedis(t *testing.T) { runAWSCLIScript(t, "awscli-redis.sh") }

// TestAWSCLICredentials runs testdata/awscli-credentials.sh: the aws CLI
// against `kcstack sandbox serve --credentials`, signing with the right
// key pair, a wrong secret and an unknown key.
func TestAWSCLICredentials(t *testing.T) { runAWSCLIScript(t, "awscli-credentials.sh") }

// runAWSCLIScript builds kcstack and runs a script of testdata with it. The
// scripts need the aws CLI (Debian's awscli in CI), bash and curl, and take
// about a second per aws command (python starting), so -short skips them.
func runAWSCLIScript(t *testing.T, name string) {
	if testing.Short() {
		t.Skip("-short: the aws CLI takes about a second per command")
	}
	for _, tool := range []string{"aws", "bash", "curl"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not on PATH (CI installs it; apt-get install awscli curl)", tool)
		}
	}
	t.Parallel()
	work := t.TempDir()
	bin := filepath.Join(work, "kcstack")
	build := exec.Command("go", "build", "-o", bin, "github.com/kcstack/kcstack/cmd/kcstack")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build kcstack: %v\n%s", err, out)
	}
	script, err := filepath.Abs(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("bash", script)
	cmd.Dir = work
	cmd.Env = append(os.Environ(), "KCSTACK="+bin, "PORT="+freePort(t), "WORK="+work)
	out, err := cmd.CombinedOutput()
	t.Logf("%s output:\n%s", name, out)
	if err != nil {
		t.Fatalf("%s: %v (output above)", name, err)
	}
}

// freePort returns a port on 127.0.0.1 that was free a moment ago.
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("find a free port: %v", err)
	}
	defer ln.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return port
}
