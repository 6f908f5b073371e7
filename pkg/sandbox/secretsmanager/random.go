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
	lowercase   = "abcdefghijklmnopqrstuvwxyz"
	uppercase   = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	digits      = "0123456789"
	punctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
)

// getRandomPassword generates a password of PasswordLength (32 by
// default, 1 to 4096) from the classes not excluded, less
// ExcludeCharacters, with a space when IncludeSpace; with
// RequireEachIncludedType (the default) every class drawn from appears.
func getRandomPassword(_ *api.Call, in *secretsmanager.GetRandomPasswordInput) (*secretsmanager.GetRandomPasswordOutput, error) {
	n := int(aws.ToInt64(in.PasswordLength))
	if in.PasswordLength == nil {
		n = 32
	}
	if n < 1 || n > 4096 {
		return nil, api.Errorf(codeInvalidParam, "PasswordLength must be between 1 and 4096.")
	}
	classes := includedClasses(in)
	if len(classes) == 0 {
		return nil, api.Errorf(codeInvalidParam, "The password must contain at least one character type: no character is left to generate it from.")
	}
	require := in.RequireEachIncludedType == nil || *in.RequireEachIncludedType
	if require && n < len(classes) {
		return nil, api.Errorf(codeInvalidParam, "PasswordLength is too short to include each included character type.")
	}
	pw := make([]byte, n)
	for i := range pw {
		class := strings.Join(classes, "")
		if require && i < len(classes) {
			class = classes[i]
		}
		pw[i] = class[randomIndex(len(class))]
	}
	shuffle(pw)
	return &secretsmanager.GetRandomPasswordOutput{RandomPassword: aws.String(string(pw))}, nil
}

// includedClasses returns the non-empty classes left after the exclusions.
func includedClasses(in *secretsmanager.GetRandomPasswordInput) []string {
	var out []string
	add := func(excluded *bool, class string) {
		if aws.ToBool(excluded) {
			return
		}
		class = strings.Map(func(r rune) rune {
			if strings.ContainsRune(aws.ToString(in.ExcludeCharacters), r) {
				return -1
			}
			return r
		}, class)
		if class != "" {
			out = append(out, class)
		}
	}
	add(in.ExcludeLowercase, lowercase)
	add(in.ExcludeUppercase, uppercase)
	add(in.ExcludeNumbers, digits)
	add(in.ExcludePunctuation, punctuation)
	if aws.ToBool(in.IncludeSpace) {
		out = append(out, " ")
	}
	return out
}

func randomIndex(n int) int {
	i, err := rand.Int(rand.Reader, big.NewInt(int64(n)))
	if err != nil {
		panic(err) // crypto/rand does not fail
	}
	return int(i.Int64())
}

func shuffle(b []byte) {
	for i := len(b) - 1; i > 0; i-- {
		j := randomIndex(i + 1)
		b[i], b[j] = b[j], b[i]
	}
}
