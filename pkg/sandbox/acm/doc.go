// Package acm emulates AWS Certificate Manager for the sandbox, as far as
// kcstack and its tests need: requesting a certificate (pending validation,
// then issued after the sandbox's create delay), importing one (issued at
// once), describing, listing, tagging and deleting them (refused while a
// load balancer listener uses one). Seed puts an issued certificate under
// a given ARN, for the examples' certificate in the embedded sandbox.
package acm
