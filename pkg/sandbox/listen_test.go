package sandbox

import (
	"strings"
	"testing"
)

// TestCheckListen: loopback addresses are taken, every other one is
// refused with the way to allow it, unless remote listening is allowed.
func TestCheckListen(t *testing.T) {
	loopback := []string{"127.0.0.1:4566", "127.8.9.10:0", "[::1]:4566", "localhost:4566"}
	// All interfaces (0.0.0.0, ::, no host), a LAN address, a name that
	// may resolve anywhere, and an address without a port.
	remote := []string{"0.0.0.0:4566", ":4566", "[::]:4566", "192.168.1.5:4566", "sandbox.internal:4566", "127.0.0.1"}
	for _, addr := range loopback {
		if err := checkListen(addr, false); err != nil {
			t.Errorf("loopback %s refused: %v", addr, err)
		}
	}
	for _, addr := range remote {
		err := checkListen(addr, false)
		if err == nil || !strings.Contains(err.Error(), "--allow-remote") {
			t.Errorf("%s: got %v, want a refusal that names --allow-remote", addr, err)
		}
		if err := checkListen(addr, true); err != nil {
			t.Errorf("%s with remote allowed: %v", addr, err)
		}
	}
}

func TestStartRefusesRemoteListen(t *testing.T) {
	srv, err := Start(WithListen("0.0.0.0:0"))
	if err == nil {
		_ = srv.Close()
		t.Fatal("Start listened on 0.0.0.0 without WithAllowRemote")
	}
	if !strings.Contains(err.Error(), "not a loopback address") {
		t.Errorf("refusal does not say why: %v", err)
	}
}
