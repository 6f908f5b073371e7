// Package ecs emulates the Amazon ECS operations a Fargate Keycloak needs:
// clusters, task definition families and revisions, services (awsvpc
// networking, load balancers, Cloud Map registries, deployment circuit
// breaker) and the tasks they run, and tags.
//
// A service scheduler (scheduler.go) starts and stops each service's tasks
// on the sandbox clock (tasks.go): tasks run after the create delay, are
// healthy one more create delay later (or fail, at the sandbox's task
// failure rate, and are replaced), and stop within the delete delay. The
// tasks are persisted with their service. Other services read what they
// register (registrations.go): ELBv2 their targets, Cloud Map their
// instances, EC2 their network interfaces.
//
// Services check their target groups and Cloud Map services through the
// ELBv2 and Cloud Map states when those implement the small lookup
// interfaces in lookups.go, and their subnets and security groups through
// EC2's; each check is skipped when that service is not in the sandbox.
package ecs
