package discovery

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	sd "github.com/aws/aws-sdk-go-v2/service/servicediscovery"
	"github.com/aws/aws-sdk-go-v2/service/servicediscovery/types"

	"github.com/kcstack/kcstack/pkg/aws/clients"
	"github.com/kcstack/kcstack/pkg/aws/ownership"
	"github.com/kcstack/kcstack/pkg/aws/poll"
	"github.com/kcstack/kcstack/pkg/resource"
)

// operationWait bounds the waits of Cloud Map operations when a
// handler's Wait is nil.
var operationWait = poll.Options{Timeout: 10 * time.Minute}

// NamespaceHandler manages Cloud Map private DNS namespaces. Props: name,
// vpc_id.
type NamespaceHandler struct{ clients.Base[CloudMapAPI] }

var (
	_ resource.Handler = (*NamespaceHandler)(nil)
	_ resource.Tagger  = (*NamespaceHandler)(nil)
)

// Props of a namespace.
const (
	propNamespaceName  = "name"
	propNamespaceVPCID = "vpc_id"
)

// Attrs every discovery kind's observation carries.
const (
	attrARN  = "arn"
	attrName = "name"
)

// namespaceDescriptor declares servicediscovery:namespace. A namespace is
// deleted after its services (their namespace_id) and before its VPC.
var namespaceDescriptor = resource.Descriptor{
	Kind:         resource.KindDNSNamespace,
	TaggingTypes: []string{"servicediscovery:namespace"},
	References:   []resource.Reference{{Prop: propNamespaceVPCID, Kind: resource.KindVPC, Attr: "id"}},
	Fields: resource.Fields{
		propNamespaceName:  {ForcesReplace: true, Reason: "a Cloud Map namespace cannot be renamed"},
		propNamespaceVPCID: {ForcesReplace: true, Reason: "a private DNS namespace stays in the VPC it was created in"},
	},
	DataLoss: resource.NoDataLoss,
	// The creator request id, derived from the stack, address and VPC,
	// makes a retry answer the first call's operation.
	Create: resource.Creation{Operations: []string{"CreatePrivateDnsNamespace"}, Idempotent: true},
}

// Diff compares name and VPC, which force replacement. Cloud Map does not
// report a namespace's VPC: it is a difference only when the VPC itself
// is new (known after apply).
func (h *NamespaceHandler) Diff(d resource.Desired, o resource.Observation) []resource.FieldDiff {
	want := copyProps(d.Props)
	if _, ok := o.Props[propNamespaceVPCID]; !ok && !resource.HasRef(want[propNamespaceVPCID]) {
		delete(want, propNamespaceVPCID)
	}
	d.Props = want
	return h.Described.Diff(d, o)
}

// Create makes the namespace, tagged at creation, with a request id
// derived from the stack and address (a retry never makes a second one),
// and waits for the operation.
func (h *NamespaceHandler) Create(ctx context.Context, d resource.Desired) (resource.Observation, error) {
	r := resource.Read(d.Props)
	name, vpc := r.String(propNamespaceName), r.String(propNamespaceVPCID)
	if err := r.Err(); err != nil {
		return resource.Observation{}, fmt.Errorf("%s: %w", d.Address, err)
	}
	out, err := h.API.CreatePrivateDnsNamespace(ctx, &sd.CreatePrivateDnsNamespaceInput{
		Name: aws.String(name), Vpc: aws.String(vpc), Tags: sdTags(d.Tags),
		CreatorRequestId: aws.String(requestID(h.Stack, d.Address, vpc)),
		Description:      aws.String("kcstack " + d.Address),
	})
	if err != nil {
		return resource.Observation{}, fmt.Errorf("create Cloud Map namespace %s: %w", name, err)
	}
	id, err := waitOperation(ctx, h.API, aws.ToString(out.OperationId), types.OperationTargetTypeNamespace, h.operationWait())
	if err != nil {
		return resource.Observation{}, fmt.Errorf("create Cloud Map namespace %s: %w", name, err)
	}
	arn, err := h.namespaceARN(ctx, id)
	if err != nil {
		return resource.Observation{}, err
	}
	return namespaceObservation(id, arn, name, d.Address, h.Stack, d.Tags), nil
}

func (h *NamespaceHandler) namespaceARN(ctx context.Context, id string) (string, error) {
	nss, err := listNamespaces(ctx, h.API)
	if err != nil {
		return "", err
	}
	for _, ns := range nss {
		if aws.ToString(ns.Id) == id {
			return aws.ToString(ns.Arn), nil
		}
	}
	return "", nil
}

// Update fails: name and VPC force replacement.
func (h *NamespaceHandler) Update(_ context.Context, d resource.Desired, _ resource.Observation, _ []resource.FieldDiff) (resource.Observation, error) {
	return resource.Observation{}, fmt.Errorf("%s: a Cloud Map namespace cannot be changed in place; plan a replacement", d.Address)
}

// SetTags adds, changes and removes the namespace's tags.
func (h *NamespaceHandler) SetTags(ctx context.Context, o resource.Observation, set map[string]string, remove []string) error {
	return setCloudMapTags(ctx, h.API, o, set, remove)
}

// Delete deletes the namespace once its services are gone and waits for
// the operation; not found is success.
func (h *NamespaceHandler) Delete(ctx context.Context, o resource.Observation, _ map[string]string) error {
	var op string
	r := clients.Refusals{Gone: []string{"NamespaceNotFound"}, Busy: []string{"ResourceInUse"}}
	err := h.DeleteWhenFree(ctx, "Cloud Map namespace", o.ID, "to lose its services", r, func(ctx context.Context) error {
		out, err := h.API.DeleteNamespace(ctx, &sd.DeleteNamespaceInput{Id: aws.String(o.ID)})
		if err == nil {
			op = aws.ToString(out.OperationId)
		}
		return err
	})
	if err != nil || op == "" {
		return err
	}
	_, err = waitOperation(ctx, h.API, op, types.OperationTargetTypeNamespace, h.operationWait())
	return err
}

func (h *NamespaceHandler) operationWait() poll.Options { return h.WaitOr(operationWait) }

// waitOperation waits, within w, for a Cloud Map operation to succeed and
// returns the id of its target of type t.
func waitOperation(ctx context.Context, api CloudMapAPI, id string, t types.OperationTargetType, w poll.Options) (string, error) {
	var target string
	err := poll.Until(ctx, "Cloud Map operation "+id, w, func(ctx context.Context) (bool, string, error) {
		out, err := api.GetOperation(ctx, &sd.GetOperationInput{OperationId: aws.String(id)})
		if err != nil {
			return false, "", fmt.Errorf("get operation %s: %w", id, err)
		}
		op := out.Operation
		switch op.Status {
		case types.OperationStatusSuccess:
			target = op.Targets[string(t)]
			return true, "", nil
		case types.OperationStatusFail:
			return false, "", fmt.Errorf("operation %s failed: %s", id, aws.ToString(op.ErrorMessage))
		}
		return false, string(op.Status), nil
	})
	return target, err
}

func listNamespaces(ctx context.Context, api CloudMapAPI) ([]types.NamespaceSummary, error) {
	var out []types.NamespaceSummary
	p := sd.NewListNamespacesPaginator(api, &sd.ListNamespacesInput{Filters: []types.NamespaceFilter{{
		Name: types.NamespaceFilterNameType, Values: []string{string(types.NamespaceTypeDnsPrivate)}, Condition: types.FilterConditionEq,
	}}})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("list Cloud Map namespaces: %w", err)
		}
		out = append(out, page.Namespaces...)
	}
	return out, nil
}

func namespaceObservation(id, arn, name, address, stack string, tags map[string]string) resource.Observation {
	return ownership.Observed(resource.KindDNSNamespace, address, id, stack, tags, resource.Props{propNamespaceName: name},
		map[string]string{attrARN: arn, attrName: name})
}

func requestID(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p + "/"))
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

func copyProps(p resource.Props) resource.Props {
	out := make(resource.Props, len(p))
	for k, v := range p {
		out[k] = v
	}
	return out
}
