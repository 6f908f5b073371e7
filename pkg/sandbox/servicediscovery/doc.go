// Package servicediscovery emulates AWS Cloud Map for the sandbox: private
// DNS namespaces created and deleted through asynchronous operations
// (GetOperation reports SUBMITTED, then SUCCESS after the sandbox's
// delays), DNS services with A/SRV records, MULTIVALUE or WEIGHTED routing
// and custom health checks, and tags.
//
// ECS services register into Cloud Map services: while an ECS service
// using a registry still has tasks, DeleteService answers ResourceInUse, as
// AWS does while instances are registered.
package servicediscovery
