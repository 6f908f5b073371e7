package stack

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
)

// Digest returns "sha256:" and the hex SHA-256 of the stack's canonical
// form: its JSON encoding (keys in a fixed order, maps sorted) after
// defaults. Two files that mean the same stack have the same digest.
func (s *Stack) Digest() string {
	data, err := json.Marshal(s)
	if err != nil {
		// A Stack holds only strings, numbers, bools, slices and maps
		// of those; encoding it cannot fail.
		panic("stack: encode for digest: " + err.Error())
	}
	sum := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(sum[:])
}
