package output

import (
	"fmt"
	"strings"

	"github.com/kcstack/kcstack/pkg/resource"
	"github.com/kcstack/kcstack/pkg/state"
)

// FormatVersion is the version of the JSON form (json.md).
const FormatVersion = "1"

// Missing values say why an output has no value.
const (
	NotCreated  = "not created"
	NotReported = "not reported"
)

// Input is what the outputs are built from.
type Input struct {
	Stack, Region string
	// Desired are the stack's desired resources, in the stack's order.
	Desired []resource.Desired
	// Snapshot is live AWS, read once for Desired.
	Snapshot *state.Snapshot
	// Descriptors declare each kind's outputs.
	Descriptors map[resource.Kind]resource.Descriptor
	// Hostname and AdminHostname are spec.keycloak's hostname and
	// adminHostname (a host name or an https URL).
	Hostname, AdminHostname string
	// HostnameUnknown is set when the stack file is not at hand (a saved
	// plan): no Keycloak URL is derived.
	HostnameUnknown bool
	// Notes are added as they are (targets whose cluster was not read).
	Notes []string
}

// Value is one output.
type Value struct {
	// Name is the group and the declared name: "database.writer_endpoint".
	Name string
	// Value is nil when Missing says why there is none.
	Value       *string
	Missing     string
	Description string
	// Address is the resource the value was read from.
	Address string
	// group is the name's group, for the text form.
	group string
}

// Outputs are a stack's outputs.
type Outputs struct {
	Stack, Region string
	Values        []Value
	Notes         []string
}

// Build returns the outputs of in: for each desired resource the stack
// owns, in order, the outputs its kind declares, and after a declared
// host the Keycloak URL (and the admin URL when adminHostname is set).
// A stack that owns nothing also gets a note saying so.
func Build(in Input) *Outputs {
	out := &Outputs{Stack: in.Stack, Region: in.Region, Notes: in.Notes}
	if !ownsAnything(in.Snapshot) {
		out.Notes = append(out.Notes, fmt.Sprintf("Stack %s owns nothing in %s yet: run kcstack apply to create it.", in.Stack, in.Region))
	}
	seen := map[string]bool{}
	for _, d := range in.Desired {
		if d.Lookup != nil {
			continue
		}
		ob := in.Snapshot.Observations[d.Address]
		for _, o := range in.Descriptors[d.Kind].Outputs {
			v := value(d.Address, o.Name, o.Description, ob, o.Attr)
			out.add(v, seen)
			if o.Host {
				out.addURLs(in, v, seen)
			}
		}
	}
	return out
}

// add appends v, named after its resource's address when its name is
// taken in its group already (two resources of one kind in a group).
func (o *Outputs) add(v Value, seen map[string]bool) {
	if seen[v.Name] {
		v.Name = v.Address + "." + v.Name[len(v.group)+1:]
		v.group = v.Address
	}
	seen[v.Name] = true
	o.Values = append(o.Values, v)
}

// addURLs adds keycloak_url and admin_url after host.
func (o *Outputs) addURLs(in Input, host Value, seen map[string]bool) {
	if in.HostnameUnknown {
		return
	}
	url := func(name, hostname, description string) {
		v := Value{Name: host.group + "." + name, group: host.group, Description: description, Address: host.Address, Missing: host.Missing}
		if host.Value != nil {
			u := https(hostname, *host.Value)
			v.Value = &u
		}
		o.add(v, seen)
	}
	url("keycloak_url", in.Hostname, "Keycloak's URL: https://<spec.keycloak.hostname>, or the load balancer's DNS name when the file names no hostname")
	if in.AdminHostname != "" {
		url("admin_url", in.AdminHostname, "the admin console's URL: https://<spec.keycloak.adminHostname>")
	}
}

// https is the URL of hostname (a host name or already a URL), or of
// fallback when hostname is empty.
func https(hostname, fallback string) string {
	if hostname == "" {
		hostname = fallback
	}
	if strings.Contains(hostname, "://") {
		return hostname
	}
	return "https://" + hostname
}

// value reads attr of ob as output name of address's group.
func value(address, name, description string, ob resource.Observation, attr string) Value {
	g := Group(address)
	v := Value{Name: g + "." + name, group: g, Description: description, Address: address}
	switch s := ob.Attrs[attr]; {
	case !ob.Exists:
		v.Missing = NotCreated
	case s == "":
		v.Missing = NotReported
	default:
		v.Value = &s
	}
	return v
}

// Group is the output group of a resource address: "database" for
// database.cluster, "targets.ecs-main" for targets.ecs-main.load-balancer,
// "redis" for redis.replication-group and "redis.shop-dev" for a Redis
// application's redis.secret[shop-dev].
func Group(address string) string {
	parts := strings.SplitN(address, ".", 3)
	if len(parts) == 3 && (parts[0] == "targets" || parts[0] == "peers") {
		return parts[0] + "." + parts[1]
	}
	if len(parts) == 2 && parts[0] == "redis" {
		if _, key, ok := strings.Cut(parts[1], "["); ok && strings.HasSuffix(key, "]") {
			return "redis." + strings.TrimSuffix(key, "]")
		}
	}
	return parts[0]
}

func ownsAnything(s *state.Snapshot) bool {
	for _, ob := range s.Observations {
		if ob.Exists && ob.Owned {
			return true
		}
	}
	return len(s.Extra) > 0
}

// Lookup returns the output called name, or an error listing the names.
func (o *Outputs) Lookup(name string) (Value, error) {
	names := make([]string, 0, len(o.Values))
	for _, v := range o.Values {
		if v.Name == name {
			return v, nil
		}
		names = append(names, v.Name)
	}
	return Value{}, fmt.Errorf("no output %q; the outputs of stack %s are:\n  %s", name, o.Stack, strings.Join(names, "\n  "))
}
