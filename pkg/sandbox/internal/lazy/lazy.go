package lazy

import (
	"reflect"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

// Map makes *m an empty map when it is nil.
func Map[K comparable, V any](m *map[K]V) {
	if *m == nil {
		*m = map[K]V{}
	}
}

// Entry returns (*m)[key], first making *m when it is nil and storing
// fresh() under key when the entry is absent or nil.
func Entry[K comparable, V any](m *map[K]*V, key K, fresh func() *V) *V {
	Map(m)
	v := (*m)[key]
	if v == nil {
		v = fresh()
		(*m)[key] = v
	}
	return v
}

// Maps makes every nil map among the exported fields of the struct *v an
// empty map (a region loaded from JSON may lack any of them). Maps of
// maps get only their outer map.
func Maps[T any](v *T) {
	s := reflect.ValueOf(v).Elem()
	for i := range s.NumField() {
		f := s.Field(i)
		if f.Kind() == reflect.Map && f.IsNil() && f.CanSet() {
			f.Set(reflect.MakeMap(f.Type()))
		}
	}
}

// Region returns the region name of *regions: made empty on first use,
// and with every map of it made by Maps.
func Region[R any](regions *map[string]*R, name string) *R {
	r := Entry(regions, name, func() *R { return new(R) })
	Maps(r)
	return r
}

// Regional is the state of a service whose resources live in regions:
// the resources of each region R, by region name. A service's State
// embeds it; it stands in the JSON form as "regions".
type Regional[R any] struct {
	Regions map[string]*R `json:"regions"`
}

// NewRegional returns a Regional without regions.
func NewRegional[R any]() Regional[R] {
	return Regional[R]{Regions: map[string]*R{}}
}

// Region returns the named region as Region does.
func (s *Regional[R]) Region(name string) *R {
	return Region(&s.Regions, name)
}

// CallRegion returns the function that gives the region a call names in
// the state of service, made as Region does. That state must embed
// Regional[R].
func CallRegion[R any](service string) func(*api.Call) *R {
	return func(c *api.Call) *R {
		return c.World.State(service).(interface{ Region(string) *R }).Region(c.Region)
	}
}
