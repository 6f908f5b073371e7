package render

// edit is one step of a list diff: sym "-" removes v, "+" adds v, and ""
// keeps it.
type edit struct {
	sym string
	v   any
}

// diffList returns the edits that turn before into after, keeping the
// longest common subsequence of elements (compared by their rendered form)
// and listing, at each point of difference, removals before additions.
func diffList(before, after []any) []edit {
	b, a := keysOf(before), keysOf(after)
	lcs := lcsTable(b, a)
	var out []edit
	i, j := 0, 0
	for i < len(b) || j < len(a) {
		switch {
		case i < len(b) && j < len(a) && b[i] == a[j]:
			out = append(out, edit{"", before[i]})
			i, j = i+1, j+1
		case j == len(a) || (i < len(b) && lcs[i+1][j] >= lcs[i][j+1]):
			out = append(out, edit{"-", before[i]})
			i++
		default:
			out = append(out, edit{"+", after[j]})
			j++
		}
	}
	return out
}

// lcsTable returns t where t[i][j] is the length of the longest common
// subsequence of b[i:] and a[j:].
func lcsTable(b, a []string) [][]int {
	t := make([][]int, len(b)+1)
	for i := range t {
		t[i] = make([]int, len(a)+1)
	}
	for i := len(b) - 1; i >= 0; i-- {
		for j := len(a) - 1; j >= 0; j-- {
			if b[i] == a[j] {
				t[i][j] = t[i+1][j+1] + 1
				continue
			}
			t[i][j] = max(t[i+1][j], t[i][j+1])
		}
	}
	return t
}

// keysOf renders each element on one line for comparison.
func keysOf(l []any) []string {
	out := make([]string, len(l))
	for i, e := range l {
		out[i] = inline(e)
	}
	return out
}
