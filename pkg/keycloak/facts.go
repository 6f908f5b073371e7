package keycloak

import (
	"fmt"
	"strings"

	"github.com/kcstack/kcstack/pkg/stack"
)

// Facts are what the generated configuration needs that only exists once
// the stack's AWS resources do. Fields the stack file also knows (Port,
// DatabaseName, Region, the Cloud Map names, Bucket, Image) may be left
// empty: they are then taken from the stack.
type Facts struct {
	// WriterEndpoint is the Aurora cluster (writer) endpoint host name.
	WriterEndpoint string
	// Port is the Aurora port.
	Port int32
	// DatabaseName is the Keycloak database inside the Aurora cluster.
	DatabaseName string
	// DBSecretARN is the RDS-managed master user secret (JSON with username
	// and password keys).
	DBSecretARN string
	// Region is the AWS region of the target.
	Region string
	// DNSNamespace and DNSService are the Cloud Map private DNS namespace and
	// service tasks register into (dns-ping only).
	DNSNamespace string
	DNSService   string
	// KubeNamespace is the namespace of a ROSA target, whose pods KUBE_PING
	// lists (kube-ping only).
	KubeNamespace string
	// Bucket is the S3_PING bucket (s3-ping only).
	Bucket string
	// LogGroup is the CloudWatch Logs group of the task logs.
	LogGroup string
	// ExecutionRoleARN is the role ECS uses to pull the image, write logs and
	// read the secrets; TaskRoleARN is the role Keycloak itself runs with.
	ExecutionRoleARN string
	TaskRoleARN      string
	// Image is the Keycloak container image.
	Image string
	// RedisEndpoint is the primary endpoint host of the stack's Redis
	// replication group; needed when a Redis application's from names
	// the target.
	RedisEndpoint string
	// RedisSecretARN returns the ARN of the Secrets Manager secret of the
	// Redis application <name>-<environment> (its JSON has username and
	// password keys).
	RedisSecretARN func(key string) string
	// Target is the name of the target the configuration is for: with the
	// stack's name, it names the target's JGroups cluster (ClusterName).
	// Empty leaves the cluster name Keycloak's default.
	Target string
}

// Placeholders used by Placeholders for facts unknown without AWS.
const (
	PlaceholderWriterEndpoint   = "<aurora-writer-endpoint>"
	PlaceholderDBSecretARN      = "<db-secret-arn>"
	PlaceholderLogGroup         = "<log-group>"
	PlaceholderExecutionRoleARN = "<execution-role-arn>"
	PlaceholderTaskRoleARN      = "<task-role-arn>"
)

// Placeholders returns the facts of st known without AWS, with clear
// placeholders (<aurora-writer-endpoint>, <db-secret-arn>, ...) for the
// others; for rendering configuration before anything exists.
func Placeholders(st *stack.Stack) Facts {
	f := Facts{
		WriterEndpoint:   PlaceholderWriterEndpoint,
		DBSecretARN:      PlaceholderDBSecretARN,
		LogGroup:         PlaceholderLogGroup,
		ExecutionRoleARN: PlaceholderExecutionRoleARN,
		TaskRoleARN:      PlaceholderTaskRoleARN,
		RedisEndpoint:    PlaceholderRedisEndpoint,
		RedisSecretARN:   func(key string) string { return fmt.Sprintf(placeholderRedisSecret, key) },
	}
	return f.withStack(st)
}

// withStack fills the empty fields the stack file knows.
func (f Facts) withStack(st *stack.Stack) Facts {
	a := st.Spec.Database.Aurora
	if f.Port == 0 {
		f.Port = int32(a.Port)
	}
	f.DatabaseName = or(f.DatabaseName, a.DatabaseName)
	f.Region = or(f.Region, st.Spec.Region)
	f.Image = or(f.Image, st.Spec.Keycloak.Image)
	if d := st.Spec.Discovery.DNSPing; d != nil {
		f.DNSNamespace = or(f.DNSNamespace, d.Namespace)
		f.DNSService = or(f.DNSService, d.ServiceName)
	}
	if s := st.Spec.Discovery.S3Ping; s != nil {
		f.Bucket = or(f.Bucket, s.Bucket)
	}
	return f
}

// fact is one named fact, for reporting the missing ones.
type fact struct{ name, value string }

// missing returns an error naming the facts that are empty but needed for
// the discovery mode (and, for a task definition, the task's own facts).
func (f Facts) missing(mode string, taskDefinition bool) error {
	need := []fact{
		{"WriterEndpoint", f.WriterEndpoint}, {"DatabaseName", f.DatabaseName},
		{"DBSecretARN", f.DBSecretARN}, {"Region", f.Region},
	}
	switch mode {
	case stack.DiscoveryDNSPing:
		need = append(need, fact{"DNSNamespace", f.DNSNamespace}, fact{"DNSService", f.DNSService})
	case stack.DiscoveryS3Ping:
		need = append(need, fact{"Bucket", f.Bucket})
	}
	if taskDefinition {
		need = append(need, fact{"LogGroup", f.LogGroup}, fact{"ExecutionRoleARN", f.ExecutionRoleARN},
			fact{"TaskRoleARN", f.TaskRoleARN}, fact{"Image", f.Image})
	}
	var empty []string
	for _, n := range need {
		if n.value == "" {
			empty = append(empty, n.name)
		}
	}
	if f.Port == 0 {
		empty = append(empty, "Port")
	}
	if len(empty) > 0 {
		return fmt.Errorf("facts missing: %s", strings.Join(empty, ", "))
	}
	return nil
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
