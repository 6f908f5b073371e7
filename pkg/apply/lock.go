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
type LockInfo struct {
	ID      string    `json:"id"`
	Who     string    `json:"who"`
	Command string    `json:"command"`
	Created time.Time `json:"created"`
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
}

func (e *HeldError) Error() string {
	return fmt.Sprintf("stack %s is locked by %s (%q, %s ago, lock id %s); wait for it to finish, or, if it died, run: kcstack unlock -f <stack file> %s",
		e.Stack, e.Info.Who, e.Info.Command, e.Age.Round(time.Second), e.Info.ID, e.Info.ID)
}

// LockName is the SSM parameter holding a stack's lock.
func LockName(stack string) string { return "/kcstack/" + stack + "/lock" }

// Acquire takes the stack's lock: an SSM parameter created only if absent.
// While someone else holds it, Acquire retries until wait has passed and
// then returns a *HeldError naming the holder.
func Acquire(ctx context.Context, api SSM, stack, command string, wait time.Duration) (*Lock, error) {
	info := LockInfo{ID: newLockID(), Who: whoAmI(), Command: command, Created: time.Now().UTC().Truncate(time.Second)}
	value, err := json.Marshal(info)
	if err != nil {
		return nil, err
	}
	l := &Lock{api: api, name: LockName(stack), Info: info}
	deadline := time.Now().Add(wait)
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
		if !time.Now().Before(deadline) {
			return nil, held
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
	return &HeldError{Stack: stack, Info: info, Age: time.Since(info.Created)}, nil
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
