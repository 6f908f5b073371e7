package kube

import (
	"github.com/kcstack/kcstack/pkg/keycloak"
	"github.com/kcstack/kcstack/pkg/stack"
)

// KubePingName names the ServiceAccount, Role and RoleBinding of kube-ping.
const KubePingName = "kcstack-kube-ping"

// Pod labels the Keycloak Operator sets on the pods of a Keycloak custom
// resource, which the headless Service of dns-ping selects.
const (
	operatorAppLabel      = "app"
	operatorAppValue      = "keycloak"
	operatorInstanceLabel = "app.kubernetes.io/instance"
)

// discovery adds the objects of the discovery mode: a headless Service for
// dns-ping; a ServiceAccount, a Role that may read pods in the namespace
// and its RoleBinding for kube-ping; nothing for jdbc-ping.
func (b *builder) discovery() {
	d := b.st.Spec.Discovery
	switch {
	case d.Mode == stack.DiscoveryDNSPing && d.DNSPing != nil:
		b.headlessService(d.DNSPing.ServiceName)
	case d.Mode == stack.DiscoveryKubePing:
		b.kubePingAccess()
	}
}

// headlessService adds the Service whose DNS name lists the address of
// every Keycloak pod, ready or not (a starting node must find the others).
func (b *builder) headlessService(name string) {
	b.add(Object{Name: ObjDiscoveryService, Kind: KindService}, "v1", "Service", name, nil, map[string]any{"spec": map[string]any{
		"clusterIP":                "None",
		"publishNotReadyAddresses": true,
		"selector":                 map[string]any{operatorAppLabel: operatorAppValue, operatorInstanceLabel: b.st.Metadata.Name},
		"ports": []any{map[string]any{
			"name": "jgroups", "port": int64(keycloak.JGroupsPort), "targetPort": int64(keycloak.JGroupsPort), "protocol": "TCP",
		}},
	}})
}

// kubePingAccess adds what lets KUBE_PING list the pods: the pods' own
// ServiceAccount, a Role allowing get, list and watch on pods in the
// namespace and nothing else, and the RoleBinding between them.
func (b *builder) kubePingAccess() {
	b.add(Object{Name: ObjDiscoveryAccount, Kind: KindServiceAccount}, "v1", "ServiceAccount", KubePingName, nil, nil)
	b.add(Object{Name: ObjDiscoveryRole, Kind: KindRole}, "rbac.authorization.k8s.io/v1", "Role", KubePingName, nil,
		map[string]any{"rules": []any{map[string]any{
			"apiGroups": []any{""}, "resources": []any{"pods"}, "verbs": []any{"get", "list", "watch"},
		}}})
	b.add(Object{Name: ObjDiscoveryBinding, Kind: KindRoleBinding, After: []string{ObjDiscoveryAccount, ObjDiscoveryRole}},
		"rbac.authorization.k8s.io/v1", "RoleBinding", KubePingName, nil, map[string]any{
			"subjects": []any{map[string]any{"kind": "ServiceAccount", "name": KubePingName, "namespace": b.ns}},
			"roleRef":  map[string]any{"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": KubePingName},
		})
}
