package kube

import (
	"context"
	"testing"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// Clientset returns a typed client of the server as an admin, failing the
// test when it cannot be made.
func (s *Server) Clientset(t testing.TB) kubernetes.Interface {
	t.Helper()
	c, err := kubernetes.NewForConfig(s.Config())
	if err != nil {
		t.Fatalf("kubernetes client: %v", err)
	}
	return c
}

// Namespace creates a namespace of the test's own, named kcstack-test-
// and a random suffix, and returns its name. It is not deleted: the
// server has no controller to finish a deletion, and it goes with the
// server.
func (s *Server) Namespace(t testing.TB) string {
	t.Helper()
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{GenerateName: "kcstack-test-"}}
	got, err := s.Clientset(t).CoreV1().Namespaces().Create(context.Background(), ns, metav1.CreateOptions{})
	if err != nil {
		t.Fatalf("create a namespace: %v", err)
	}
	return got.Name
}
