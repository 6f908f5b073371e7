package kube

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// exitingAPIServer stands in for a kube-apiserver that refuses its flags.
const exitingAPIServer = "#!/bin/sh\necho 'error: flag provided but not defined' >&2\nexit 1\n"

func TestStartReportsAnAPIServerThatExitsAndCleansUp(t *testing.T) {
	fake := filepath.Join(t.TempDir(), "kube-apiserver")
	if err := os.WriteFile(fake, []byte(exitingAPIServer), 0o755); err != nil {
		t.Fatal(err)
	}
	etcd, err := exec.LookPath("etcd")
	if err != nil {
		t.Skip("etcd is not on PATH")
	}
	parent := t.TempDir()
	s, err := start(parent, fake, etcd)
	if err == nil {
		s.Stop()
		t.Fatal("start succeeded with an API server that exits")
	}
	for _, want := range []string{"exited before it was ready", "error: flag provided but not defined"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("start error lacks %q:\n%v", want, err)
		}
	}
	left, _ := os.ReadDir(parent)
	for _, e := range left {
		t.Errorf("%s left behind in %s", e.Name(), parent)
	}
}
