package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/aws/aws-sdk-go-v2/service/servicediscovery"
	"github.com/spf13/cobra"

	"github.com/kcstack/kcstack/pkg/aws/poll"
	"github.com/kcstack/kcstack/pkg/resource"
	"github.com/kcstack/kcstack/pkg/verify"
)

func newVerifyCmd(g *globals) *cobra.Command {
	o := &reportFlags{}
	cmd := &cobra.Command{
		Use:   "verify [-f FILE] [--format text|json]",
		Short: "Check that the applied stack works: database, peerings, routes, rules, services, targets",
		Long: `Read live AWS (and, for ROSA targets, the cluster) and check that the applied stack works: the
Aurora members are available, the writer is in database.aurora.writerZone (when set) and the promotion
tiers are the writer's 0 and the readers' 1..n; each peering is active with its routes in every route
table in use on both sides and the database's 5432 rule for each target; each ECS service is at a steady
state (running = desired, its deployment completed, no circuit breaker rollback), every target in its
target group is healthy and, for dns-ping, the Cloud Map instances are its running tasks; each ROSA
target's Keycloak custom resource is Ready without errors (skipped, not failed, when its cluster is not
reached). Each failed check says what to look at.

Exit 0 when every check passes, 1 when one fails, 2 when the stack file, the flags or AWS cannot be read.`,
		Example: `  kcstack verify -f stack.yaml
  kcstack verify -f stack.yaml --format json | jq '.checks[] | select(.status == "fail")'`,
		Args: func(cmd *cobra.Command, args []string) error { return usage(cobra.NoArgs(cmd, args)) },
		RunE: func(cmd *cobra.Command, _ []string) error {
			return usage(verifyStack(cmd.Context(), g, o, cmd.OutOrStdout(), cmd.ErrOrStderr()))
		},
	}
	cmd.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usage(err) })
	o.register(cmd, g)
	return cmd
}

// usage makes err, unless it carries its own exit code, exit 2: verify's
// 1 says that a check failed.
func usage(err error) error {
	var exit *ExitError
	if err == nil || errors.As(err, &exit) {
		return err
	}
	return &ExitError{Code: 2, Err: err}
}

// verifyStack runs kcstack verify with the flags o.
func verifyStack(ctx context.Context, g *globals, o *reportFlags, stdout, stderr io.Writer) error {
	run, ds, err := o.open(ctx, g, "cannot verify", stderr)
	if exit := (*ExitError)(nil); errors.As(err, &exit) {
		exit.Code = 2 // an invalid file: verify's 1 means a failed check
	}
	if err != nil {
		return err
	}
	defer run.close()
	rep, err := run.verify(ctx, ds)
	if err != nil {
		return err
	}
	if o.format == "json" {
		err = verify.JSON(stdout, rep)
	} else {
		err = verify.Text(stdout, rep)
	}
	if err != nil {
		return err
	}
	if !rep.Passed() {
		return &ExitError{Code: 1}
	}
	return nil
}

// verify reads AWS once for ds (the observation a plan makes) and makes
// every check on it.
func (r *runContext) verify(ctx context.Context, ds []resource.Desired) (*verify.Report, error) {
	snap, err := r.observe(ctx, r.st.Metadata.Name, ds, "")
	if err != nil {
		return nil, err
	}
	in := verify.Input{Stack: r.st.Metadata.Name, Region: r.sess.cfg.Region, Desired: ds, Snapshot: snap,
		WriterZone: r.st.Spec.Database.Aurora.WriterZone}
	for _, u := range r.unread {
		in.Unread = append(in.Unread, verify.Unread{Target: u.Target, Reason: u.Reason})
	}
	cfg := r.sess.cfg
	rep, err := verify.Run(ctx, verify.Clients{RDS: rds.NewFromConfig(cfg), EC2: ec2.NewFromConfig(cfg), ECS: ecs.NewFromConfig(cfg),
		ELB: elb.NewFromConfig(cfg), CloudMap: servicediscovery.NewFromConfig(cfg)}, in)
	if err != nil {
		return nil, explainAWS(err, r.sess)
	}
	return rep, nil
}

// defaultWaitTimeout bounds apply --wait.
const defaultWaitTimeout = 15 * time.Minute

// waitVerified polls the verify checks of ds after an apply, with backoff,
// until they all pass or --wait-timeout passes, giving say a progress line
// whenever the outcome changes (stderr, or the terminal UI). The stack lock
// is given up first: the wait only reads. An interrupt stops the wait at
// once (exit 130) and undoes nothing.
func (o *applyOptions) waitVerified(ctx context.Context, run *runContext, ds []resource.Desired, say func(line string)) error {
	run.unlock()
	say(fmt.Sprintf("Waiting up to %s for the stack to verify (tasks running, targets healthy); --wait=false skips this, kcstack verify checks later.", o.waitTimeout))
	var last *verify.Report
	shown := ""
	err := poll.Until(ctx, "the stack to verify", poll.Options{First: time.Second, Max: 15 * time.Second, Timeout: o.waitTimeout},
		func(ctx context.Context) (bool, string, error) {
			rep, err := run.verify(ctx, ds)
			if err != nil {
				return false, "", err
			}
			last = rep
			if line := progress(rep); line != shown {
				say(line)
				shown = line
			}
			return rep.Passed(), verify.Summary(rep), nil
		})
	switch {
	case err == nil:
		say("Stack verified: every check passes.")
		return nil
	case ctx.Err() != nil:
		return &ExitError{Code: 130, Message: "Stopped waiting: the apply is complete, nothing was undone and the stack lock is released. Check later with: kcstack verify"}
	case errors.Is(err, poll.ErrTimeout) && last != nil:
		return &ExitError{Code: 1, Err: fmt.Errorf("the stack did not verify within --wait-timeout %s; failing:\n  %s\nNothing was undone: run kcstack verify to see what to look at", o.waitTimeout, strings.Join(verify.Failing(last), "\n  "))}
	}
	return &ExitError{Code: 1, Err: fmt.Errorf("waiting for the stack to verify: %w", err)}
}

// lines says each line on w.
func lines(w io.Writer) func(string) {
	return func(line string) { fmt.Fprintln(w, line) }
}

// progress is one line on the wait: the summary and the checks failing.
func progress(rep *verify.Report) string {
	line := "  " + verify.Summary(rep)
	var names []string
	for _, c := range rep.Failed() {
		names = append(names, c.Address+" ("+c.Name+": "+c.Message+")")
	}
	if len(names) > 0 {
		line += " Waiting for: " + strings.Join(names, ", ")
	}
	return line
}
