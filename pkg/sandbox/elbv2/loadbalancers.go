package elbv2

import (
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	elb "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	"github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
	"github.com/kcstack/kcstack/pkg/sandbox/internal/page"
)

var validName = regexp.MustCompile(`^[a-zA-Z0-9]([a-zA-Z0-9-]{0,30}[a-zA-Z0-9])?$`)

// hostedZones are the canonical hosted zone ids of application load
// balancers by region (eu-west-1 and us-east-1; others use a stand-in).
var hostedZones = map[string]string{"eu-west-1": "Z32O12XQLNTSW2", "us-east-1": "Z35SXDOTRQ7X7K", "eu-central-1": "Z215JYRZR1TBD5"}

// NetworkLookup is what ELBv2 needs from the EC2 state (the value of
// c.World.State("ec2")) to place load balancers and target groups.
type NetworkLookup interface {
	LookupSubnet(region, subnetID string) (vpcID, zone string, ok bool)
	LookupSecurityGroup(region, groupID string) (vpcID string, ok bool)
	DefaultSecurityGroup(region, vpcID string) (groupID string, ok bool)
}

func createLoadBalancer(c *api.Call, in *elb.CreateLoadBalancerInput) (*elb.CreateLoadBalancerOutput, error) {
	name := aws.ToString(in.Name)
	if !validName.MatchString(name) || strings.HasPrefix(name, "internal-") {
		return nil, api.Errorf(codeValidation, "LoadBalancer name '%s' can have a maximum of 32 characters, contain only alphanumeric characters or hyphens, must not begin or end with a hyphen, and must not begin with 'internal-'", name)
	}
	if in.Type != "" && in.Type != types.LoadBalancerTypeEnumApplication {
		return nil, api.Errorf(codeValidation, "The sandbox emulates application load balancers only, not '%s'.", in.Type)
	}
	subnets := in.Subnets
	for _, m := range in.SubnetMappings {
		subnets = append(subnets, aws.ToString(m.SubnetId))
	}
	zones, vpc, err := placeSubnets(c, subnets)
	if err != nil {
		return nil, err
	}
	groups, err := securityGroups(c, in.SecurityGroups, vpc)
	if err != nil {
		return nil, err
	}
	if err := checkTags(in.Tags); err != nil {
		return nil, err
	}
	scheme := in.Scheme
	if scheme == "" {
		scheme = types.LoadBalancerSchemeEnumInternetFacing
	}
	r := region(c)
	if old := r.lbByName(name); old != nil {
		if sameSubnets(old, zones) && old.L.Scheme == scheme {
			return &elb.CreateLoadBalancerOutput{LoadBalancers: []types.LoadBalancer{old.L}}, nil
		}
		return nil, api.Errorf(codeDuplicateLB, "A load balancer with the same name '%s' exists, but with different settings", name)
	}
	lb := newLoadBalancer(c, name, scheme, zones, vpc, groups, in)
	r.LoadBalancers[aws.ToString(lb.L.LoadBalancerArn)] = lb
	return &elb.CreateLoadBalancerOutput{LoadBalancers: []types.LoadBalancer{lb.L}}, nil
}

func newLoadBalancer(c *api.Call, name string, scheme types.LoadBalancerSchemeEnum, zones []types.AvailabilityZone, vpc string, groups []string, in *elb.CreateLoadBalancerInput) *LoadBalancer {
	id := api.RandomHex(16)
	dns := name + "-" + digits(10) + "." + c.Region + ".elb.amazonaws.com"
	if scheme == types.LoadBalancerSchemeEnumInternal {
		dns = "internal-" + dns
	}
	zone, ok := hostedZones[c.Region]
	if !ok {
		zone = "Z" + strings.ToUpper(api.RandomHex(13))
	}
	ipType := in.IpAddressType
	if ipType == "" {
		ipType = types.IpAddressTypeIpv4
	}
	return &LoadBalancer{L: types.LoadBalancer{
		LoadBalancerArn: aws.String(c.ARN("elasticloadbalancing", "loadbalancer/app/"+name+"/"+id)), LoadBalancerName: aws.String(name),
		DNSName: aws.String(dns), CanonicalHostedZoneId: aws.String(zone), CreatedTime: aws.Time(c.Now), Scheme: scheme,
		VpcId: optional(vpc), State: &types.LoadBalancerState{Code: types.LoadBalancerStateEnumProvisioning},
		Type: types.LoadBalancerTypeEnumApplication, AvailabilityZones: zones, SecurityGroups: groups, IpAddressType: ipType,
	}, Tags: in.Tags, Since: c.Now}
}

// digits returns n random decimal digits.
func digits(n int) string {
	b := []byte(api.RandomHex(n))
	for i, ch := range b {
		b[i] = '0' + byte(strings.IndexByte("0123456789abcdef", ch)%10)
	}
	return string(b)
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return aws.String(s)
}

// placeSubnets resolves subnets to zones through EC2: at least two, in
// distinct zones, all in one VPC.
func placeSubnets(c *api.Call, ids []string) ([]types.AvailabilityZone, string, error) {
	if len(ids) < 2 {
		return nil, "", api.Errorf(codeValidation, "At least two subnets in two different Availability Zones must be specified")
	}
	lookup, _ := c.World.State("ec2").(NetworkLookup)
	var zones []types.AvailabilityZone
	vpc := ""
	seen := map[string]bool{}
	for i, id := range ids {
		v, zone, ok := "", c.Region+string(rune('a'+i%6)), true
		if lookup != nil {
			v, zone, ok = lookup.LookupSubnet(c.Region, id)
		}
		switch {
		case !ok:
			return nil, "", api.Errorf(codeSubnetNotFound, "The subnet ID '%s' is not valid", id)
		case vpc != "" && v != vpc:
			return nil, "", api.Errorf(codeInvalidConfig, "The subnets must all be in the same VPC")
		case seen[zone]:
			return nil, "", api.Errorf(codeInvalidConfig, "A load balancer cannot be attached to multiple subnets in the same Availability Zone")
		}
		seen[zone], vpc = true, v
		zones = append(zones, types.AvailabilityZone{SubnetId: aws.String(id), ZoneName: aws.String(zone), LoadBalancerAddresses: []types.LoadBalancerAddress{}})
	}
	sort.Slice(zones, func(i, j int) bool { return aws.ToString(zones[i].ZoneName) < aws.ToString(zones[j].ZoneName) })
	return zones, vpc, nil
}

// securityGroups checks the groups against the VPC; none means the VPC's
// default group.
func securityGroups(c *api.Call, ids []string, vpc string) ([]string, error) {
	lookup, ok := c.World.State("ec2").(NetworkLookup)
	if !ok {
		return append([]string{}, ids...), nil
	}
	if len(ids) == 0 {
		if g, found := lookup.DefaultSecurityGroup(c.Region, vpc); found {
			return []string{g}, nil
		}
		return []string{}, nil
	}
	for _, id := range ids {
		if v, found := lookup.LookupSecurityGroup(c.Region, id); !found || v != vpc {
			return nil, api.Errorf(codeInvalidSG, "One or more security groups are invalid")
		}
	}
	return append([]string{}, ids...), nil
}

func sameSubnets(lb *LoadBalancer, zones []types.AvailabilityZone) bool {
	var a, b []string
	for _, z := range lb.L.AvailabilityZones {
		a = append(a, aws.ToString(z.SubnetId))
	}
	for _, z := range zones {
		b = append(b, aws.ToString(z.SubnetId))
	}
	sort.Strings(a)
	sort.Strings(b)
	return slices.Equal(a, b)
}

func (r *Region) lbByName(name string) *LoadBalancer {
	for _, lb := range r.LoadBalancers {
		if aws.ToString(lb.L.LoadBalancerName) == name {
			return lb
		}
	}
	return nil
}

func (r *Region) sortedLoadBalancers() []*LoadBalancer {
	out := make([]*LoadBalancer, 0, len(r.LoadBalancers))
	for _, lb := range r.LoadBalancers {
		out = append(out, lb)
	}
	sort.Slice(out, func(i, j int) bool {
		return aws.ToString(out[i].L.LoadBalancerName) < aws.ToString(out[j].L.LoadBalancerName)
	})
	return out
}

func describeLoadBalancers(c *api.Call, in *elb.DescribeLoadBalancersInput) (*elb.DescribeLoadBalancersOutput, error) {
	if len(in.LoadBalancerArns) > 0 && len(in.Names) > 0 {
		return nil, api.Errorf(codeValidation, "Load balancer names and load balancer ARNs cannot be specified at the same time")
	}
	r := region(c)
	var found []*LoadBalancer
	switch {
	case len(in.LoadBalancerArns) > 0:
		for _, arn := range in.LoadBalancerArns {
			lb, ok := r.LoadBalancers[arn]
			if !ok {
				return nil, api.Errorf(codeLBNotFound, "Load balancers '[%s]' not found", arn)
			}
			found = append(found, lb)
		}
	case len(in.Names) > 0:
		for _, n := range in.Names {
			lb := r.lbByName(n)
			if lb == nil {
				return nil, api.Errorf(codeLBNotFound, "Load balancers '[%s]' not found", n)
			}
			found = append(found, lb)
		}
	default:
		found = r.sortedLoadBalancers()
	}
	list, next, err := page.Of(found, in.Marker, in.PageSize, paging)
	if err != nil {
		return nil, err
	}
	out := &elb.DescribeLoadBalancersOutput{LoadBalancers: []types.LoadBalancer{}, NextMarker: next}
	for _, lb := range list {
		out.LoadBalancers = append(out.LoadBalancers, lb.L)
	}
	return out, nil
}

// paging is how ELBv2 pages: Marker and PageSize (1 to 400, 400 by
// default).
var paging = page.Rules{Default: 400, Max: 400,
	BadSize: func(size int32) error {
		return api.Errorf(codeValidation, "1 validation error detected: Value '%d' at 'pageSize' failed to satisfy constraint: Member must have value less than or equal to 400", size)
	},
	BadToken: func() error { return api.Errorf(codeValidation, "Invalid marker") },
}

func deleteLoadBalancer(c *api.Call, in *elb.DeleteLoadBalancerInput) (*elb.DeleteLoadBalancerOutput, error) {
	r := region(c)
	arn := aws.ToString(in.LoadBalancerArn)
	if !strings.HasPrefix(arn, "arn:aws:elasticloadbalancing:") {
		return nil, api.Errorf(codeValidation, "'%s' is not a valid load balancer ARN", arn)
	}
	if lb, ok := r.LoadBalancers[arn]; ok && lb.attributes()["deletion_protection.enabled"] == "true" {
		return nil, api.Errorf(codeNotPermitted, "Load balancer '%s' cannot be deleted because deletion protection is enabled", arn)
	}
	delete(r.LoadBalancers, arn) // deleting a load balancer that is gone succeeds
	for larn, l := range r.Listeners {
		if aws.ToString(l.L.LoadBalancerArn) == arn {
			delete(r.Listeners, larn)
		}
	}
	return &elb.DeleteLoadBalancerOutput{}, nil
}

func findLoadBalancer(r *Region, arn *string) (*LoadBalancer, error) {
	lb, ok := r.LoadBalancers[aws.ToString(arn)]
	if !ok {
		return nil, api.Errorf(codeLBNotFound, "Load balancers '[%s]' not found", aws.ToString(arn))
	}
	return lb, nil
}

func setSecurityGroups(c *api.Call, in *elb.SetSecurityGroupsInput) (*elb.SetSecurityGroupsOutput, error) {
	lb, err := findLoadBalancer(region(c), in.LoadBalancerArn)
	if err != nil {
		return nil, err
	}
	groups, err := securityGroups(c, in.SecurityGroups, aws.ToString(lb.L.VpcId))
	if err != nil {
		return nil, err
	}
	lb.L.SecurityGroups = groups
	return &elb.SetSecurityGroupsOutput{SecurityGroupIds: groups}, nil
}

func setSubnets(c *api.Call, in *elb.SetSubnetsInput) (*elb.SetSubnetsOutput, error) {
	lb, err := findLoadBalancer(region(c), in.LoadBalancerArn)
	if err != nil {
		return nil, err
	}
	subnets := in.Subnets
	for _, m := range in.SubnetMappings {
		subnets = append(subnets, aws.ToString(m.SubnetId))
	}
	zones, vpc, err := placeSubnets(c, subnets)
	if err != nil {
		return nil, err
	}
	if vpc != aws.ToString(lb.L.VpcId) {
		return nil, api.Errorf(codeInvalidConfig, "The subnets must be in the load balancer's VPC '%s'", aws.ToString(lb.L.VpcId))
	}
	lb.L.AvailabilityZones = zones
	return &elb.SetSubnetsOutput{AvailabilityZones: zones, IpAddressType: lb.L.IpAddressType}, nil
}
