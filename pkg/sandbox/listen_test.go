package sandbox

import (
	"strings"
	"testing"
)

func TestCheckListen(t *testing.T) {
	cases := map[string]struct {
		reason string
		addr   string
		remote bool
		ok     bool
	}{
		"loopback v4":    {reason: "127.0.0.1 is loopback", addr: "127.0.0.1:4566", ok: true},
		"loopback range": {reason: "all of 127.0.0.0/8 is loopback", addr: "127.8.9.10:0", ok: true},
		"loopback v6":    {reason: "::1 is loopback", addr: "[::1]:4566", ok: true},
		"localhost":      {reason: "localhost names the loopback", addr: "localhost:4566", ok: true},
		"all interfaces": {reason: "0.0.0.0 listens everywhere", addr: "0.0.0.0:4566"},
		"no host":        {reason: "an empty host listens everywhere", addr: ":4566"},
		"v6 all":         {reason: ":: listens everywhere", addr: "[::]:4566"},
		"lan address":    {reason: "a LAN address is reachable from the LAN", addr: "192.168.1.5:4566"},
		"other name":     {reason: "a host name other than localhost may resolve anywhere", addr: "sandbox.internal:4566"},
		"allowed remote": {reason: "--allow-remote allows any address", addr: "0.0.0.0:4566", remote: true, ok: true},
		"no port":        {reason: "an address without a port is no loopback address", addr: "127.0.0.1"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			err := checkListen(tc.addr, tc.remote)
			if (err == nil) != tc.ok {
				t.Fatalf("%s: checkListen(%q, %v) = %v, want ok %v", tc.reason, tc.addr, tc.remote, err, tc.ok)
			}
			if err != nil && !strings.Contains(err.Error(), "--allow-remote") {
				t.Errorf("the refusal does not say how to allow it: %v", err)
			}
		})
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
