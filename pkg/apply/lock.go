package apply

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/user"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"

	"github.com/kcstack/kcstack/pkg/resource"
)

// SSM is the part of the SSM API the lock uses.
type SSM interface {
	PutParameter(context.Context, *ssm.PutParameterInput, ...func(*ssm.Options)) (*ssm.PutParameterOutput, error)
	GetParameter(context.Context, *ssm.GetParameterInput, ...func(*ssm.Options)) (*ssm.GetParameterOutput, error)
	DeleteParameter(context.Context, *ssm.DeleteParameterInput, ...func(*ssm.Options)) (*ssm.DeleteParameterOutput, error)
}

// LockInfo is who holds a stack's lock; it is the lock parameter's value.
// Host and PID are absent from locks written by older versions.
type LockInfo struct {
	ID      string    `json:"id"`
	Who     string    `json:"who"`
	Command string    `json:"command"`
	Created time.Time `json:"created"`
	Host    string    `json:"host,omitempty"`
	PID     int       `json:"pid,omitempty"`
}

// Lock is a held stack lock.
type Lock struct {
	api  SSM
	name string
	Info LockInfo
}

// HeldError reports a lock someone else holds.
type HeldError struct {
	Stack string
	Info  LockInfo
	Age   time.Duration
	// Dead says the holder ran on this host and its process no longer
	// exists: it will never release the lock.
	Dead bool
	// File is the stack file to name in the unlock hint ("<stack file>"
	// when empty).
	File string
	// Waited is how long Acquire has waited for the lock so far.
	Waited time.Duration
}

func (e *HeldError) Error() string {
	file := e.File
	if file == "" {
		file = "<stack file>"
	}
	if e.Dead {
		return fmt.Sprintf("the lock of stack %s is held by a process that no longer exists (pid %d on this host): %s (%q, %s ago, lock id %s) ended without releasing it; release it with: kcstack unlock -f %s %s",
			e.Stack, e.Info.PID, e.Info.Who, e.Info.Command, e.Age.Round(time.Second), e.Info.ID, file, e.Info.ID)
	}
	return fmt.Sprintf("stack %s is locked by %s (%q, %s ago, lock id %s); wait for it to finish, or, if it died, run: kcstack unlock -f %s %s",
		e.Stack, e.Info.Who, e.Info.Command, e.Age.Round(time.Second), e.Info.ID, file, e.Info.ID)
}

// LockName is the SSM parameter holding a stack's lock.
func LockName(stack string) string { return "/kcstack/" + stack + "/lock" }

// LockOption is an optional setting of Acquire.
type LockOption func(*lockOptions)

type lockOptions struct {
	file   string
	every  time.Duration
	onWait func(*HeldError)
}

// WithStackFile names the stack file in the unlock hint of a *HeldError.
func WithStackFile(file string) LockOption {
	return func(o *lockOptions) { o.file = file }
}

// WithWaitNotice calls onWait while Acquire waits for a held lock: when
// the wait starts and then about every every, with the holder and how long
// Acquire has waited.
func WithWaitNotice(every time.Duration, onWait func(*HeldError)) LockOption {
	return func(o *lockOptions) { o.every, o.onWait = every, onWait }
}

// Acquire takes the stack's lock: an SSM parameter created only if absent.
// While someone else holds it, Acquire retries until wait has passed and
// then returns a *HeldError naming the holder; it returns at once when the
// holder is known to be dead (see HeldError.Dead), since waiting is futile.
func Acquire(ctx context.Context, api SSM, stack, command string, wait time.Duration, opts ...LockOption) (*Lock, error) {
	var o lockOptions
	for _, opt := range opts {
		opt(&o)
	}
	host, _ := os.Hostname()
	info := LockInfo{ID: newLockID(), Who: whoAmI(), Command: command, Created: time.Now().UTC().Truncate(time.Second), Host: host, PID: os.Getpid()}
	value, err := json.Marshal(info)
	if err != nil {
		return nil, err
	}
	l := &Lock{api: api, name: LockName(stack), Info: info}
	start := time.Now()
	deadline := start.Add(wait)
	var told time.Time
	for interval := 500 * time.Millisecond; ; interval = min(interval*2, 5*time.Second) {
		_, err := api.PutParameter(ctx, &ssm.PutParameterInput{
			Name: aws.String(l.name), Value: aws.String(string(value)), Type: ssmtypes.ParameterTypeString, Overwrite: aws.Bool(false),
			Description: aws.String("kcstack apply lock of stack " + stack),
			Tags:        []ssmtypes.Tag{{Key: aws.String(resource.TagStack), Value: aws.String(stack)}},
		})
		var exists *ssmtypes.ParameterAlreadyExists
		if err == nil {
			return l, nil
		}
		if !errors.As(err, &exists) {
			return nil, fmt.Errorf("take the stack lock (SSM parameter %s): %w", l.name, err)
		}
		held, err := holder(ctx, api, stack)
		if err != nil {
			return nil, err
		}
		if held == nil {
			continue // released meanwhile
		}
		if held.Info.ID == info.ID {
			// An earlier attempt of this put made the parameter and its
			// answer was lost; the SDK's retry then found it: it is ours.
			return l, nil
		}
		held.File, held.Waited = o.file, time.Since(start)
		if held.Dead || !time.Now().Before(deadline) {
			return nil, held
		}
		if o.onWait != nil && (told.IsZero() || time.Since(told) >= o.every) {
			told = time.Now()
			o.onWait(held)
		}
		t := time.NewTimer(min(interval, time.Until(deadline)))
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, held
		case <-t.C:
		}
	}
}

// holder reads the current lock, nil when there is none.
func holder(ctx context.Context, api SSM, stack string) (*HeldError, error) {
	out, err := api.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String(LockName(stack))})
	var nf *ssmtypes.ParameterNotFound
	if errors.As(err, &nf) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the stack lock: %w", err)
	}
	var info LockInfo
	if err := json.Unmarshal([]byte(aws.ToString(out.Parameter.Value)), &info); err != nil {
		info = LockInfo{ID: "?", Who: "unknown (unreadable lock: " + err.Error() + ")"}
	}
	return &HeldError{Stack: stack, Info: info, Age: time.Since(info.Created), Dead: gone(info)}, nil
}

// Release gives the lock up if this process still holds it. It uses a
// fresh context so that it runs even after an interruption.
func (l *Lock) Release() error {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return Unlock(ctx, l.api, l.stack(), l.Info.ID)
}

func (l *Lock) stack() string { return l.name[len("/kcstack/") : len(l.name)-len("/lock")] }

// Unlock removes the stack's lock when its id is id. A lock with another
// id is left alone and reported.
func Unlock(ctx context.Context, api SSM, stack, id string) error {
	held, err := holder(ctx, api, stack)
	if err != nil {
		return err
	}
	if held == nil {
		return nil
	}
	if held.Info.ID != id {
		return fmt.Errorf("the lock of stack %s has id %s (held by %s), not %s; nothing was unlocked", stack, held.Info.ID, held.Info.Who, id)
	}
	_, err = api.DeleteParameter(ctx, &ssm.DeleteParameterInput{Name: aws.String(LockName(stack))})
	var nf *ssmtypes.ParameterNotFound
	if err != nil && !errors.As(err, &nf) {
		return fmt.Errorf("release the stack lock: %w", err)
	}
	return nil
}

// gone reports whether the lock's holder ran on this host and its process
// no longer exists. A holder on another host, or one that did not record
// its pid, is never reported gone.
func gone(info LockInfo) bool {
	host, err := os.Hostname()
	if err != nil || info.PID <= 0 || info.Host != host {
		return false
	}
	return processGone(info.PID)
}

func newLockID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func whoAmI() string {
	name := "unknown"
	if u, err := user.Current(); err == nil {
		name = u.Username
	}
	host, err := os.Hostname()
	if err != nil {
		host = "unknown-host"
	}
	return fmt.Sprintf("%s@%s (pid %d)", name, host, os.Getpid())
}
