package resource

import (
	"errors"
	"fmt"
	"strings"
)

// Descriptor is what kcstack knows about one resource kind, declared once,
// next to the kind's handler. The registry is built from descriptors; the
// plan derives data loss and the order of deletes from them, apply its
// protection check, the AWS configuration its guard against blind retries
// of creates, and the observers the resource types they ask the tagging
// API for.
type Descriptor struct {
	// Kind is the kind's name, "service:type".
	Kind Kind
	// TaggingTypes are the resource type filters the resource groups
	// tagging API lists the kind under ("ec2:vpc",
	// "elasticloadbalancing:loadbalancer/app"). Empty for kinds it does not
	// list: Untagged then says why.
	TaggingTypes []string
	Untagged     string
	// References are the properties through which a resource of the kind
	// refers to other resources (a subnet's vpc_id).
	References []Reference
	// Fields are the properties that force a replacement, and why.
	Fields Fields
	// Deletion places the kind's deletes relative to other deletes.
	Deletion Deletion
	// DataLoss says whether deleting (or replacing) a resource of the kind
	// loses stored data.
	DataLoss DataLoss
	// Protection, when set, is the kind's deletion protection: AWS refuses
	// to delete a resource on which it is on.
	Protection *Protection
	// Create says how a create may be retried.
	Create Creation
	// UniqueBy are the properties whose values AWS keeps unique among the
	// kind's live resources (the two VPCs of a peering, a group's name in
	// its VPC): a create with the values of a resource being deleted waits
	// for that delete.
	UniqueBy []string
	// UpdatedAttrs are the attributes an update in place gives new values
	// (a task definition's update registers a revision with a new ARN):
	// what refers to them is known only after apply.
	UpdatedAttrs []string
	// Outputs are the attributes of the kind's observation that kcstack
	// output (and the end of an apply) prints: where things are, never a
	// secret's value. Every Attr listed must be one the kind's observer
	// sets on an existing resource.
	Outputs []Output
}

// Output is one attribute of a kind that kcstack output prints, under
// Name in the group of its resource ("database.writer_endpoint").
type Output struct {
	// Name is the output's name within its group, in snake_case.
	Name string
	// Attr is the observation attribute that holds the value.
	Attr string
	// Description says what the value is, for the text and JSON forms.
	Description string
	// Host marks the public host name of a target's Keycloak (a load
	// balancer's DNS name): the outputs derive the Keycloak URL from it
	// when the file names no hostname.
	Host bool
}

// Reference is a property whose value is an attribute of a resource of
// another kind (an id, an ARN, a name). A resource is deleted before the
// resources it refers to, and replaced when a reference that cannot
// change in place (a field of Descriptor.Fields) changes.
type Reference struct {
	// Prop is the property; a Prop ending in "*" declares every property
	// starting with what precedes it (redis_secret_arn_*: one property per
	// Redis application). Several references may declare one property
	// whose values refer to resources of several kinds.
	Prop string
	Kind Kind
	// Attr is the attribute of the referenced resource the value holds
	// ("id", "arn"); "id" when empty.
	Attr string
	// InPlace marks a reference that follows a replacement of the
	// referenced resource by an update in place, and that never keeps the
	// old resource from being deleted (a policy naming a secret's ARN, a
	// task definition naming a role). Every other reference makes a
	// replacement of the referenced resource replace the referring one: it
	// must leave the old resource before that is deleted, and cannot move
	// to the new one in place (a load balancer to subnets of a new VPC).
	InPlace bool
}

// Deletion places a kind's deletes. A delete always waits for the deletes
// of the resources that refer to it (their References); After adds what
// no property shows.
type Deletion struct {
	// Placed marks the placement as declared: a kind that refers to nothing
	// and waits for nothing says so by setting Placed alone.
	Placed bool
	// After lists kinds whose deletes in the same component must finish
	// before this kind's delete starts, for dependencies AWS enforces but
	// no property shows (an internet gateway cannot be detached while an
	// elastic IP of its VPC is still mapped).
	After []Kind
	// InUseThrough lists reference props naming what this kind serves
	// (a route's route table): its delete waits for the updates that move
	// other resources off what they name (the subnets leaving the table),
	// so that nothing still in use loses it.
	InUseThrough []string
}

// DataLoss says whether a delete destroys stored data. Its zero value is
// undeclared, which the registry refuses.
type DataLoss int

// The values of DataLoss.
const (
	DataLossUndeclared DataLoss = iota
	NoDataLoss
	LosesData
)

// Protection is a kind's deletion protection.
type Protection struct {
	// Prop is the observed boolean property that is true when protection is on.
	Prop string
	// Hint says how to turn it off through the stack file.
	Hint string
}

// Protected reports whether o has deletion protection on.
func (p *Protection) Protected(o Observation) bool {
	return p != nil && o.Props[p.Prop] == true
}

// Creation says how a kind's create behaves when its answer is lost.
type Creation struct {
	// Operations are the API operations a create calls that make
	// something (CreateVpc), a link a retry would find already made
	// included (AttachInternetGateway).
	Operations []string
	// Idempotent is true when a retry of those operations cannot make a
	// second resource: the name is unique and the retry fails with a
	// duplicate error the handler adopts, or the call carries a client
	// token. The SDK is kept from retrying the others on its own; the
	// engine looks the resource up by its address tag first.
	Idempotent bool
}

// Validate reports every part of d that is missing.
func (d Descriptor) Validate() error {
	var errs []error
	missing := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if d.Kind == "" {
		missing("descriptor without a kind")
	}
	if len(d.TaggingTypes) == 0 && d.Untagged == "" {
		missing("%s: no tagging API resource types, and no reason given in Untagged", d.Kind)
	}
	if !d.Deletion.Placed && len(d.References) == 0 && len(d.Deletion.After) == 0 {
		missing("%s: delete placement undeclared: list its References or Deletion.After, or set Deletion.Placed", d.Kind)
	}
	if d.DataLoss == DataLossUndeclared {
		missing("%s: data loss undeclared: set DataLoss to NoDataLoss or LosesData", d.Kind)
	}
	if len(d.Create.Operations) == 0 {
		missing("%s: no create operations", d.Kind)
	}
	if d.Protection != nil && d.Protection.Prop == "" {
		missing("%s: a protection without its property", d.Kind)
	}
	for _, o := range d.Outputs {
		if o.Name == "" || o.Attr == "" || o.Description == "" {
			missing("%s: an output without its name, attribute or description", d.Kind)
		}
	}
	for _, r := range d.References {
		if r.Prop == "" || r.Kind == "" {
			missing("%s: a reference without its property or kind", d.Kind)
		}
	}
	return errors.Join(errs...)
}

// Matches reports whether r declares prop.
func (r Reference) Matches(prop string) bool {
	if prefix, ok := strings.CutSuffix(r.Prop, "*"); ok {
		return strings.HasPrefix(prop, prefix)
	}
	return r.Prop == prop
}

// In returns the properties of p that r declares, sorted.
func (r Reference) In(p Props) []string {
	var out []string
	for _, prop := range SortedKeys(p) {
		if r.Matches(prop) {
			out = append(out, prop)
		}
	}
	return out
}

// Reference returns the reference d declares through prop to a resource
// of kind kind.
func (d Descriptor) Reference(prop string, kind Kind) (Reference, bool) {
	for _, r := range d.References {
		if r.Matches(prop) && r.Kind == kind {
			return r, true
		}
	}
	return Reference{}, false
}

// Described is embedded in a handler to give it Describe, which returns
// Descriptor, and the default Diff. A handler whose comparison is not the
// plain one of its props declares its own Diff; it may call
// Described.Diff for the part that is.
type Described struct {
	Descriptor Descriptor
}

// Describe returns the descriptor of the handler's kind.
func (k Described) Describe() Descriptor { return k.Descriptor }

// Diff compares the desired props with the observed ones (DiffProps): the
// descriptor's Fields force replacements, d.Sensitive hides values.
func (k Described) Diff(d Desired, o Observation) []FieldDiff {
	return DiffProps(d.Props, o.Props, k.Descriptor.Fields, d.Sensitive)
}
