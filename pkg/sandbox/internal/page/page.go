package page

import (
	"encoding/base64"
	"strconv"
	"strings"
)

const prefix = "kcstack-sandbox-offset:"

// Token returns the opaque token that resumes a listing at offset n.
func Token(n int) string {
	return base64.StdEncoding.EncodeToString([]byte(prefix + strconv.Itoa(n)))
}

// Offset decodes a token made by Token; ok is false for anything else.
// The empty token is offset 0.
func Offset(token string) (n int, ok bool) {
	if token == "" {
		return 0, true
	}
	raw, err := base64.StdEncoding.DecodeString(token)
	if err != nil {
		return 0, false
	}
	s, found := strings.CutPrefix(string(raw), prefix)
	if !found {
		return 0, false
	}
	n, err = strconv.Atoi(s)
	return n, err == nil && n >= 0
}

// Window returns list[start:start+size] clipped to the list, and the token
// of the next page ("" on the last page).
func Window[T any](list []T, start, size int) ([]T, string) {
	if start >= len(list) {
		return nil, ""
	}
	end := min(len(list), start+size)
	if end == len(list) {
		return list[start:end], ""
	}
	return list[start:end], Token(end)
}
