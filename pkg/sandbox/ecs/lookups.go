package ecs

import (
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

// TargetGroupLookup is implemented by the ELBv2 state (the value of
// c.World.State("elbv2")) so services can check their load balancers.
type TargetGroupLookup interface {
	// LookupTargetGroup reports whether the target group ARN exists in
	// region, and the ARNs of the load balancers it is attached to.
	LookupTargetGroup(region, arn string) (loadBalancers []string, ok bool)
}

// RegistryLookup is implemented by the Cloud Map state (the value of
// c.World.State("servicediscovery")) so services can check their
// registries.
type RegistryLookup interface {
	// LookupRegistry reports whether the Cloud Map service ARN exists in
	// region.
	LookupRegistry(region, arn string) bool
}

// NetworkLookup is what services need from the EC2 state to check their
// awsvpc configuration.
type NetworkLookup interface {
	LookupSubnet(region, subnetID string) (vpcID, zone string, ok bool)
	LookupSubnetCIDR(region, subnetID string) (cidr string, ok bool)
	LookupSecurityGroup(region, groupID string) (vpcID string, ok bool)
}

// checkLoadBalancers refuses target groups that do not exist or have no
// load balancer, and containers the task definition does not have.
func checkLoadBalancers(c *api.Call, lbs []types.LoadBalancer, td *TaskDef) error {
	lookup, _ := c.World.State("elbv2").(TargetGroupLookup)
	for _, lb := range lbs {
		if !hasContainer(td, aws.ToString(lb.ContainerName), lb.ContainerPort) {
			return api.Errorf(codeInvalidParam, "The container %s did not have a container port %d defined.", aws.ToString(lb.ContainerName), aws.ToInt32(lb.ContainerPort))
		}
		if lookup == nil || lb.TargetGroupArn == nil {
			continue
		}
		attached, ok := lookup.LookupTargetGroup(c.Region, *lb.TargetGroupArn)
		if !ok {
			return api.Errorf(codeInvalidParam, "Unable to assume role and validate the specified targetGroupArn. Please verify that the ECS service role being passed has the proper permissions.")
		}
		if len(attached) == 0 {
			return api.Errorf(codeInvalidParam, "The target group with targetGroupArn %s does not have an associated load balancer.", *lb.TargetGroupArn)
		}
	}
	return nil
}

func hasContainer(td *TaskDef, name string, port *int32) bool {
	for _, cd := range td.D.ContainerDefinitions {
		if aws.ToString(cd.Name) != name {
			continue
		}
		if port == nil {
			return true
		}
		for _, pm := range cd.PortMappings {
			if aws.ToInt32(pm.ContainerPort) == *port {
				return true
			}
		}
	}
	return false
}

func checkRegistries(c *api.Call, regs []types.ServiceRegistry) error {
	if len(regs) > 1 {
		return api.Errorf(codeInvalidParam, "Only one service registry is supported per service.")
	}
	lookup, ok := c.World.State("servicediscovery").(RegistryLookup)
	if !ok {
		return nil
	}
	for _, r := range regs {
		if !lookup.LookupRegistry(c.Region, aws.ToString(r.RegistryArn)) {
			return api.Errorf(codeInvalidParam, "The service registry %s does not exist.", aws.ToString(r.RegistryArn))
		}
	}
	return nil
}

// checkNetwork checks the awsvpc subnets and security groups against EC2:
// they must exist and share one VPC.
func checkNetwork(c *api.Call, nc *types.NetworkConfiguration) error {
	if nc == nil || nc.AwsvpcConfiguration == nil {
		return api.Errorf(codeInvalidParam, "Network Configuration must be provided when networkMode 'awsvpc' is specified.")
	}
	cfg := nc.AwsvpcConfiguration
	if len(cfg.Subnets) == 0 {
		return api.Errorf(codeInvalidParam, "subnets can not be empty.")
	}
	lookup, ok := c.World.State("ec2").(NetworkLookup)
	if !ok {
		return nil
	}
	vpc := ""
	for _, id := range cfg.Subnets {
		v, _, found := lookup.LookupSubnet(c.Region, id)
		if !found {
			return api.Errorf(codeInvalidParam, "Error retrieving subnet information for [%s]: The subnet ID '%s' does not exist (Service: AmazonEC2; Status Code: 400; Error Code: InvalidSubnetID.NotFound)", id, id)
		}
		if vpc != "" && v != vpc {
			return api.Errorf(codeInvalidParam, "Subnets must all be in the same VPC.")
		}
		vpc = v
	}
	for _, id := range cfg.SecurityGroups {
		v, found := lookup.LookupSecurityGroup(c.Region, id)
		if !found {
			return api.Errorf(codeInvalidParam, "Error retrieving security group information for [%s]: The security group '%s' does not exist (Service: AmazonEC2; Status Code: 400; Error Code: InvalidGroup.NotFound)", id, id)
		}
		if v != vpc {
			return api.Errorf(codeInvalidParam, "Security group %s is not in the VPC of the subnets (%s).", id, vpc)
		}
	}
	return nil
}

// subnets looks up the zone and CIDR of the awsvpc subnets in EC2; a
// subnet EC2 does not know (or an EC2 that is not in the sandbox) gets
// none, and its tasks a zone and an address of their own.
func subnets(c *api.Call, nc *types.NetworkConfiguration) map[string]Subnet {
	if nc == nil || nc.AwsvpcConfiguration == nil {
		return nil
	}
	lookup, _ := c.World.State("ec2").(NetworkLookup)
	out := map[string]Subnet{}
	for _, id := range nc.AwsvpcConfiguration.Subnets {
		if lookup == nil {
			out[id] = Subnet{}
			continue
		}
		_, zone, _ := lookup.LookupSubnet(c.Region, id)
		cidr, _ := lookup.LookupSubnetCIDR(c.Region, id)
		out[id] = Subnet{Zone: zone, CIDR: cidr}
	}
	return out
}
