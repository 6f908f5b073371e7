package cli

import (
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/spf13/cobra"

	"github.com/kcstack/kcstack/pkg/sandbox"
	"github.com/kcstack/kcstack/pkg/sandbox/fixture"
)

func newSandboxCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "sandbox",
		Short: "Run a local AWS endpoint for trying kcstack without an account",
		Long: "The sandbox speaks the AWS wire protocols for the operations kcstack uses (EC2, RDS, Secrets Manager,\n" +
			"SSM, STS, the tagging API, ...), so kcstack, the aws CLI and any aws-sdk-go-v2 program work against it.",
	}
	cmd.AddCommand(newSandboxServeCmd(), newSandboxROSANetworkCmd(g))
	return cmd
}

type serveFlags struct {
	listen, state, credentials string
	allowRemote                bool
	latency, create, del       time.Duration
	throttle, errRate, ambRate float64
	taskFailure                float64
	seed                       uint64
	loseFirst                  []string
	certificates               []string
}

func newSandboxServeCmd() *cobra.Command {
	var f serveFlags
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the sandbox until interrupted",
		Long: "Serve a local AWS endpoint until interrupted. Without --credentials it accepts any signature, or none:\n" +
			"whoever reaches the port can read and change everything it holds, secrets included. It is meant for\n" +
			"the loopback interface, and refuses any other --listen address unless --allow-remote is given.\n" +
			"With --credentials KEY:SECRET it checks the SigV4 signature of every request as AWS does\n" +
			"(SignatureDoesNotMatch for a wrong secret, InvalidClientTokenId and its kin for another key,\n" +
			"a clock more than 15 minutes off).",
		Example: "  kcstack sandbox serve --state sandbox.json\n" +
			"  AWS_ENDPOINT_URL=http://127.0.0.1:4566 aws ec2 describe-vpcs\n" +
			"  kcstack sandbox serve --credentials AKIDLOCAL:$(openssl rand -hex 20)",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := f.check(); err != nil {
				return err
			}
			opts, err := f.options()
			if err != nil {
				return err
			}
			if f.state != "" {
				// The same lock as --sandbox's: a served and an embedded
				// sandbox on one state file would overwrite each other.
				lock, err := lockSandboxState(cmd.Context(), f.state, "the sandbox", cmd.ErrOrStderr())
				if err != nil {
					return err
				}
				opts = append(opts, sandbox.WithStateLock(lock))
			}
			srv, err := sandbox.Start(opts...)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "kcstack sandbox listening on %s\n", srv.URL())
			if f.state != "" {
				fmt.Fprintf(out, "state: %s\n", f.state)
			}
			fmt.Fprintf(out, "use it with: export %s\n", f.clientEnv(srv.URL()))
			fmt.Fprintf(out, "call counts: %s/_sandbox/calls\n", srv.URL())
			<-cmd.Context().Done()
			fmt.Fprintln(out, "stopping sandbox")
			return srv.Close()
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.listen, "listen", "127.0.0.1:4566", "address to listen on")
	fl.BoolVar(&f.allowRemote, "allow-remote", false, "allow a --listen address that is not a loopback one (127.0.0.0/8, ::1, localhost)")
	fl.StringVar(&f.credentials, "credentials", "", "KEY:SECRET: check every request's SigV4 signature against this key pair (default: accept any)")
	fl.StringSliceVar(&f.certificates, "certificate", nil, "put an issued ACM certificate (for example.com) under this ARN of account 123456789012 unless the state has it, as "+sandbox.ExampleCertificateARN+" for the ECS examples; repeat for more")
	fl.StringVar(&f.state, "state", "", "persist state to this JSON file and reload it on restart (in memory when empty); one sandbox at a time uses a file")
	fl.DurationVar(&f.latency, "latency", 0, "latency added to every call")
	fl.Float64Var(&f.throttle, "throttle-rate", 0, "share of calls answered with the service's throttling error (0..1)")
	fl.Float64Var(&f.errRate, "error-rate", 0, "share of calls answered with 500 or 503 before they run (0..1)")
	fl.Float64Var(&f.ambRate, "ambiguous-rate", 0, "share of changing calls that run and then answer 500 (0..1)")
	fl.Float64Var(&f.taskFailure, "task-failure-rate", 0, "share of ECS tasks that fail their load balancer health check once running: ECS stops each and starts another (0..1; 1: services never reach a steady state)")
	fl.StringSliceVar(&f.loseFirst, "lose-first", nil, "operations (CreateNatGateway, or ecs:CreateService for one service) whose first call runs and then answers 500; repeat a name to lose more")
	fl.Uint64Var(&f.seed, "seed", 1, "seed of the fault sequence")
	fl.DurationVar(&f.create, "create-delay", time.Second, "how long resources stay creating/pending")
	fl.DurationVar(&f.del, "delete-delay", 500*time.Millisecond, "how long resources stay deleting")
	return cmd
}

func (f serveFlags) check() error {
	for name, r := range map[string]float64{"--throttle-rate": f.throttle, "--error-rate": f.errRate, "--ambiguous-rate": f.ambRate, "--task-failure-rate": f.taskFailure} {
		if r < 0 || r > 1 {
			return fmt.Errorf("%s %v: a rate is a share of calls between 0 and 1", name, r)
		}
	}
	return nil
}

func (f serveFlags) options() ([]sandbox.Option, error) {
	opts := []sandbox.Option{
		sandbox.WithListen(f.listen),
		sandbox.WithDelays(f.create, f.del),
		sandbox.WithFaults(sandbox.Faults{Latency: f.latency, ThrottleRate: f.throttle, ErrorRate: f.errRate, AmbiguousRate: f.ambRate, TaskFailureRate: f.taskFailure, Seed: f.seed}),
	}
	if f.state != "" {
		opts = append(opts, sandbox.WithStateFile(f.state))
	}
	if lose := f.lostAnswers(); len(lose) > 0 {
		opts = append(opts, sandbox.WithLostAnswers(lose))
	}
	for _, arn := range f.certificates {
		opts = append(opts, sandbox.WithCertificate(arn, "example.com"))
	}
	if f.allowRemote {
		opts = append(opts, sandbox.WithAllowRemote())
	}
	if f.credentials != "" {
		key, secret, ok := strings.Cut(f.credentials, ":")
		if !ok || key == "" || secret == "" {
			return nil, fmt.Errorf("--credentials takes KEY:SECRET, an access key id and a secret separated by a colon")
		}
		opts = append(opts, sandbox.WithCredentials(key, secret))
	}
	return opts, nil
}

// clientEnv is the environment a client of the sandbox at url needs; the
// secret given to --credentials is never printed.
func (f serveFlags) clientEnv(url string) string {
	keys := "AWS_ACCESS_KEY_ID=sandbox AWS_SECRET_ACCESS_KEY=sandbox"
	if key, _, ok := strings.Cut(f.credentials, ":"); ok {
		keys = "AWS_ACCESS_KEY_ID=" + key + " AWS_SECRET_ACCESS_KEY=<the secret of --credentials>"
	}
	return "AWS_ENDPOINT_URL=" + url + " " + keys + " AWS_REGION=eu-west-1"
}

// lostAnswers counts the --lose-first names: each one loses one answer.
func (f serveFlags) lostAnswers() map[string]int {
	lose := map[string]int{}
	for _, op := range f.loseFirst {
		if op = strings.TrimSpace(op); op != "" {
			lose[op]++
		}
	}
	return lose
}

func newSandboxROSANetworkCmd(g *globals) *cobra.Command {
	var (
		f       awsFlags
		cluster string
		cidr    string
	)
	cmd := &cobra.Command{
		Use:   "rosa-network",
		Short: "Create the network of a ROSA cluster (VPC <cluster>-vpc, private subnets, route tables) if absent",
		Long: "ROSA targets reference a cluster's existing VPC, which kcstack finds but never owns. In the sandbox\n" +
			"no ROSA installer made one: this command makes the same layout, so ROSA stacks plan and apply.",
		Example: "  kcstack --sandbox sandbox rosa-network --cluster gh-keycloak-a --cidr 10.0.0.0/16\n" +
			"  AWS_ENDPOINT_URL=http://127.0.0.1:4566 kcstack sandbox rosa-network --cluster gh-keycloak-b --cidr 10.1.0.0/16",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			sess, err := g.connect(cmd.Context(), f, "")
			if err != nil {
				return err
			}
			defer sess.Close()
			net, err := fixture.EnsureROSANetwork(cmd.Context(), ec2.NewFromConfig(sess.cfg), cluster, cidr)
			if err != nil {
				return err
			}
			verb := "found"
			if net.Created {
				verb = "created"
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s %s-vpc: %s %v\n", verb, cluster, net.VPCID, net.SubnetIDs)
			return nil
		},
	}
	cmd.Flags().StringVar(&cluster, "cluster", "", "ROSA cluster name (the VPC is tagged Name=<cluster>-vpc)")
	cmd.Flags().StringVar(&cidr, "cidr", "10.0.0.0/16", "machine CIDR of the cluster's VPC")
	cmd.Flags().StringVar(&f.region, "region", "", "AWS region (default: AWS_REGION or the profile's)")
	cmd.Flags().StringVar(&f.profile, "profile", "", "shared config profile (default: AWS_PROFILE)")
	_ = cmd.MarkFlagRequired("cluster")
	return cmd
}
