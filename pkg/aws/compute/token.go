package compute

import (
	"crypto/sha256"
	"encoding/hex"
)

// clientToken derives an idempotency token from the stack and address, so
// a retried create never makes a second resource.
func clientToken(stack, address string) string {
	sum := sha256.Sum256([]byte(stack + "/" + address))
	return hex.EncodeToString(sum[:16])
}
