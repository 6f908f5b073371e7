// Package network holds the handlers and observers of the EC2 networking
// resources of a stack: VPCs, subnets, route tables and their associations,
// security groups and their rules, VPC peering connections, and the peering
// routes placed in the route tables actually associated with the subnets in
// use. Every resource kcstack creates is tagged at creation; resources the
// stack only references (a ROSA cluster's VPC) are found and never changed.
package network
