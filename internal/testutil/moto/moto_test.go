package moto_test

import (
	"net/http"
	"os"
	"testing"

	"github.com/kcstack/kcstack/internal/testutil/moto"
)

func TestMain(m *testing.M) { os.Exit(moto.Run(m)) }

func TestURLAnswersAndResets(t *testing.T) {
	u := moto.Private(t)
	resp, err := http.Get(u + "/moto-api/")
	if err != nil {
		t.Fatalf("GET %s/moto-api/: %v", u, err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s/moto-api/: HTTP %s, want 200", u, resp.Status)
	}
	moto.Reset(t, u)
	if again := moto.Private(t); again != u {
		t.Errorf("second URL = %q, want the same server %q", again, u)
	}
}
