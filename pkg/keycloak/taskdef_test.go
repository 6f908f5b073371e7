package keycloak

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/pkg/stack"
)

func taskDefinition(t *testing.T, st *stack.Stack) types.ContainerDefinition {
	t.Helper()
	in, err := TaskDefinition(st, "", realFacts)
	if err != nil {
		t.Fatal(err)
	}
	if len(in.ContainerDefinitions) != 1 {
		t.Fatalf("%d containers, want 1", len(in.ContainerDefinitions))
	}
	return in.ContainerDefinitions[0]
}

func TestHealthCheck(t *testing.T) {
	cases := map[string]struct {
		reason   string
		v        stack.Version
		wantPort int32
	}{
		"24":   {"before 25 health is served on the HTTP port", stack.Version{Major: 24, Minor: 0, Patch: 5}, 8080},
		"25":   {"from 25 health moved to the management port", stack.Version{Major: 25}, 9000},
		"26.0": {"26.0 keeps the management port", stack.Version{Major: 26}, 9000},
		"26.4": {"26.4 keeps the management port", stack.Version{Major: 26, Minor: 4, Patch: 2}, 9000},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			port, path := HealthCheck(tc.v)
			if port != tc.wantPort || path != "/health/ready" {
				t.Errorf("%s: HealthCheck = %d %s, want %d /health/ready", tc.reason, port, path, tc.wantPort)
			}
		})
	}
}

func TestContainerHealthCheck(t *testing.T) {
	cases := map[string]struct {
		reason string
		st     func(*testing.T) *stack.Stack
		want   string
	}{
		"24":   {"the container checks 8080 on 24", kc24, "/dev/tcp/127.0.0.1/8080 "},
		"26.4": {"the container checks 9000 from 25", kc264, "/dev/tcp/127.0.0.1/9000 "},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			hc := taskDefinition(t, tc.st(t)).HealthCheck
			cmd := strings.Join(hc.Command, " ")
			if !strings.HasPrefix(cmd, "CMD /bin/bash -c ") || !strings.Contains(cmd, tc.want) || !strings.Contains(cmd, "GET /health/ready ") {
				t.Errorf("%s: health check command %q", tc.reason, cmd)
			}
		})
	}
}

func TestPortMappings(t *testing.T) {
	cases := map[string]struct {
		reason string
		st     func(*testing.T) *stack.Stack
		want   map[string]int32
	}{
		"24": {"no management port before 25; both JGroups ports", kc24,
			map[string]int32{"http": 8080, "jgroups": 7800, "jgroups-fd": 57800}},
		"25": {"the management port from 25", kc25,
			map[string]int32{"http": 8080, "management": 9000, "jgroups": 7800, "jgroups-fd": 57800}},
		"26.4": {"26.4 like 25", kc264,
			map[string]int32{"http": 8080, "management": 9000, "jgroups": 7800, "jgroups-fd": 57800}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := map[string]int32{}
			for _, pm := range taskDefinition(t, tc.st(t)).PortMappings {
				if pm.Protocol != types.TransportProtocolTcp || *pm.HostPort != *pm.ContainerPort {
					t.Errorf("%s: mapping %s is %s %d→%d, want tcp on the same port", tc.reason, *pm.Name, pm.Protocol, *pm.HostPort, *pm.ContainerPort)
				}
				got[*pm.Name] = *pm.ContainerPort
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}

func TestEntryPoint(t *testing.T) {
	cases := map[string]struct {
		reason string
		st     func(*testing.T) *stack.Stack
		want   []string
	}{
		"26.0": {"before 26.4 the entry point writes the cache file, then runs kc.sh with the command", kc260,
			[]string{"/bin/bash", "-c", `printf '%s' "$KCSTACK_CACHE_CONFIG" > /opt/keycloak/conf/cache-kcstack.xml && exec /opt/keycloak/bin/kc.sh "$@"`, "kc.sh", "start"}},
		"26.4": {"26.4 starts kc.sh directly", kc264, []string{"/opt/keycloak/bin/kc.sh", "start"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c := taskDefinition(t, tc.st(t))
			if diff := cmp.Diff(tc.want, append(c.EntryPoint, c.Command...)); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}

func TestTaskDefinitionShape(t *testing.T) {
	in, err := TaskDefinition(kc264(t), "ecs-main", realFacts)
	if err != nil {
		t.Fatal(err)
	}
	c := in.ContainerDefinitions[0]
	got := map[string]string{
		"family": *in.Family, "networkMode": string(in.NetworkMode), "cpu": *in.Cpu, "memory": *in.Memory,
		"compat": string(in.RequiresCompatibilities[0]), "execution": *in.ExecutionRoleArn, "task": *in.TaskRoleArn,
		"image": *c.Image, "logDriver": string(c.LogConfiguration.LogDriver),
		"logGroup": c.LogConfiguration.Options["awslogs-group"], "logRegion": c.LogConfiguration.Options["awslogs-region"],
	}
	want := map[string]string{
		"family": "sso-prod-ecs-main", "networkMode": "awsvpc", "cpu": "2048", "memory": "4096", "compat": "FARGATE",
		"execution": realFacts.ExecutionRoleARN, "task": realFacts.TaskRoleARN, "image": "quay.io/keycloak/keycloak:26.4.2",
		"logDriver": "awslogs", "logGroup": realFacts.LogGroup, "logRegion": "eu-west-1",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("task definition (-want +got):\n%s", diff)
	}
	var names []string
	for _, kv := range c.Environment {
		names = append(names, *kv.Name)
	}
	if !isSorted(names) {
		t.Errorf("environment is not sorted: %v", names)
	}
}

func isSorted(s []string) bool {
	for i := 1; i < len(s); i++ {
		if s[i-1] > s[i] {
			return false
		}
	}
	return true
}

func TestTaskDefinitionErrors(t *testing.T) {
	rosa := func(t *testing.T) *stack.Stack {
		st := kc264(t)
		st.Spec.Targets[0].ECS = nil
		st.Spec.Targets[0].ROSA = &stack.ROSATarget{Cluster: "c"}
		return st
	}
	cases := map[string]struct {
		reason string
		st     func(*testing.T) *stack.Stack
		target string
		facts  Facts
		want   string
	}{
		"unknown target": {"a target that does not exist is named with the ones that do", kc264, "nope", realFacts,
			`stack sso-prod has no ecs target "nope"; its ecs targets: ecs-main`},
		"rosa only": {"a stack without ECS targets has no task definition", rosa, "", realFacts,
			"stack sso-prod has no ecs target"},
		"missing facts": {"every missing fact is named", kc264, "", Facts{WriterEndpoint: "w"},
			"task definition of target ecs-main: facts missing: DBSecretARN, LogGroup, ExecutionRoleARN, TaskRoleARN"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := TaskDefinition(tc.st(t), tc.target, tc.facts)
			if err == nil || err.Error() != tc.want {
				t.Errorf("%s: error %v, want %q", tc.reason, err, tc.want)
			}
		})
	}
}

func TestMarshalTaskDefinition(t *testing.T) {
	in, err := TaskDefinition(kc264(t), "", Placeholders(kc264(t)))
	if err != nil {
		t.Fatal(err)
	}
	b, err := MarshalTaskDefinition(in)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Family               string `json:"family"`
		ContainerDefinitions []struct {
			Secrets []struct {
				Name      string `json:"name"`
				ValueFrom string `json:"valueFrom"`
			} `json:"secrets"`
		} `json:"containerDefinitions"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if got.Family != "sso-prod-ecs-main" || len(got.ContainerDefinitions) != 1 {
		t.Fatalf("API JSON lacks camelCase keys:\n%s", b)
	}
	if s := got.ContainerDefinitions[0].Secrets[0]; s.Name != "KC_DB_PASSWORD" || s.ValueFrom != "<db-secret-arn>:password::" {
		t.Errorf("first secret %+v, want KC_DB_PASSWORD from <db-secret-arn>:password::", s)
	}
	if strings.Contains(string(b), "null") || strings.Contains(string(b), `"Family"`) {
		t.Errorf("API JSON has unset fields or Go names:\n%s", b)
	}
}
