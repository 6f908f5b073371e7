package awserr

import "fmt"

// First returns the first of the items a describe by id answered, nil
// when the resource does not exist (err has one of the notFound codes, or
// no item came back); items is called only when err is nil. what names
// the resource in the error: "DB cluster kc".
func First[T any](err error, notFound []string, what string, items func() []T) (*T, error) {
	if Is(err, notFound...) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("describe %s: %w", what, err)
	}
	all := items()
	if len(all) == 0 {
		return nil, nil
	}
	return &all[0], nil
}
