// Package loadbalancer manages an ECS target's Application Load Balancer:
// the load balancer in the public subnets, the ip target group with
// Keycloak's health check and stickiness, the HTTPS listener with the
// target's certificate and the HTTP listener that redirects to HTTPS. One
// observer reads them all: a paginated describe per kind and the tags of
// what it found in batches of twenty. The three kinds are taggable: their
// handlers' SetTags add and remove tags with ELBv2's AddTags and RemoveTags.
package loadbalancer
