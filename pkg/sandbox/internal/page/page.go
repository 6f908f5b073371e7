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

// Rules are how a service pages a list: the page size when a request
// gives none (Default), the largest it accepts (Max; 0 checks no size),
// and the errors it answers for a size outside 1 to Max and for a token
// Token did not make.
type Rules struct {
	Default, Max int
	BadSize      func(size int32) error
	BadToken     func() error
}

// Of returns the page of list a request asks for under r: size items (nil
// for r.Default) from the offset token names (nil or "" for the first
// page), and the token of the next page, nil on the last.
func Of[T any](list []T, token *string, size *int32, r Rules) ([]T, *string, error) {
	n := r.Default
	if size != nil {
		if r.Max > 0 && (*size < 1 || int(*size) > r.Max) {
			return nil, nil, r.BadSize(*size)
		}
		n = int(*size)
	}
	var t string
	if token != nil {
		t = *token
	}
	start, ok := Offset(t)
	if !ok {
		return nil, nil, r.BadToken()
	}
	out, next := Window(list, start, n)
	if next == "" {
		return out, nil, nil
	}
	return out, &next, nil
}
