package secretsmanager

import (
	"crypto/rand"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

const suffixAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// arnSuffix returns the six random letters and digits AWS appends to a
// secret's name in its ARN.
func arnSuffix() string {
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	for i := range b {
		b[i] = suffixAlphabet[int(b[i])%len(suffixAlphabet)]
	}
	return string(b)
}

// secretARN returns a new ARN for a secret named name.
func secretARN(c *api.Call, name string) string {
	return c.ARN("secretsmanager", "secret:"+name+"-"+arnSuffix())
}

// NewUUID returns a random version 4 UUID, the form of secret version ids.
func NewUUID() string {
	h := []byte(api.RandomHex(32))
	h[12] = '4'
	h[16] = "89ab"[h[16]%4]
	s := string(h)
	return s[0:8] + "-" + s[8:12] + "-" + s[12:16] + "-" + s[16:20] + "-" + s[20:32]
}
