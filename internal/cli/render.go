package cli

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/kcstack/kcstack/pkg/keycloak"
	"github.com/kcstack/kcstack/pkg/kube"
	"github.com/kcstack/kcstack/pkg/stack"
)

// Kinds of configuration kcstack render prints.
const (
	renderTaskDefinition = "task-definition"
	renderEnv            = "env"
	renderCacheConfig    = "cache-config"
	renderManifests      = "manifests"
)

// ecsRenderKinds are the kinds of an ECS target; manifests is a ROSA
// target's.
var (
	ecsRenderKinds = []string{renderTaskDefinition, renderEnv, renderCacheConfig}
	renderKinds    = append(slices.Clone(ecsRenderKinds), renderManifests)
)

type renderOptions struct {
	file   string
	target string
	kind   string
}

func newRenderCmd(_ *globals) *cobra.Command {
	o := &renderOptions{}
	cmd := &cobra.Command{
		Use:   "render [-f FILE] [--target NAME] [--kind task-definition|env|cache-config|manifests]",
		Short: "Print the Keycloak configuration generated for a target, without contacting AWS",
		Long: `Print the configuration kcstack generates for a target, offline: for review, and for
people who deploy it with other tools.

  task-definition  the ECS task definition as JSON, in the shape of
                   aws ecs register-task-definition --cli-input-json
  env              the container's environment as KEY=value lines; variables ECS reads
                   from Secrets Manager are shown as KEY=(from secret ARN:KEY::)
  cache-config     the Infinispan cache configuration that sets the cache owners
                   (Keycloak before 26.4; 26.4+ sets owners with options instead)
  manifests        (ROSA targets) the in-cluster objects as multi-document YAML, for
                   GitOps: the Namespace, the Secrets, the cache configuration, the
                   discovery objects and the Keycloak custom resource. A Secret names
                   the Secrets Manager secret of each key (annotation kcstack.io/sources)
                   and holds no value: kcstack apply copies the values in, or
                   your own tooling must

s3-ping needs the jgroups-aws jar and the AWS SDK in /opt/keycloak/providers, which the
stock image lacks: render reminds you, and spec.keycloak.image must name an image built
with them.

Values only known once the stack exists in AWS are placeholders in angle brackets,
such as <aurora-writer-endpoint> and <db-secret-arn>. Notes about the configuration
and the stack file's warnings go to standard error.`,
		Example: `  kcstack render -f examples/ecs-jdbc-ping.yaml
  kcstack render -f examples/aurora-rosa.yaml --target rosa-b --kind manifests
  kcstack render -f stack.yaml --target ecs-main --kind env
  kcstack render -f examples/ecs-s3-ping.yaml --kind cache-config > cache-ispn.xml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return o.run(cmd.InOrStdin(), cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	f := cmd.Flags()
	f.StringVarP(&o.file, "file", "f", defaultStackFile, "stack file (- for standard input)")
	f.StringVar(&o.target, "target", "", "target to render (default: the first ECS target, or the first ROSA target for manifests)")
	f.StringVar(&o.kind, "kind", renderTaskDefinition, "what to print: "+strings.Join(renderKinds, ", "))
	_ = cmd.MarkFlagFilename("file", "yaml", "yml")
	_ = cmd.RegisterFlagCompletionFunc("kind", cobra.FixedCompletions(renderKinds, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func (o *renderOptions) run(in io.Reader, stdout, stderr io.Writer) error {
	if !slices.Contains(renderKinds, o.kind) {
		return fmt.Errorf("unknown --kind %q: use %s", o.kind, strings.Join(renderKinds, ", "))
	}
	st, err := o.load(in, stderr)
	if err != nil {
		return err
	}
	if o.kind == renderManifests {
		return renderROSAManifests(stdout, stderr, st, o.target)
	}
	t, err := keycloak.ECSTarget(st, o.target)
	if err != nil {
		return fmt.Errorf("%w: --kind %s shows the configuration of ECS targets (--kind %s that of ROSA targets)", err, o.kind, renderManifests)
	}
	facts := keycloak.Placeholders(st)
	facts.Target = t.Name
	switch o.kind {
	case renderEnv:
		err = renderEnvironment(stdout, st, facts)
	case renderCacheConfig:
		err = renderCacheConfiguration(stdout, stderr, st, t.Name)
	default:
		err = renderTaskDef(stdout, st, t.Name, facts)
	}
	if err != nil {
		return err
	}
	return writeRenderNotes(stderr, keycloak.Notes(st))
}

// renderROSAManifests prints the in-cluster objects of a ROSA target as
// multi-document YAML, with placeholders for what apply learns.
func renderROSAManifests(stdout, stderr io.Writer, st *stack.Stack, target string) error {
	t, err := st.TargetOf(stack.TargetROSA, target)
	if err != nil {
		return fmt.Errorf("%w: --kind %s shows the objects of ROSA targets", err, renderManifests)
	}
	objs, err := kube.Objects(st, t)
	if err != nil {
		return err
	}
	b, err := kube.MarshalYAML(objs, kube.RenderValues(st))
	if err != nil {
		return err
	}
	if _, err := stdout.Write(b); err != nil {
		return err
	}
	return writeRenderNotes(stderr, kube.Notes(st, t))
}

// load reads and validates the stack file, printing its diagnostics to
// stderr; an invalid file is exit 1.
func (o *renderOptions) load(in io.Reader, stderr io.Writer) (*stack.Stack, error) {
	st, ds, err := readStackFile(o.file, in)
	if err != nil {
		return nil, err
	}
	if len(ds) > 0 {
		fmt.Fprint(stderr, ds.String())
	}
	if ds.HasErrors() {
		return nil, &ExitError{Code: 1, Err: fmt.Errorf("%s is not valid; fix the errors above (kcstack validate -f %s)", o.file, o.file)}
	}
	return st, nil
}

func renderTaskDef(out io.Writer, st *stack.Stack, target string, facts keycloak.Facts) error {
	in, err := keycloak.TaskDefinition(st, target, facts)
	if err != nil {
		return err
	}
	b, err := keycloak.MarshalTaskDefinition(in)
	if err != nil {
		return fmt.Errorf("encode task definition: %w", err)
	}
	_, err = out.Write(b)
	return err
}

// renderEnvironment prints KEY=value lines, sorted, then the secrets as
// KEY=(from secret VALUEFROM); the cache configuration, many lines long,
// is named rather than printed.
func renderEnvironment(out io.Writer, st *stack.Stack, facts keycloak.Facts) error {
	env, err := keycloak.Env(st, facts)
	if err != nil {
		return err
	}
	var b strings.Builder
	for _, name := range slices.Sorted(maps.Keys(env.Vars)) {
		value := env.Vars[name]
		if name == keycloak.CacheConfigVar {
			value = fmt.Sprintf("(the cache configuration, %d bytes: kcstack render --kind %s)", len(value), renderCacheConfig)
		}
		fmt.Fprintf(&b, "%s=%s\n", name, value)
	}
	for _, name := range slices.Sorted(maps.Keys(env.Secrets)) {
		fmt.Fprintf(&b, "%s=(from secret %s)\n", name, env.Secrets[name])
	}
	_, err = io.WriteString(out, b.String())
	return err
}

func renderCacheConfiguration(stdout, stderr io.Writer, st *stack.Stack, target string) error {
	xml, needed := keycloak.CacheConfig(st, target)
	if !needed {
		_, err := fmt.Fprintf(stderr, "Keycloak %s needs no cache configuration file: the owners are the "+
			"KC_SPI_CACHE_EMBEDDED__DEFAULT__*_OWNERS options (kcstack render --kind env).\n", st.KeycloakVersion())
		return err
	}
	_, err := io.WriteString(stdout, xml)
	return err
}

func writeRenderNotes(stderr io.Writer, notes []string) error {
	var b strings.Builder
	b.WriteString("note: values in <angle brackets> are known only once kcstack apply has created the resources.\n")
	for _, n := range notes {
		b.WriteString("note: " + n + "\n")
	}
	_, err := io.WriteString(stderr, b.String())
	return err
}
