package kube

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kcstack/kcstack/internal/testutil/examples"
	"github.com/kcstack/kcstack/pkg/stack"
)

// load loads an example, edited.
func load(t *testing.T, file string, edits ...string) *stack.Stack {
	return examples.Load(t, file, edits...)
}

func objects(t *testing.T, st *stack.Stack) []Object {
	t.Helper()
	objs, err := Objects(st, st.Spec.Targets[0])
	if err != nil {
		t.Fatal(err)
	}
	return objs
}

func names(objs []Object) []string {
	var out []string
	for _, o := range objs {
		out = append(out, o.Name)
	}
	return out
}

func TestObjectsByMode(t *testing.T) {
	cases := map[string]struct {
		reason string
		st     func(*testing.T) *stack.Stack
		want   []string
	}{
		"jdbc-ping 26.4": {
			reason: "jdbc-ping needs nothing extra, and 26.4 no cache configuration",
			st:     func(t *testing.T) *stack.Stack { return load(t, "aurora-rosa.yaml") },
			want:   []string{ObjNamespace, ObjDBSecret, ObjKeycloak},
		},
		"dns-ping 26.0": {
			reason: "the headless Service, and owners in a ConfigMap before 26.4",
			st: func(t *testing.T) *stack.Stack {
				return load(t, "aurora-rosa.yaml", `"26.4.2"`, `"26.0.8"`, "mode: jdbc-ping", "mode: dns-ping")
			},
			want: []string{ObjNamespace, ObjDBSecret, ObjCacheConfig, ObjDiscoveryService, ObjKeycloak},
		},
		"kube-ping 26.4": {
			reason: "kube-ping's access, and its JGroups stack in a ConfigMap even on 26.4",
			st:     func(t *testing.T) *stack.Stack { return load(t, "rosa-kube-ping.yaml") },
			want: []string{ObjNamespace, ObjDBSecret, ObjCacheConfig, ObjDiscoveryAccount, ObjDiscoveryRole,
				ObjDiscoveryBinding, ObjKeycloak},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, names(objects(t, tc.st(t)))); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}

// TestOwnershipLabels: every object carries the three labels kcstack reads
// its objects back by, the address naming the object.
func TestOwnershipLabels(t *testing.T) {
	for _, o := range objects(t, load(t, "rosa-kube-ping.yaml")) {
		meta := o.Manifest["metadata"].(map[string]any)
		want := map[string]string{LabelManagedBy: "kcstack", LabelStack: "sso-kube", LabelAddress: "targets.rosa.k8s." + o.Name}
		if diff := cmp.Diff(want, meta["labels"]); diff != "" {
			t.Errorf("%s: labels (-want +got):\n%s", o.Name, diff)
		}
	}
}

// TestKubePingRole: the Role lets the pods get, list and watch pods and
// nothing more.
func TestKubePingRole(t *testing.T) {
	for _, o := range objects(t, load(t, "rosa-kube-ping.yaml")) {
		if o.Kind != KindRole {
			continue
		}
		want := []any{map[string]any{"apiGroups": []any{""}, "resources": []any{"pods"}, "verbs": []any{"get", "list", "watch"}}}
		if diff := cmp.Diff(want, o.Manifest["rules"]); diff != "" {
			t.Errorf("rules (-want +got):\n%s", diff)
		}
		return
	}
	t.Fatal("kube-ping has no Role")
}

// TestSecretsHoldNoValue: the database Secret names the RDS-managed secret
// (a placeholder, a reference on the desired side) and holds no data.
func TestSecretsHoldNoValue(t *testing.T) {
	for _, o := range objects(t, load(t, "aurora-rosa.yaml")) {
		if o.Kind != KindSecret {
			continue
		}
		if _, ok := o.Manifest["data"]; ok {
			t.Errorf("%s holds data", o.Name)
		}
		ann := o.Manifest["metadata"].(map[string]any)["annotations"].(map[string]string)
		want := `{"password":"${db_secret_arn}:password::","username":"${db_secret_arn}:username::"}`
		if ann[AnnotationSources] != want {
			t.Errorf("%s sources = %s, want %s", o.Name, ann[AnnotationSources], want)
		}
		if !slices.Equal(o.Facts, []string{PropDBSecretARN}) {
			t.Errorf("%s facts = %v", o.Name, o.Facts)
		}
	}
}
