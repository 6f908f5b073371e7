package network

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/kcstack/kcstack/pkg/aws/poll"
)

// A delete that still fails with DependencyViolation when its wait ends is
// told apart from a slow one: the error names what still uses the resource
// (the network interfaces in a subnet, on a security group or in a VPC,
// and who owns them), so an operator can act.

// maxNamed bounds how many dependents an error lists.
const maxNamed = 10

// dependencyHint tells the operator what to do about named dependents.
const dependencyHint = "delete or move these, then run kcstack apply again"

// interfaceFilter is the DescribeNetworkInterfaces filter that finds the
// interfaces using id, by the id's prefix; "" for other kinds.
func interfaceFilter(id string) string {
	switch {
	case strings.HasPrefix(id, "subnet-"):
		return "subnet-id"
	case strings.HasPrefix(id, "sg-"):
		return "group-id"
	case strings.HasPrefix(id, "vpc-"):
		return "vpc-id"
	}
	return ""
}

// explainDependents adds to err, a dependency wait that timed out for the
// subnet, security group or VPC id, what still uses it. When the lookup
// fails it says so and keeps err.
func (b base) explainDependents(ctx context.Context, id string, err error) error {
	if !errors.Is(err, poll.ErrTimeout) || interfaceFilter(id) == "" {
		return err
	}
	names, lerr := b.dependentsOf(ctx, id)
	switch {
	case lerr != nil:
		return fmt.Errorf("%w (listing what still uses %s failed: %v)", err, id, lerr)
	case len(names) == 0:
		return fmt.Errorf("%w (no network interface uses %s any more; AWS may still be removing one)", err, id)
	}
	if len(names) > maxNamed {
		names = append(names[:maxNamed], fmt.Sprintf("%d more", len(names)-maxNamed))
	}
	return fmt.Errorf("%s is still used by %s; %s: %w", id, strings.Join(names, ", "), dependencyHint, err)
}

// dependentsOf names the network interfaces that use id and, for a VPC,
// the subnets, security groups and internet gateways still in it.
func (b base) dependentsOf(ctx context.Context, id string) ([]string, error) {
	out, err := b.api.DescribeNetworkInterfaces(ctx, &ec2.DescribeNetworkInterfacesInput{Filters: []types.Filter{filter(interfaceFilter(id), id)}})
	if err != nil {
		return nil, fmt.Errorf("describe network interfaces: %w", err)
	}
	var names []string
	for _, ni := range out.NetworkInterfaces {
		names = append(names, interfaceName(ni))
	}
	if !strings.HasPrefix(id, "vpc-") {
		return names, nil
	}
	in, err := b.vpcContents(ctx, id)
	return append(names, in...), err
}

// interfaceName is "eni-... (<description>, owned by <owner>)".
func interfaceName(ni types.NetworkInterface) string {
	var about []string
	if d := aws.ToString(ni.Description); d != "" {
		about = append(about, d)
	}
	if ni.Attachment != nil && aws.ToString(ni.Attachment.InstanceId) != "" {
		about = append(about, "attached to "+aws.ToString(ni.Attachment.InstanceId))
	}
	if o := interfaceOwner(ni); o != "" {
		about = append(about, "owned by "+o)
	}
	if len(about) == 0 {
		return aws.ToString(ni.NetworkInterfaceId)
	}
	return aws.ToString(ni.NetworkInterfaceId) + " (" + strings.Join(about, ", ") + ")"
}

// interfaceOwner is the service that manages the interface (amazon-elb,
// amazon-rds, ...) or, for one of the account's own, the account.
func interfaceOwner(ni types.NetworkInterface) string {
	if r := aws.ToString(ni.RequesterId); r != "" {
		return r
	}
	if ni.Attachment != nil && aws.ToString(ni.Attachment.InstanceOwnerId) != "" {
		return aws.ToString(ni.Attachment.InstanceOwnerId)
	}
	return aws.ToString(ni.OwnerId)
}

// vpcContents names what else keeps a VPC from being deleted: its
// subnets, security groups other than the default one and attached
// internet gateways.
func (b base) vpcContents(ctx context.Context, vpcID string) ([]string, error) {
	var names []string
	subnets, err := b.api.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{Filters: []types.Filter{filter("vpc-id", vpcID)}})
	if err != nil {
		return names, fmt.Errorf("describe subnets: %w", err)
	}
	for _, s := range subnets.Subnets {
		names = append(names, "subnet "+aws.ToString(s.SubnetId))
	}
	groups, err := b.api.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: []types.Filter{filter("vpc-id", vpcID)}})
	if err != nil {
		return names, fmt.Errorf("describe security groups: %w", err)
	}
	for _, g := range groups.SecurityGroups {
		if aws.ToString(g.GroupName) != "default" {
			names = append(names, "security group "+aws.ToString(g.GroupId))
		}
	}
	igws, err := b.api.DescribeInternetGateways(ctx, &ec2.DescribeInternetGatewaysInput{Filters: []types.Filter{filter("attachment.vpc-id", vpcID)}})
	if err != nil {
		return names, fmt.Errorf("describe internet gateways: %w", err)
	}
	for _, g := range igws.InternetGateways {
		names = append(names, "internet gateway "+aws.ToString(g.InternetGatewayId))
	}
	return names, nil
}
