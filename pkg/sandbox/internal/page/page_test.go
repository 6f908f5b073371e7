package page

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestTokenRoundTrip(t *testing.T) {
	for _, n := range []int{0, 1, 99} {
		got, ok := Offset(Token(n))
		if !ok || got != n {
			t.Errorf("Offset(Token(%d)) = %d, %v", n, got, ok)
		}
	}
	for _, bad := range []string{"x", "bm9wZQ=="} {
		if _, ok := Offset(bad); ok {
			t.Errorf("Offset(%q) accepted a token it did not make", bad)
		}
	}
}

func TestWindow(t *testing.T) {
	list := []int{1, 2, 3}
	got, next := Window(list, 0, 2)
	if len(got) != 2 || next == "" {
		t.Fatalf("first page: %v %q", got, next)
	}
	start, _ := Offset(next)
	got, next = Window(list, start, 2)
	if len(got) != 1 || got[0] != 3 || next != "" {
		t.Fatalf("last page: %v %q", got, next)
	}
	if got, next := Window(list, 5, 2); got != nil || next != "" {
		t.Fatalf("past the end: %v %q", got, next)
	}
}

func TestOf(t *testing.T) {
	errSize, errToken := errors.New("bad size"), errors.New("bad token")
	rules := Rules{Default: 2, Max: 3,
		BadSize:  func(int32) error { return errSize },
		BadToken: func() error { return errToken },
	}
	ptr := func(s string) *string { return &s }
	size := func(n int32) *int32 { return &n }
	list := []int{1, 2, 3, 4, 5}
	cases := map[string]struct {
		reason string
		token  *string
		size   *int32
		rules  Rules
		want   []int
		next   *string
		err    error
	}{
		"Default":    {reason: "no size takes the default", rules: rules, want: []int{1, 2}, next: ptr(Token(2))},
		"EmptyFirst": {reason: "an empty token is the first page", token: ptr(""), size: size(3), rules: rules, want: []int{1, 2, 3}, next: ptr(Token(3))},
		"Last":       {reason: "the last page has no next token", token: ptr(Token(3)), size: size(3), rules: rules, want: []int{4, 5}},
		"TooLarge":   {reason: "a size above Max is refused", size: size(4), rules: rules, err: errSize},
		"Zero":       {reason: "a size below 1 is refused", size: size(0), rules: rules, err: errSize},
		"NoMax":      {reason: "Max 0 checks no size", size: size(9), rules: Rules{Default: 2}, want: list},
		"BadToken":   {reason: "a token Token did not make is refused", token: ptr("x"), rules: rules, err: errToken},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got, next, err := Of(list, tc.token, tc.size, tc.rules)
			if !errors.Is(err, tc.err) {
				t.Fatalf("%s\nOf(...) error = %v, want %v", tc.reason, err, tc.err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s\nOf(...) page: -want +got:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.next, next); diff != "" {
				t.Errorf("%s\nOf(...) next token: -want +got:\n%s", tc.reason, diff)
			}
		})
	}
}
