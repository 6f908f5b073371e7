package servicediscovery

import (
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	sd "github.com/aws/aws-sdk-go-v2/service/servicediscovery"
	"github.com/aws/aws-sdk-go-v2/service/servicediscovery/types"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
	"github.com/kcstack/kcstack/pkg/sandbox/internal/page"
)

var validDNSName = regexp.MustCompile(`^[!-~]{1,253}$`)

// VPCLookup is the part of the EC2 state that tells whether a VPC exists.
type VPCLookup interface {
	DefaultSecurityGroup(region, vpcID string) (groupID string, ok bool)
}

func createPrivateDNSNamespace(c *api.Call, in *sd.CreatePrivateDnsNamespaceInput) (*sd.CreatePrivateDnsNamespaceOutput, error) {
	name := strings.TrimSuffix(aws.ToString(in.Name), ".")
	if !validDNSName.MatchString(name) {
		return nil, api.Errorf(codeInvalidInput, "Namespace name '%s' is not a valid DNS name.", name)
	}
	vpc := aws.ToString(in.Vpc)
	if lookup, ok := c.World.State("ec2").(VPCLookup); ok {
		if _, found := lookup.DefaultSecurityGroup(c.Region, vpc); !found {
			return nil, api.Errorf(codeInvalidInput, "The VPC %s does not exist.", vpc)
		}
	}
	if len(in.Tags) > 200 {
		return nil, api.Errorf(codeTooManyTags, "Too many tags.")
	}
	r := region(c)
	for _, ns := range r.Namespaces {
		if aws.ToString(ns.N.Name) != name || ns.VPC != vpc {
			continue
		}
		if in.CreatorRequestId != nil && aws.ToString(ns.N.CreatorRequestId) == *in.CreatorRequestId {
			return &sd.CreatePrivateDnsNamespaceOutput{OperationId: aws.String(r.createOpOf(aws.ToString(ns.N.Id)))}, nil
		}
		return nil, &api.Error{Code: codeNSExists, Message: "Namespace " + name + " already exists in " + vpc + " (" + aws.ToString(ns.N.Id) + ")."}
	}
	id := newID("ns-")
	ttl := int64(15)
	if p := in.Properties; p != nil && p.DnsProperties != nil && p.DnsProperties.SOA != nil && p.DnsProperties.SOA.TTL != nil {
		ttl = *p.DnsProperties.SOA.TTL
	}
	r.Namespaces[id] = &Namespace{N: types.Namespace{
		Id: aws.String(id), Arn: aws.String(c.ARN("servicediscovery", "namespace/"+id)), Name: aws.String(name), Type: types.NamespaceTypeDnsPrivate,
		Description: in.Description, CreateDate: aws.Time(c.Now), CreatorRequestId: in.CreatorRequestId, ResourceOwner: aws.String(c.AccountID),
		Properties: &types.NamespaceProperties{
			DnsProperties:  &types.DnsProperties{HostedZoneId: aws.String("Z" + strings.ToUpper(newID("")[:13]) + "ABC"), SOA: &types.SOA{TTL: aws.Int64(ttl)}},
			HttpProperties: &types.HttpProperties{HttpName: aws.String(name)},
		},
	}, VPC: vpc, Tags: in.Tags}
	op := r.newOperation(c, types.OperationTypeCreateNamespace, types.OperationTargetTypeNamespace, id)
	return &sd.CreatePrivateDnsNamespaceOutput{OperationId: op.Id}, nil
}

// createOpOf returns the id of the operation that created the namespace.
func (r *Region) createOpOf(nsID string) string {
	for id, op := range r.Operations {
		if op.Type == types.OperationTypeCreateNamespace && op.Targets[string(types.OperationTargetTypeNamespace)] == nsID {
			return id
		}
	}
	return ""
}

func (r *Region) newOperation(c *api.Call, kind types.OperationType, target types.OperationTargetType, id string) *types.Operation {
	opID := newID("")[:16] + newID("")[:16] + "-" + newID("")[:8]
	op := &types.Operation{
		Id: aws.String(opID), Type: kind, Status: types.OperationStatusSubmitted, CreateDate: aws.Time(c.Now), UpdateDate: aws.Time(c.Now),
		Targets: map[string]string{string(target): id}, OwnerAccount: aws.String(c.AccountID),
	}
	r.Operations[opID] = op
	return op
}

func getOperation(c *api.Call, in *sd.GetOperationInput) (*sd.GetOperationOutput, error) {
	op, ok := region(c).Operations[aws.ToString(in.OperationId)]
	if !ok {
		return nil, api.Errorf(codeOpNotFound, "No operation found with ID %s.", aws.ToString(in.OperationId))
	}
	v := *op
	return &sd.GetOperationOutput{Operation: &v}, nil
}

// findNamespace returns a ready namespace by id or ARN.
func (r *Region) findNamespace(ref string) (*Namespace, error) {
	id := ref[strings.LastIndex(ref, "/")+1:]
	ns, ok := r.Namespaces[id]
	if !ok || !ns.Ready {
		return nil, api.Errorf(codeNSNotFound, "Namespace not found: %s", ref)
	}
	return ns, nil
}

// view is a namespace with its service count.
func (r *Region) view(ns *Namespace) *types.Namespace {
	v := ns.N
	n := int32(0)
	for _, sv := range r.Services {
		if aws.ToString(sv.S.NamespaceId) == aws.ToString(ns.N.Id) {
			n++
		}
	}
	v.ServiceCount = aws.Int32(n)
	return &v
}

func getNamespace(c *api.Call, in *sd.GetNamespaceInput) (*sd.GetNamespaceOutput, error) {
	r := region(c)
	ns, err := r.findNamespace(aws.ToString(in.Id))
	if err != nil {
		return nil, err
	}
	return &sd.GetNamespaceOutput{Namespace: r.view(ns)}, nil
}

func listNamespaces(c *api.Call, in *sd.ListNamespacesInput) (*sd.ListNamespacesOutput, error) {
	r := region(c)
	var found []*Namespace
	for _, ns := range r.Namespaces {
		ok, err := namespaceMatches(ns, in.Filters)
		if err != nil {
			return nil, err
		}
		if ns.Ready && ok {
			found = append(found, ns)
		}
	}
	sort.Slice(found, func(i, j int) bool { return aws.ToString(found[i].N.Id) < aws.ToString(found[j].N.Id) })
	list, next, err := page.Of(found, in.NextToken, in.MaxResults, paging)
	if err != nil {
		return nil, err
	}
	out := &sd.ListNamespacesOutput{Namespaces: []types.NamespaceSummary{}, NextToken: next}
	for _, ns := range list {
		v := r.view(ns)
		out.Namespaces = append(out.Namespaces, types.NamespaceSummary{
			Id: v.Id, Arn: v.Arn, Name: v.Name, Type: v.Type, Description: v.Description, CreateDate: v.CreateDate,
			Properties: v.Properties, ServiceCount: v.ServiceCount, ResourceOwner: v.ResourceOwner,
		})
	}
	return out, nil
}

// namespaceMatches applies the TYPE, NAME and HTTP_NAME filters.
func namespaceMatches(ns *Namespace, filters []types.NamespaceFilter) (bool, error) {
	for _, f := range filters {
		var value string
		switch f.Name {
		case types.NamespaceFilterNameType:
			value = string(ns.N.Type)
		case types.NamespaceFilterNameName, types.NamespaceFilterNameHttpName:
			value = aws.ToString(ns.N.Name)
		default:
			return false, api.Errorf(codeInvalidInput, "Unsupported filter name %s.", f.Name)
		}
		ok, err := condition(f.Condition, value, f.Values)
		if err != nil || !ok {
			return false, err
		}
	}
	return true, nil
}

// condition applies EQ (the default), IN or BEGINS_WITH.
func condition(cond types.FilterCondition, value string, values []string) (bool, error) {
	switch cond {
	case "", types.FilterConditionEq:
		if len(values) != 1 {
			return false, api.Errorf(codeInvalidInput, "EQ filters take exactly one value.")
		}
		return value == values[0], nil
	case types.FilterConditionIn:
		return slices.Contains(values, value), nil
	case types.FilterConditionBeginsWith:
		if len(values) != 1 {
			return false, api.Errorf(codeInvalidInput, "BEGINS_WITH filters take exactly one value.")
		}
		return strings.HasPrefix(value, values[0]), nil
	}
	return false, api.Errorf(codeInvalidInput, "Unsupported filter condition %s.", cond)
}

// paging is how Cloud Map pages: MaxResults (100 by default; the SDK
// checks its range) and NextToken.
var paging = page.Rules{Default: 100,
	BadToken: func() error { return api.Errorf(codeInvalidInput, "The NextToken is invalid.") },
}

func deleteNamespace(c *api.Call, in *sd.DeleteNamespaceInput) (*sd.DeleteNamespaceOutput, error) {
	r := region(c)
	ns, err := r.findNamespace(aws.ToString(in.Id))
	if err != nil {
		return nil, err
	}
	id := aws.ToString(ns.N.Id)
	for _, sv := range r.Services {
		if aws.ToString(sv.S.NamespaceId) == id {
			return nil, api.Errorf(codeInUse, "Namespace %s has associated services, delete them before deleting the namespace.", id)
		}
	}
	for _, op := range r.Operations {
		if op.Type == types.OperationTypeDeleteNamespace && op.Targets[string(types.OperationTargetTypeNamespace)] == id {
			return &sd.DeleteNamespaceOutput{OperationId: op.Id}, nil
		}
	}
	op := r.newOperation(c, types.OperationTypeDeleteNamespace, types.OperationTargetTypeNamespace, id)
	return &sd.DeleteNamespaceOutput{OperationId: op.Id}, nil
}
