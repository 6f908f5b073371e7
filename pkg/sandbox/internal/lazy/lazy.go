package lazy

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
