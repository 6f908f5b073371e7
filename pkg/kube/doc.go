// Package kube describes the in-cluster part of a ROSA target: the objects
// kcstack wants in the target's namespace (the Namespace, the database
// Secret, the Keycloak custom resource of the Keycloak Operator, the
// discovery objects of dns-ping and kube-ping, the cache configuration),
// built from a stack as plain data, and a resource.Descriptor for each
// kind. pkg/kube/cluster reads and applies them through a target's
// kubeconfig context; `kcstack render --kind manifests` shows them as
// multi-document YAML.
//
// Every generated Keycloak setting comes from pkg/keycloak's ServerOptions,
// which ECS targets use too, so both platforms share every rule. Values
// known only after apply (the Aurora writer endpoint, the ARN of the
// RDS-managed secret) are Placeholders in the manifests, named by props the
// desired side sets to references. Secret values never appear: a Secret
// names its Secrets Manager sources in an annotation, and apply copies the
// values into it.
package kube
