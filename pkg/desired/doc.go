// Package desired turns a loaded, defaulted and valid stack.Stack into the
// resources it describes, as []resource.Desired in dependency order: the
// Aurora database and its network, each ECS target's network, roles,
// cluster, load balancer, discovery resources, task definition and
// service, and the peerings of ROSA targets and peers. Resources is the
// entry point; it never contacts AWS. Every resource is plain data: props,
// references to other resources' attributes (known after apply), and
// options that steer its handler. The Keycloak task definition is
// generated here by pkg/keycloak, with resource.Placeholder strings for
// the facts known only after apply, so that its handler needs no
// knowledge of Keycloak or of the stack file.
package desired
