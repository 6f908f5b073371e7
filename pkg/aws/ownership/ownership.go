package ownership

import (
	"strings"

	"github.com/kcstack/kcstack/pkg/resource"
)

// Observed builds the observation of an existing resource: Owned when its
// tags carry the stack; the address is the given one, or the address tag
// when address is empty. attrs["id"] is set to id.
func Observed(kind resource.Kind, address, id, stack string, tags map[string]string, props resource.Props, attrs map[string]string) resource.Observation {
	if attrs == nil {
		attrs = map[string]string{}
	}
	attrs["id"] = id
	if address == "" {
		address = tags[resource.TagAddress]
	}
	return resource.Observation{
		Address: address, Kind: kind, Exists: true, ID: id, Props: props, Attrs: attrs, Tags: tags,
		Owned: stack != "" && tags[resource.TagStack] == stack,
	}
}

// Complete adds an Exists:false observation for every desired resource of
// kinds that obs lacks.
func Complete(q resource.Query, obs []resource.Observation, kinds ...resource.Kind) []resource.Observation {
	seen := map[string]bool{}
	for _, ob := range obs {
		seen[ob.Address] = true
	}
	want := map[resource.Kind]bool{}
	for _, k := range kinds {
		want[k] = true
	}
	for _, d := range q.Desired {
		if !seen[d.Address] && want[d.Kind] {
			obs = append(obs, resource.Observation{Address: d.Address, Kind: d.Kind})
		}
	}
	return obs
}

// Relevant keeps the observations a plan needs: those owned by the stack
// and those at a desired address (an untagged look-alike there makes the
// plan refuse to take it over).
func Relevant(q resource.Query, obs []resource.Observation) []resource.Observation {
	desired := map[string]bool{}
	for _, d := range q.Desired {
		desired[d.Address] = true
	}
	var out []resource.Observation
	for _, ob := range obs {
		if ob.Owned && ob.Address != "" || desired[ob.Address] {
			out = append(out, ob)
		}
	}
	return out
}

// DesiredOfKind returns the desired resources of kind k.
func DesiredOfKind(q resource.Query, k resource.Kind) []resource.Desired {
	var out []resource.Desired
	for _, d := range q.Desired {
		if d.Kind == k {
			out = append(out, d)
		}
	}
	return out
}

// Address decides where an observed resource goes in a snapshot: at its
// address tag when it carries the stack's tag, at the address of the
// desired resource of kind k whose nameProp equals name when not (an
// untagged look-alike, which the plan refuses to take over), and nowhere
// (false) otherwise.
func Address(q resource.Query, k resource.Kind, nameProp, name string, tags map[string]string) (string, bool) {
	if tags[resource.TagStack] == q.Stack && tags[resource.TagAddress] != "" {
		return tags[resource.TagAddress], true
	}
	for _, d := range q.Desired {
		if d.Kind == k && resource.Read(d.Props).OptString(nameProp) == name && name != "" {
			return d.Address, true
		}
	}
	return "", false
}

// Wanted reports whether a service needs reading at all: the stack desires
// one of kinds, or the tagging API listed one of its resources whose ARN
// contains arnPart (":ecs:", ":elasticloadbalancing:"). A stack without
// ECS targets then makes no ECS calls.
func Wanted(q resource.Query, tagged map[string]map[string]string, arnPart string, kinds ...resource.Kind) bool {
	for _, k := range kinds {
		if len(DesiredOfKind(q, k)) > 0 {
			return true
		}
	}
	for arn := range tagged {
		if strings.Contains(arn, arnPart) {
			return true
		}
	}
	return false
}
