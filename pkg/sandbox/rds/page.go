package rds

import (
	"encoding/base64"
	"strconv"
	"strings"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

// Describe operations return 100 records unless MaxRecords (20 to 100)
// asks for fewer.
const (
	minRecords = 20
	maxRecords = 100
)

// page returns the slice of items a Marker and MaxRecords select and the
// marker of the next page, nil on the last one.
func page[T any](items []T, marker *string, max *int32) ([]T, *string, error) {
	size := maxRecords
	if max != nil {
		if *max < minRecords || *max > maxRecords {
			return nil, nil, invalidValue("Invalid value %d for MaxRecords. Must be between %d and %d", *max, minRecords, maxRecords)
		}
		size = int(*max)
	}
	start, err := decodeMarker(marker)
	if err != nil {
		return nil, nil, err
	}
	if start >= len(items) {
		return []T{}, nil, nil
	}
	end := min(len(items), start+size)
	var next *string
	if end < len(items) {
		next = ptr(base64.RawURLEncoding.EncodeToString([]byte("offset:" + strconv.Itoa(end))))
	}
	return items[start:end], next, nil
}

func decodeMarker(marker *string) (int, error) {
	if marker == nil || *marker == "" {
		return 0, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(*marker)
	n, ok := strings.CutPrefix(string(raw), "offset:")
	start, convErr := strconv.Atoi(n)
	if err != nil || !ok || convErr != nil || start < 0 {
		return 0, api.Errorf(codeInvalidValue, "The marker %s is not valid.", *marker)
	}
	return start, nil
}
