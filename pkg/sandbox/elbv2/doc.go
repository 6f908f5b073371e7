// Package elbv2 emulates Elastic Load Balancing v2 for the sandbox:
// application load balancers (provisioning → active after the create
// delay, DNS names in AWS's form), ip/instance target groups with health
// checks and the stickiness and deregistration attributes, HTTP/HTTPS
// listeners with forward and redirect actions, and tags.
//
// Subnets, security groups and VPCs are checked through the EC2 state when
// it implements NetworkLookup. The ECS emulation asks LookupTargetGroup
// whether a target group is attached to a load balancer.
package elbv2
