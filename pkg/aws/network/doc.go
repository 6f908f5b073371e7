// Package network holds the handlers and observers of the EC2 networking
// resources of a stack: VPCs, subnets, route tables and their associations,
// security groups and their rules, VPC peering connections, and the peering
// routes placed in the route tables actually associated with the subnets in
// use, and an ECS target's internet gateway, NAT gateway and its elastic
// IP. Every resource kcstack creates is tagged at creation; resources the
// stack only references (a ROSA cluster's VPC) are found and never changed.
//
// Each kind's descriptor (what it refers to, what forces a replacement,
// how its create may be retried) is declared beside its handler, one kind
// per file; Register adds them all to a clients.Set.
package network
