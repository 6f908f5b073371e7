package kube_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	authorizationv1 "k8s.io/api/authorization/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/kcstack/kcstack/internal/testutil/kube"
)

func TestMain(m *testing.M) { os.Exit(kube.Run(m)) }

// keycloakSpec sets every field the CRD declares for kcstack.
func keycloakSpec() map[string]any {
	secretKey := func(name, key string) map[string]any { return map[string]any{"name": name, "key": key} }
	return map[string]any{
		"instances": int64(3),
		"image":     "quay.io/keycloak/keycloak:26.4.0",
		"db": map[string]any{
			"vendor": "postgres", "host": "writer.cluster.example", "port": int64(5432), "database": "keycloak",
			"usernameSecret": secretKey("kc-db", "username"), "passwordSecret": secretKey("kc-db", "password"),
			"poolMinSize": int64(10), "poolInitialSize": int64(10), "poolMaxSize": int64(30),
		},
		"hostname": map[string]any{"hostname": "https://sso.example", "admin": "https://admin.sso.example", "strict": true, "backchannelDynamic": false},
		"proxy":    map[string]any{"headers": "xforwarded"},
		"http":     map[string]any{"httpEnabled": true, "httpPort": int64(8080), "httpsPort": int64(8443), "tlsSecret": "kc-tls"},
		"features": map[string]any{"enabled": []any{"multi-site"}, "disabled": []any{"impersonation"}},
		"additionalOptions": []any{
			map[string]any{"name": "cache-stack", "value": "jdbc-ping"},
			map[string]any{"name": "db-password", "secret": secretKey("kc-db", "password")},
		},
		"bootstrapAdmin": map[string]any{"user": map[string]any{"secret": "kc-admin"}},
		"cache":          map[string]any{"configMapFile": secretKey("kc-cache", "cache-ispn.xml")},
		"unsupported":    map[string]any{"podTemplate": map[string]any{"metadata": map[string]any{"labels": map[string]any{"app": "keycloak"}}}},
	}
}

// keycloak returns a Keycloak custom resource with spec.
func keycloak(ns, name string, spec map[string]any) *unstructured.Unstructured {
	return &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "k8s.keycloak.org/v2alpha1",
		"kind":       "Keycloak",
		"metadata":   map[string]any{"name": name, "namespace": ns},
		"spec":       spec,
	}}
}

// applyKeycloak applies kc server-side as kcstack does.
func applyKeycloak(t *testing.T, s *kube.Server, kc *unstructured.Unstructured) (*unstructured.Unstructured, error) {
	t.Helper()
	client, err := dynamic.NewForConfig(s.Config())
	if err != nil {
		t.Fatalf("dynamic client: %v", err)
	}
	return client.Resource(kube.KeycloakGVR).Namespace(kc.GetNamespace()).
		Apply(context.Background(), kc.GetName(), kc, metav1.ApplyOptions{FieldManager: "kcstack", Force: true})
}

func TestKeycloakAppliedServerSideAndReadBack(t *testing.T) {
	s := kube.Shared(t)
	s.InstallKeycloakCRD(t)
	ns := s.Namespace(t)
	if _, err := applyKeycloak(t, s, keycloak(ns, "keycloak", keycloakSpec())); err != nil {
		t.Fatalf("apply Keycloak: %v", err)
	}
	client, err := dynamic.NewForConfig(s.Config())
	if err != nil {
		t.Fatalf("dynamic client: %v", err)
	}
	got, err := client.Resource(kube.KeycloakGVR).Namespace(ns).Get(context.Background(), "keycloak", metav1.GetOptions{})
	if err != nil {
		t.Fatalf("get Keycloak: %v", err)
	}
	if diff := cmp.Diff(keycloakSpec(), got.Object["spec"]); diff != "" {
		t.Errorf("spec read back (-want +got):\n%s", diff)
	}
	var managers []string
	for _, f := range got.GetManagedFields() {
		managers = append(managers, f.Manager+"/"+string(f.Operation))
	}
	if diff := cmp.Diff([]string{"kcstack/Apply"}, managers); diff != "" {
		t.Errorf("field managers (-want +got):\n%s", diff)
	}
}

func TestKeycloakInvalidFieldsRefused(t *testing.T) {
	s := kube.Shared(t)
	s.InstallKeycloakCRD(t)
	ns := s.Namespace(t)
	client, err := dynamic.NewForConfig(s.Config())
	if err != nil {
		t.Fatalf("dynamic client: %v", err)
	}
	ctx := context.Background()
	// A value the schema's rules refuse is 422 Invalid; a value of the wrong
	// type, or a field the schema does not declare, fails server-side
	// apply's conversion to the typed object first, which kube-apiserver
	// reports as HTTP 500 with the field path in the message.
	cases := map[string]struct {
		reason      string
		edit        func(spec map[string]any)
		field       string
		wantInvalid bool
	}{
		"instances as a string": {
			reason: "instances is an integer",
			edit:   func(spec map[string]any) { spec["instances"] = "three" },
			field:  "spec.instances",
		},
		"negative instances": {
			reason:      "instances is at least 0",
			edit:        func(spec map[string]any) { spec["instances"] = int64(-1) },
			field:       "spec.instances",
			wantInvalid: true,
		},
		"db port out of range": {
			reason:      "a port is at most 65535",
			edit:        func(spec map[string]any) { spec["db"].(map[string]any)["port"] = int64(70000) },
			field:       "spec.db.port",
			wantInvalid: true,
		},
		"password secret without key": {
			reason: "a Secret key selector needs name and key",
			edit: func(spec map[string]any) {
				spec["db"].(map[string]any)["passwordSecret"] = map[string]any{"name": "kc-db"}
			},
			field:       "spec.db.passwordSecret.key",
			wantInvalid: true,
		},
		"features as a string": {
			reason: "features.enabled is a list",
			edit:   func(spec map[string]any) { spec["features"] = map[string]any{"enabled": "multi-site"} },
			field:  "spec.features.enabled",
		},
		"undeclared field": {
			reason: "server-side apply refuses a field the schema does not declare",
			edit:   func(spec map[string]any) { spec["hostname"].(map[string]any)["strictBackchannel"] = true },
			field:  "strictBackchannel",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			spec := keycloakSpec()
			tc.edit(spec)
			_, err := applyKeycloak(t, s, keycloak(ns, "invalid", spec))
			if err == nil {
				t.Fatalf("%s: apply succeeded, want it refused", tc.reason)
			}
			if got := apierrors.IsInvalid(err); got != tc.wantInvalid {
				t.Errorf("%s: IsInvalid(%v) = %t, want %t", tc.reason, err, got, tc.wantInvalid)
			}
			if !strings.Contains(err.Error(), tc.field) {
				t.Errorf("%s: error %q does not name %s", tc.reason, err, tc.field)
			}
			if _, err := client.Resource(kube.KeycloakGVR).Namespace(ns).Get(ctx, "invalid", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
				t.Errorf("%s: get the refused Keycloak: %v, want NotFound", tc.reason, err)
			}
		})
	}
}

func TestRoleLetsServiceAccountListPodsAndNothingMore(t *testing.T) {
	s := kube.Shared(t)
	ns := s.Namespace(t)
	c := s.Clientset(t)
	ctx := context.Background()
	sa := &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: "keycloak"}}
	if _, err := c.CoreV1().ServiceAccounts(ns).Create(ctx, sa, metav1.CreateOptions{}); err != nil {
		t.Fatalf("create ServiceAccount: %v", err)
	}
	role := &rbacv1.Role{
		ObjectMeta: metav1.ObjectMeta{Name: "keycloak-kube-ping"},
		Rules:      []rbacv1.PolicyRule{{APIGroups: []string{""}, Resources: []string{"pods"}, Verbs: []string{"get", "list", "watch"}}},
	}
	if _, err := c.RbacV1().Roles(ns).Create(ctx, role, metav1.CreateOptions{}); err != nil {
		t.Fatalf("create Role: %v", err)
	}
	binding := &rbacv1.RoleBinding{
		ObjectMeta: metav1.ObjectMeta{Name: "keycloak-kube-ping"},
		RoleRef:    rbacv1.RoleRef{APIGroup: "rbac.authorization.k8s.io", Kind: "Role", Name: role.Name},
		Subjects:   []rbacv1.Subject{{Kind: "ServiceAccount", Name: sa.Name, Namespace: ns}},
	}
	if _, err := c.RbacV1().RoleBindings(ns).Create(ctx, binding, metav1.CreateOptions{}); err != nil {
		t.Fatalf("create RoleBinding: %v", err)
	}
	other := s.Namespace(t)
	cases := map[string]struct {
		reason       string
		ns, resource string
		verb         string
		wantAllowed  bool
	}{
		"list pods":           {reason: "the Role grants list on pods", ns: ns, resource: "pods", verb: "list", wantAllowed: true},
		"watch pods":          {reason: "the Role grants watch on pods", ns: ns, resource: "pods", verb: "watch", wantAllowed: true},
		"delete pods":         {reason: "the Role grants no delete", ns: ns, resource: "pods", verb: "delete"},
		"list secrets":        {reason: "the Role names only pods", ns: ns, resource: "secrets", verb: "list"},
		"list pods elsewhere": {reason: "a Role binds in its own namespace only", ns: other, resource: "pods", verb: "list"},
	}
	user := "system:serviceaccount:" + ns + ":" + sa.Name
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			review := &authorizationv1.SubjectAccessReview{Spec: authorizationv1.SubjectAccessReviewSpec{
				User:               user,
				Groups:             []string{"system:serviceaccounts", "system:serviceaccounts:" + ns, "system:authenticated"},
				ResourceAttributes: &authorizationv1.ResourceAttributes{Namespace: tc.ns, Verb: tc.verb, Resource: tc.resource},
			}}
			got, err := c.AuthorizationV1().SubjectAccessReviews().Create(ctx, review, metav1.CreateOptions{})
			if err != nil {
				t.Fatalf("SubjectAccessReview: %v", err)
			}
			if got.Status.Allowed != tc.wantAllowed {
				t.Errorf("%s: %s %s in %s allowed = %t, want %t (%s)", tc.reason, tc.verb, tc.resource, tc.ns, got.Status.Allowed, tc.wantAllowed, got.Status.Reason)
			}
		})
	}
}

func TestKubectlGetsKeycloaks(t *testing.T) {
	kubectl, err := exec.LookPath("kubectl")
	if err != nil {
		t.Skip("kubectl is not on PATH")
	}
	s := kube.Shared(t)
	s.InstallKeycloakCRD(t)
	ns := s.Namespace(t)
	if _, err := applyKeycloak(t, s, keycloak(ns, "by-kubectl", keycloakSpec())); err != nil {
		t.Fatalf("apply Keycloak: %v", err)
	}
	cmd := exec.Command(kubectl, "--kubeconfig", s.Kubeconfig, "--cache-dir", t.TempDir(),
		"get", "keycloaks", "-A", "-o", "yaml")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("kubectl get keycloaks: %v\n%s", err, out)
	}
	for _, want := range []string{"name: by-kubectl", "namespace: " + ns, "host: writer.cluster.example"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("kubectl get keycloaks -A -o yaml lacks %q:\n%s", want, out)
		}
	}
}

func TestKubeconfigReachesTheServerThroughEveryContext(t *testing.T) {
	s := kube.Start(t) // a server of its own, stopped when the test ends
	path := filepath.Join(t.TempDir(), "kubeconfig")
	if err := s.WriteKubeconfig(path, "rosa-a", "rosa-b"); err != nil {
		t.Fatal(err)
	}
	for _, context := range []string{"rosa-a", "rosa-b", ""} {
		rules := &clientcmd.ClientConfigLoadingRules{ExplicitPath: path}
		cfg, err := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, &clientcmd.ConfigOverrides{CurrentContext: context}).ClientConfig()
		if err != nil {
			t.Fatalf("context %q: %v", context, err)
		}
		d, err := discovery.NewDiscoveryClientForConfig(cfg)
		if err != nil {
			t.Fatalf("context %q: discovery client: %v", context, err)
		}
		v, err := d.ServerVersion()
		if err != nil {
			t.Fatalf("context %q: server version: %v", context, err)
		}
		if v.Minor != "36" {
			t.Errorf("context %q: server version %s, want 1.36", context, v.GitVersion)
		}
	}
}
