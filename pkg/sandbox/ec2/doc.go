// Package ec2 emulates the Amazon EC2 networking API for the sandbox: VPCs
// and their attributes, subnets, route tables, routes and associations,
// internet gateways, NAT gateways, Elastic IP addresses, security groups
// and their rules, VPC peering connections, tags, regions and availability
// zones, and the network interfaces that NAT gateways and other services'
// resources hold (read only: DescribeNetworkInterfaces).
//
// Service returns the api.Service the sandbox front end registers. Every
// operation takes and returns the aws-sdk-go-v2 ec2 input and output types;
// the front end owns the wire protocol. State keeps resources per region
// (peering connections, which may join two regions, are kept once and show
// in both), answers errors with EC2's codes and statuses
// (InvalidVpcID.NotFound, DependencyViolation, ...), filters describe calls
// with EC2's documented filter names and wildcards, and paginates with
// opaque tokens. Tick moves resources through their states (NAT gateways
// pending → available, peering connections provisioning → active,
// deleting → deleted) using the sandbox's delays.
//
// Other services see EC2 through the api.Tagged, api.Dependents and
// api.Interfaces contracts and through State's lookups (LookupSubnet, ...):
// EC2 asks every other state for dependents before deleting a subnet or a
// security group, and for the network interfaces its resources hold.
//
// The sandbox has one account and no default VPC; IPv6 blocks, IPAM pools
// and instance or network-interface route targets are answered with
// UnsupportedOperation.
package ec2
