package ec2

import (
	"net/netip"
)

// parseCIDR parses an IPv4 CIDR block that must be in canonical form (no
// host bits set), answering InvalidParameterValue for param otherwise.
func parseCIDR(param, s string) (netip.Prefix, error) {
	p, err := netip.ParsePrefix(s)
	if err != nil || !p.Addr().Is4() || p.Masked() != p {
		return netip.Prefix{}, invalidValue(param, s, "This is not a valid CIDR block.")
	}
	return p, nil
}

// overlaps reports whether two prefixes share any address.
func overlaps(a, b netip.Prefix) bool {
	return a.Overlaps(b)
}

// contains reports whether inner lies entirely within outer.
func contains(outer, inner netip.Prefix) bool {
	return outer.Bits() <= inner.Bits() && outer.Contains(inner.Addr())
}

// cidrOverlap reports whether two CIDR strings overlap; unparsable ones
// never do.
func cidrOverlap(a, b string) bool {
	pa, errA := netip.ParsePrefix(a)
	pb, errB := netip.ParsePrefix(b)
	return errA == nil && errB == nil && overlaps(pa, pb)
}

// addressCount is the number of addresses EC2 leaves usable in a subnet:
// every address of the block but the five AWS reserves.
func addressCount(p netip.Prefix) int32 {
	return int32(1)<<(32-p.Bits()) - 5
}
