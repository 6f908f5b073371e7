package cluster

import (
	"fmt"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/kcstack/kcstack/pkg/kube"
)

// keycloakAttrs sets the status and hostname of Keycloak custom resource u
// on attrs, from the object already read: no extra call.
func keycloakAttrs(attrs map[string]string, u *unstructured.Unstructured) {
	attrs[kube.AttrStatus] = keycloakStatus(u)
	attrs[kube.AttrHostname] = keycloakHostname(u)
}

// keycloakStatus summarizes the Operator's Ready and HasErrors conditions:
// "Ready", "not ready: <message>", "has errors: <message>", or that the
// Operator reported nothing yet.
func keycloakStatus(u *unstructured.Unstructured) string {
	conds, _, _ := unstructured.NestedSlice(u.Object, "status", "conditions")
	byType := map[string]map[string]any{}
	for _, c := range conds {
		if m, ok := c.(map[string]any); ok {
			if t, ok := m["type"].(string); ok {
				byType[t] = m
			}
		}
	}
	if c := byType["HasErrors"]; c["status"] == "True" {
		return withMessage("has errors", c)
	}
	c, ok := byType["Ready"]
	switch {
	case !ok:
		return "no status reported by the Keycloak Operator yet"
	case c["status"] == "True":
		return "Ready"
	}
	return withMessage("not ready", c)
}

func withMessage(state string, c map[string]any) string {
	if msg, _ := c["message"].(string); msg != "" {
		return fmt.Sprintf("%s: %s", state, msg)
	}
	return state
}

// keycloakHostname is spec.hostname.hostname, or, before Keycloak 25,
// the hostname entry of spec.additionalOptions.
func keycloakHostname(u *unstructured.Unstructured) string {
	if h, ok, _ := unstructured.NestedString(u.Object, "spec", "hostname", "hostname"); ok {
		return h
	}
	opts, _, _ := unstructured.NestedSlice(u.Object, "spec", "additionalOptions")
	for _, o := range opts {
		if m, ok := o.(map[string]any); ok && m["name"] == "hostname" {
			v, _ := m["value"].(string)
			return v
		}
	}
	return ""
}

// isKeycloak reports whether kind is the Keycloak custom resource's.
func isKeycloak(h *Handler) bool { return h.Descriptor.Kind == kube.KindKeycloak }
