package stack

import (
	"cmp"
	"fmt"
	"strconv"
	"strings"
)

// Version is a parsed Keycloak version.
type Version struct {
	Major, Minor, Patch int
}

// ParseVersion parses MAJOR.MINOR.PATCH.
func ParseVersion(s string) (Version, error) {
	parts := strings.Split(s, ".")
	if len(parts) != 3 {
		return Version{}, fmt.Errorf("version %q: want MAJOR.MINOR.PATCH", s)
	}
	var nums [3]int
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || len(p) > 6 {
			return Version{}, fmt.Errorf("version %q: %q is not a number", s, p)
		}
		nums[i] = n
	}
	return Version{Major: nums[0], Minor: nums[1], Patch: nums[2]}, nil
}

// String formats v as MAJOR.MINOR.PATCH.
func (v Version) String() string { return fmt.Sprintf("%d.%d.%d", v.Major, v.Minor, v.Patch) }

// Compare returns -1, 0 or +1 as v is older than, equal to or newer than w.
func (v Version) Compare(w Version) int {
	return cmp.Or(cmp.Compare(v.Major, w.Major), cmp.Compare(v.Minor, w.Minor), cmp.Compare(v.Patch, w.Patch))
}

// AtLeast reports whether v is major.minor or newer.
func (v Version) AtLeast(major, minor int) bool {
	return v.Compare(Version{Major: major, Minor: minor}) >= 0
}

// KeycloakVersion returns the stack's parsed Keycloak version; the zero
// Version when spec.keycloak.version does not parse (Load reports that).
func (s *Stack) KeycloakVersion() Version {
	v, _ := ParseVersion(s.Spec.Keycloak.Version)
	return v
}

// Oldest and newest Keycloak majors kcstack supports.
const (
	MinKeycloakMajor = 24
	MaxKeycloakMajor = 26
)
