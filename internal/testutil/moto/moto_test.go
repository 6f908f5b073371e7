package moto_test

import (
	"net/http"
	"os"
	"os/exec"
	"testing"

	"github.com/kcstack/kcstack/internal/testutil/moto"
)

func TestMain(m *testing.M) { os.Exit(moto.Run(m)) }

func TestURLAnswersAndResets(t *testing.T) {
	u := moto.Private(t)
	answers(t, u)
	moto.Reset(t, u)
	if again := moto.Private(t); again != u {
		t.Errorf("second URL = %q, want the same server %q", again, u)
	}
}

func TestOwnIsTheTestsAlone(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("moto_server"); err != nil {
		t.Skip("moto_server is not on PATH: Own falls back to one shared server")
	}
	a, b := moto.Own(t), moto.Own(t)
	if a == b {
		t.Fatalf("two Own servers are the same %s", a)
	}
	answers(t, a)
	answers(t, b)
}

// answers fails t unless the moto server at u answers its dashboard API.
func answers(t *testing.T, u string) {
	t.Helper()
	resp, err := http.Get(u + "/moto-api/")
	if err != nil {
		t.Fatalf("GET %s/moto-api/: %v", u, err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s/moto-api/: HTTP %s, want 200", u, resp.Status)
	}
}
