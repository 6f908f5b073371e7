package secretsmanager

import (
	"crypto/rand"
	"math/big"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/kcstack/kcstack/pkg/sandbox/api"
)

// The character classes GetRandomPassword draws from, as AWS documents
// them.
const (
	lowerChars       = "abcdefghijklmnopqrstuvwxyz"
	upperChars       = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	digitChars       = "0123456789"
	punctuationChars = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
	defaultLength    = 32 // the model bounds PasswordLength to 1..4096
)

func getRandomPassword(_ *api.Call, in *secretsmanager.GetRandomPasswordInput) (*secretsmanager.GetRandomPasswordOutput, error) {
	length := int64(defaultLength)
	if in.PasswordLength != nil {
		length = *in.PasswordLength
	}
	classes := passwordClasses(in)
	if len(classes) == 0 {
		return nil, api.Errorf(codeInvalidParam, "The password cannot be generated: the request excludes every character.")
	}
	requireEach := in.RequireEachIncludedType == nil || *in.RequireEachIncludedType
	if requireEach && int(length) < len(classes) {
		return nil, api.Errorf(codeInvalidParam, "PasswordLength %d is too short to include each of the %d included character types.", length, len(classes))
	}
	pw := make([]byte, length)
	for i := range pw {
		pw[i] = pick(strings.Join(classes, ""))
	}
	if requireEach {
		// One position per class, drawn without repeats, holds a character
		// of that class.
		for i, pos := range randomPositions(int(length), len(classes)) {
			pw[pos] = pick(classes[i])
		}
	}
	return &secretsmanager.GetRandomPasswordOutput{RandomPassword: aws.String(string(pw))}, nil
}

// passwordClasses lists the non-empty character classes the request
// allows, less its ExcludeCharacters.
func passwordClasses(in *secretsmanager.GetRandomPasswordInput) []string {
	type class struct {
		chars    string
		excluded bool
	}
	all := []class{
		{lowerChars, aws.ToBool(in.ExcludeLowercase)},
		{upperChars, aws.ToBool(in.ExcludeUppercase)},
		{digitChars, aws.ToBool(in.ExcludeNumbers)},
		{punctuationChars, aws.ToBool(in.ExcludePunctuation)},
		{" ", !aws.ToBool(in.IncludeSpace)},
	}
	exclude := aws.ToString(in.ExcludeCharacters)
	var out []string
	for _, cl := range all {
		if cl.excluded {
			continue
		}
		kept := strings.Map(func(r rune) rune {
			if strings.ContainsRune(exclude, r) {
				return -1
			}
			return r
		}, cl.chars)
		if kept != "" {
			out = append(out, kept)
		}
	}
	return out
}

// pick returns a uniformly random byte of chars.
func pick(chars string) byte {
	return chars[randomInt(len(chars))]
}

// randomPositions returns k distinct positions below n in random order.
func randomPositions(n, k int) []int {
	perm := make([]int, n)
	for i := range perm {
		perm[i] = i
	}
	for i := n - 1; i > 0; i-- {
		j := randomInt(i + 1)
		perm[i], perm[j] = perm[j], perm[i]
	}
	return perm[:k]
}

func randomInt(n int) int {
	v, err := rand.Int(rand.Reader, big.NewInt(int64(n)))
	if err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return int(v.Int64())
}
