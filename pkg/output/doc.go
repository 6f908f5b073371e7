// Package output builds a stack's outputs (where things are: the Aurora
// endpoints, the load balancer's DNS name, the Keycloak URL, ...) from one
// snapshot of live AWS and the outputs each kind's descriptor declares,
// and renders them as text or as versioned JSON (json.md).
package output
