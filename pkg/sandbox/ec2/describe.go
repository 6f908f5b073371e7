package ec2

import "github.com/aws/aws-sdk-go-v2/service/ec2/types"

// query is what a Describe* call selects: resources by id (all of them
// when ids is empty), the filters they must pass, and one page.
type query struct {
	ids     []string
	filters []types.Filter
	max     *int32
	token   *string
	bounds  bounds
}

// describe answers a Describe* call over m: the resources q names by id,
// those fs keeps, then one page of them (id gives their key) converted by
// sdk, never nil, and the token of the next page (nil on the last).
func describe[T, S any](k kind, m map[string]T, fs filterSet[T], q query, id func(T) string, sdk func(T) S) ([]S, *string, error) {
	items, err := selectIDs(k, m, q.ids)
	if err != nil {
		return nil, nil, err
	}
	items, err = fs.apply(items, q.filters)
	if err != nil {
		return nil, nil, err
	}
	page, next, err := paginate(items, id, q.max, q.token, q.bounds)
	if err != nil {
		return nil, nil, err
	}
	out := make([]S, 0, len(page))
	for _, v := range page {
		out = append(out, sdk(v))
	}
	return out, next, nil
}
