package sandbox_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/kcstack/kcstack/pkg/sandbox"
	"github.com/kcstack/kcstack/pkg/sandbox/sandboxtest"
	"github.com/kcstack/kcstack/pkg/sandbox/statelock"
)

// TestTwoSandboxesOnOneStateFile is what two kcstack --sandbox processes in
// one directory do: the second sandbox is refused while the first runs;
// one that waits starts when the first closes and sees all its changes.
func TestTwoSandboxesOnOneStateFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "sandbox.json")
	first, err := sandbox.Start(sandbox.WithServices(fakeServices()...), sandbox.WithStateFile(path))
	if err != nil {
		t.Fatal(err)
	}
	client := ec2.NewFromConfig(sandboxtest.AWSConfig(t, first))
	createVPC := func(cidr string) {
		t.Helper()
		if _, err := client.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String(cidr)}); err != nil {
			t.Fatalf("CreateVpc %s: %v", cidr, err)
		}
	}
	createVPC("10.1.0.0/16")

	_, err = sandbox.Start(sandbox.WithServices(fakeServices()...), sandbox.WithStateFile(path))
	var held *statelock.HeldError
	if !errors.As(err, &held) || held.Holder.PID != os.Getpid() {
		t.Fatalf("a second sandbox on the state file: got %v, want a *statelock.HeldError naming pid %d", err, os.Getpid())
	}

	waiting := make(chan *statelock.HeldError, 100)
	started := make(chan *sandbox.Server, 1)
	go func() {
		defer close(started)
		l, err := statelock.Acquire(ctx, path, statelock.Options{Wait: 20 * time.Second, Every: 50 * time.Millisecond,
			OnWait: func(h *statelock.HeldError) { waiting <- h }})
		if err != nil {
			t.Errorf("wait for the state file: %v", err)
			return
		}
		srv, err := sandbox.Start(sandbox.WithServices(fakeServices()...), sandbox.WithStateFile(path), sandbox.WithStateLock(l))
		if err != nil {
			t.Errorf("start the second sandbox: %v", err)
			return
		}
		started <- srv
	}()
	<-waiting // the second waits now; the first goes on changing the state
	createVPC("10.2.0.0/16")
	if err := first.Close(); err != nil {
		t.Fatalf("close the first sandbox: %v", err)
	}
	second := <-started
	if second == nil {
		t.FailNow()
	}
	defer second.Close()
	out, err := ec2.NewFromConfig(sandboxtest.AWSConfig(t, second)).DescribeVpcs(ctx, &ec2.DescribeVpcsInput{})
	if err != nil {
		t.Fatalf("DescribeVpcs on the second sandbox: %v", err)
	}
	if len(out.Vpcs) != 2 {
		t.Errorf("the second sandbox sees %d VPCs, want the first's 2", len(out.Vpcs))
	}
}

func TestStateLockOfAnotherFile(t *testing.T) {
	dir := t.TempDir()
	l, err := statelock.Acquire(context.Background(), filepath.Join(dir, "a.json"), statelock.Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = sandbox.New(sandbox.WithServices(fakeServices()...), sandbox.WithStateFile(filepath.Join(dir, "b.json")), sandbox.WithStateLock(l))
	if err == nil {
		t.Fatal("a sandbox accepted the lock of another state file")
	}
	again, err := statelock.Acquire(context.Background(), filepath.Join(dir, "a.json"), statelock.Options{})
	if err != nil {
		t.Fatalf("the refused lock was not released: %v", err)
	}
	_ = again.Release()
}
