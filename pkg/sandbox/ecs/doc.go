// Package ecs emulates the Amazon ECS operations a Fargate Keycloak needs:
// clusters, task definition families and revisions, services (awsvpc
// networking, load balancers, Cloud Map registries, deployment circuit
// breaker) whose running count reaches the desired count after the
// sandbox's create delay, and tags on all three.
//
// Services check their target groups and Cloud Map services through the
// ELBv2 and Cloud Map states when those implement the small lookup
// interfaces in lookups.go, and their subnets and security groups through
// EC2's; each check is skipped when that service is not in the sandbox.
package ecs
