package ec2

import (
	"encoding/base64"
	"sort"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

// bounds is the range EC2 accepts for an operation's MaxResults.
type bounds struct{ min, max int32 }

// Bounds from the EC2 model.
var (
	bounds5to1000 = bounds{5, 1000}
	bounds5to100  = bounds{5, 100}
)

// paginate returns one page of items, which must be sorted by key, and
// the token for the next page (nil on the last). The token is opaque to
// clients: it names the last key returned, so a page is stable even when
// resources are added or deleted between calls.
func paginate[T any](items []T, key func(T) string, max *int32, token *string, b bounds) ([]T, *string, error) {
	if max != nil && (*max < b.min || *max > b.max) {
		return nil, nil, api.Errorf("InvalidParameterValue", "Value ( %d ) for parameter maxResults is invalid. Expecting a value between %d and %d.", *max, b.min, b.max)
	}
	start := 0
	if token != nil && *token != "" {
		after, err := base64.RawURLEncoding.DecodeString(*token)
		if err != nil || len(after) == 0 {
			return nil, nil, api.Errorf("InvalidPaginationToken", "Invalid pagination token: %s", *token)
		}
		start = sort.Search(len(items), func(i int) bool { return key(items[i]) > string(after) })
	}
	items = items[start:]
	if max == nil || int(*max) >= len(items) {
		return items, nil, nil
	}
	page := items[:*max]
	next := base64.RawURLEncoding.EncodeToString([]byte(key(page[len(page)-1])))
	return page, &next, nil
}
