package network

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/kcstack/kcstack/pkg/aws/awserr"
	"github.com/kcstack/kcstack/pkg/resource"
)

// securityGroupKind describes ec2:security-group. Its rules, the rules
// of other groups that name it as their source, and the clusters, load
// balancers and services using it refer to it, so they go first. A
// retried CreateSecurityGroup fails on the group's unique name, and
// Create adopts the group tagged for the address.
var securityGroupKind = resource.Descriptor{
	Kind:         resource.KindSecurityGroup,
	TaggingTypes: []string{"ec2:security-group"},
	References:   []resource.Reference{{Prop: propVPCID, Kind: resource.KindVPC, Attr: "id"}},
	Fields: resource.Fields{
		propVPCID:       {ForcesReplace: true, Reason: "a security group cannot move to another VPC"},
		propGroupName:   {ForcesReplace: true, Reason: "a security group's name cannot change"},
		propDescription: {ForcesReplace: true, Reason: "a security group's description cannot change"},
	},
	UniqueBy: []string{propVPCID, propGroupName},
	DataLoss: resource.NoDataLoss,
	Create:   resource.Creation{Operations: []string{"CreateSecurityGroup"}, Idempotent: true},
}

// SecurityGroupHandler manages security groups.
type SecurityGroupHandler struct{ fixed }

var (
	_ resource.Handler = (*SecurityGroupHandler)(nil)
	_ resource.Tagger  = (*SecurityGroupHandler)(nil)
	_ resource.Finder  = (*SecurityGroupHandler)(nil)
)

// Create makes the group, tagged at creation, without the allow-all egress
// rule EC2 gives every new VPC security group (kcstack's groups allow the
// egress their rules name, nothing more); a group of that name already
// tagged for this address (an earlier ambiguous create) is adopted, and
// loses that rule too.
func (h *SecurityGroupHandler) Create(ctx context.Context, d resource.Desired) (resource.Observation, error) {
	ob, err := h.create(ctx, d)
	if err != nil {
		return ob, err
	}
	return ob, h.revokeDefaultEgress(ctx, ob.ID)
}

// defaultEgress is the rule EC2 adds to every new VPC security group.
var defaultEgress = types.IpPermission{IpProtocol: aws.String("-1"), IpRanges: []types.IpRange{{CidrIp: aws.String(defaultDestination)}}}

// revokeDefaultEgress revokes defaultEgress from group id; already gone
// is success.
func (h *SecurityGroupHandler) revokeDefaultEgress(ctx context.Context, id string) error {
	_, err := h.api.RevokeSecurityGroupEgress(ctx, &ec2.RevokeSecurityGroupEgressInput{GroupId: aws.String(id), IpPermissions: []types.IpPermission{defaultEgress}})
	if err != nil && !isNotFound(err) {
		return fmt.Errorf("revoke the default egress rule of security group %s: %w", id, err)
	}
	return nil
}

// create makes or adopts the group.
func (h *SecurityGroupHandler) create(ctx context.Context, d resource.Desired) (resource.Observation, error) {
	r := resource.Read(d.Props)
	vpc, name, desc := r.String(propVPCID), r.String(propGroupName), r.String(propDescription)
	if err := r.Err(); err != nil {
		return resource.Observation{}, propErr(d.Address, err)
	}
	out, err := h.api.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{
		VpcId: aws.String(vpc), GroupName: aws.String(name),
		Description: aws.String(desc), TagSpecifications: tagSpec(types.ResourceTypeSecurityGroup, d.Tags),
	})
	if awserr.Is(err, "InvalidGroup.Duplicate") {
		if ob, ferr := h.FindByAddress(ctx, h.stack, d.Address); ferr == nil && ob.Exists {
			return ob, nil
		}
		return resource.Observation{}, fmt.Errorf("security group %s already exists in %s and is not tagged for this stack; rename it or remove it: %w", name, vpc, err)
	}
	if err != nil {
		return resource.Observation{}, fmt.Errorf("create security group %s: %w", name, err)
	}
	return observed(resource.KindSecurityGroup, d.Address, aws.ToString(out.GroupId), d.Tags, h.stack, resource.Props{
		propVPCID: vpc, propGroupName: name, propDescription: desc,
	}, nil), nil
}

// Delete removes the group once nothing (a deleted database's interfaces)
// uses it.
func (h *SecurityGroupHandler) Delete(ctx context.Context, o resource.Observation, _ map[string]string) error {
	return h.retryDependency(ctx, "security group "+o.ID, func(ctx context.Context) error {
		_, err := h.api.DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{GroupId: aws.String(o.ID)})
		return err
	})
}

// FindByAddress finds the group tagged with the stack and address.
func (h *SecurityGroupHandler) FindByAddress(ctx context.Context, stack, address string) (resource.Observation, error) {
	out, err := h.api.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{Filters: addressFilters(stack, address)})
	return foundByAddress(securityGroupKind.Kind, address, err, func() []types.SecurityGroup { return out.SecurityGroups }, func(x types.SecurityGroup) resource.Observation {
		return sgObservation(x, stack)
	})
}

// sgObservation is the observation of g at its address tag.
func sgObservation(g types.SecurityGroup, stack string) resource.Observation {
	tags := tagMap(g.Tags)
	return observed(resource.KindSecurityGroup, tags[resource.TagAddress], aws.ToString(g.GroupId), tags, stack, resource.Props{
		propVPCID: aws.ToString(g.VpcId), propGroupName: aws.ToString(g.GroupName), propDescription: aws.ToString(g.Description),
	}, nil)
}
