package page

import "testing"

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
