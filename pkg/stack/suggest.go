package stack

import (
	"strings"
)

// suggest returns the candidate closest to got, or "" when none is close
// enough to be what the user meant. Case, hyphens and underscores are
// ignored first (machine_cidr finds machineCidr), then edit distance decides.
func suggest(got string, candidates []string) string {
	norm := normalize(got)
	best, bestDist := "", -1
	for _, c := range candidates {
		if normalize(c) == norm {
			return c
		}
		if len(norm) >= 4 && strings.HasPrefix(normalize(c), norm) {
			return c
		}
		d := distance(strings.ToLower(got), strings.ToLower(c))
		if bestDist < 0 || d < bestDist {
			best, bestDist = c, d
		}
	}
	if bestDist < 0 || bestDist > max(2, len(got)/3) {
		return ""
	}
	return best
}

func normalize(s string) string {
	s = strings.ToLower(s)
	return strings.NewReplacer("-", "", "_", "", ".", "").Replace(s)
}

// distance is the Levenshtein distance of a and b, in bytes.
func distance(a, b string) int {
	if len(a) > 256 || len(b) > 256 {
		return max(len(a), len(b))
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// didYouMean formats a hint naming the closest candidate, or listing them
// all when none is close.
func didYouMean(got string, candidates []string) string {
	if s := suggest(got, candidates); s != "" {
		return "did you mean " + quote(s) + "?"
	}
	if len(candidates) == 0 {
		return "remove it"
	}
	return "expected one of " + strings.Join(candidates, ", ")
}

func quote(s string) string { return `"` + s + `"` }
