// Package verify checks that an applied stack works: the Aurora members,
// the peerings with their routes and the 5432 rules, each ECS service's
// steady state, target health and Cloud Map registrations, and each ROSA
// target's Keycloak custom resource. It reads live AWS through small
// interfaces over the SDK clients (batch calls, never one per resource
// where a batch call exists) and names, for each failed check, what to
// look at.
package verify
