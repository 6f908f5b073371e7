package kube

import (
	"context"
	_ "embed"
	"fmt"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/yaml"
)

// keycloakCRD is the Keycloak Operator's Keycloak CRD, reduced to the
// fields kcstack sets.
//
//go:embed crds/keycloaks.k8s.keycloak.org.yaml
var keycloakCRD []byte

// KeycloakGVR is the resource of the Keycloak custom resource.
var KeycloakGVR = schema.GroupVersionResource{Group: "k8s.keycloak.org", Version: "v2alpha1", Resource: "keycloaks"}

// crdGVR is the resource of CustomResourceDefinitions.
var crdGVR = schema.GroupVersionResource{Group: "apiextensions.k8s.io", Version: "v1", Resource: "customresourcedefinitions"}

// crdFieldManager applies the CRD; kcstack itself never does.
const crdFieldManager = "kcstack-test"

// establishTimeout bounds the wait for a CRD to be served.
const establishTimeout = 30 * time.Second

// InstallKeycloakCRD applies the Keycloak CRD to the server and waits
// until it is Established, failing the test otherwise. Applying it again
// changes nothing, so tests sharing a server may each call it.
func (s *Server) InstallKeycloakCRD(t testing.TB) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), establishTimeout)
	defer cancel()
	if err := InstallKeycloakCRD(ctx, s.Config()); err != nil {
		t.Fatal(err)
	}
}

// InstallKeycloakCRD applies the Keycloak CRD through the server at cfg
// (server-side apply) and waits until the server reports it Established
// or ctx ends.
func InstallKeycloakCRD(ctx context.Context, cfg *rest.Config) error {
	client, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return fmt.Errorf("dynamic client: %w", err)
	}
	var crd unstructured.Unstructured
	if err := yaml.Unmarshal(keycloakCRD, &crd.Object); err != nil {
		return fmt.Errorf("decode the Keycloak CRD: %w", err)
	}
	crds := client.Resource(crdGVR)
	opts := metav1.ApplyOptions{FieldManager: crdFieldManager, Force: true}
	if _, err := crds.Apply(ctx, crd.GetName(), &crd, opts); err != nil {
		return fmt.Errorf("apply CRD %s: %w", crd.GetName(), err)
	}
	err = wait.PollUntilContextCancel(ctx, 100*time.Millisecond, true, func(ctx context.Context) (bool, error) {
		got, err := crds.Get(ctx, crd.GetName(), metav1.GetOptions{})
		if err != nil {
			return false, err
		}
		return established(got), nil
	})
	if err != nil {
		return fmt.Errorf("wait for CRD %s to be Established: %w", crd.GetName(), err)
	}
	return nil
}

// established reports whether a CRD's status has condition Established
// with status True.
func established(crd *unstructured.Unstructured) bool {
	conds, _, _ := unstructured.NestedSlice(crd.Object, "status", "conditions")
	for _, c := range conds {
		m, _ := c.(map[string]any)
		if m["type"] == "Established" && m["status"] == "True" {
			return true
		}
	}
	return false
}
