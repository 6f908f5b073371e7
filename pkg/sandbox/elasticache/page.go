package elasticache

import (
	"github.com/kcstack/kcstack/pkg/sandbox/api"
	"github.com/kcstack/kcstack/pkg/sandbox/internal/page"
)

// Describe operations return 100 records unless MaxRecords (20 to 100)
// asks for fewer.
const (
	minRecords = 20
	maxRecords = 100
)

var pageRules = page.Rules{
	Default: maxRecords, Max: maxRecords,
	BadSize:  func(size int32) error { return errMaxRecords(size) },
	BadToken: func() error { return invalidValue("Invalid marker.") },
}

// pageOf returns the slice of items a Marker and MaxRecords select and the
// marker of the next page, nil on the last one.
func pageOf[T any](items []T, marker *string, max *int32) ([]T, *string, error) {
	if max != nil && *max < minRecords {
		return nil, nil, errMaxRecords(*max)
	}
	out, next, err := page.Of(items, marker, max, pageRules)
	if out == nil && err == nil {
		out = []T{}
	}
	return out, next, err
}

func errMaxRecords(size int32) *api.Error {
	return invalidValue("Invalid value %d for MaxRecords. Must be between %d and %d.", size, minRecords, maxRecords)
}
