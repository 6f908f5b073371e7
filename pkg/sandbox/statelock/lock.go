package statelock

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Lock is a held lock on a sandbox state file.
type Lock struct {
	state string
	f     *os.File
}

// Holder is who holds a state file's lock, as its lock file says.
type Holder struct {
	PID     int       `json:"pid"`
	Command string    `json:"command"`
	Since   time.Time `json:"since"`
}

// HeldError reports a state file whose lock another sandbox holds.
type HeldError struct {
	// State is the state file.
	State string
	// Holder is who holds it; zero when the lock file does not say (yet).
	Holder Holder
	// Waited is how long Acquire has waited so far.
	Waited time.Duration
}

func (e *HeldError) Error() string {
	waited := ""
	if e.Waited >= time.Second {
		waited = fmt.Sprintf(" (waited %s)", e.Waited.Round(time.Second))
	}
	return fmt.Sprintf("the sandbox state %s is in use by %s%s; two sandboxes on one state file would overwrite each other's changes. "+
		"Let it finish (or stop it) and run again, or work in another directory", e.State, e.Holder, waited)
}

// String names the holder for messages: "pid N (command)".
func (h Holder) String() string {
	if h.PID == 0 {
		return "another process"
	}
	if h.Command == "" {
		return fmt.Sprintf("pid %d", h.PID)
	}
	return fmt.Sprintf("pid %d (%s)", h.PID, h.Command)
}

// Options are how Acquire waits for a held lock.
type Options struct {
	// Wait is how long to wait for the holder to finish; zero refuses at once.
	Wait time.Duration
	// Every is how often OnWait is called while waiting (default 5 s).
	Every time.Duration
	// OnWait, when set, is called when the wait starts and then every
	// Every, with who holds the lock and how long Acquire has waited.
	OnWait func(*HeldError)
}

// poll is how often a waiting Acquire tries the lock again.
const poll = 100 * time.Millisecond

// Path is the lock file of the state file state.
func Path(state string) string { return state + ".lock" }

// Acquire locks the state file state, which need not exist (its
// directory is made when missing). While another process, or another Lock in this one, holds it,
// Acquire tries again until o.Wait has passed or ctx is done, and then
// returns a *HeldError naming the holder. On systems without flock it
// returns an error that says so.
func Acquire(ctx context.Context, state string, o Options) (*Lock, error) {
	if err := os.MkdirAll(filepath.Dir(state), 0o755); err != nil {
		return nil, fmt.Errorf("create the directory of the sandbox state: %w", err)
	}
	f, err := os.OpenFile(Path(state), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open the lock of the sandbox state: %w", err)
	}
	l := &Lock{state: state, f: f}
	if err := l.wait(ctx, o); err != nil {
		f.Close()
		return nil, err
	}
	if err := l.record(); err != nil {
		_ = l.Release()
		return nil, err
	}
	return l, nil
}

// wait takes the lock, trying again every poll until o.Wait has passed.
func (l *Lock) wait(ctx context.Context, o Options) error {
	every := o.Every
	if every <= 0 {
		every = 5 * time.Second
	}
	start := time.Now()
	var told time.Time
	for {
		err := tryLock(l.f)
		if !errors.Is(err, errHeld) {
			return err
		}
		held := &HeldError{State: l.state, Holder: l.holder(), Waited: time.Since(start)}
		if held.Waited >= o.Wait {
			return held
		}
		if o.OnWait != nil && (told.IsZero() || time.Since(told) >= every) {
			told = time.Now()
			o.OnWait(held)
		}
		t := time.NewTimer(min(poll, o.Wait-held.Waited))
		select {
		case <-ctx.Done():
			t.Stop()
			return held
		case <-t.C:
		}
	}
}

// holder reads who holds the lock from the lock file.
func (l *Lock) holder() Holder {
	var h Holder
	b, err := os.ReadFile(l.f.Name())
	if err == nil {
		_ = json.Unmarshal(b, &h)
	}
	return h
}

// record writes this process into the lock file, for those who wait.
func (l *Lock) record() error {
	b, err := json.Marshal(Holder{PID: os.Getpid(), Command: strings.Join(os.Args, " "), Since: time.Now().UTC().Truncate(time.Second)})
	if err != nil {
		return err
	}
	if err := l.f.Truncate(0); err != nil {
		return fmt.Errorf("write the lock of the sandbox state: %w", err)
	}
	if _, err := l.f.WriteAt(b, 0); err != nil {
		return fmt.Errorf("write the lock of the sandbox state: %w", err)
	}
	return nil
}

// State is the state file the lock is for.
func (l *Lock) State() string { return l.state }

// Release gives the lock up. The lock file stays: removing it would let a
// process that opened it before the removal lock a file nobody else sees.
// Release after the first does nothing.
func (l *Lock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	f := l.f
	l.f = nil
	_ = f.Truncate(0)
	return errors.Join(unlock(f), f.Close())
}
