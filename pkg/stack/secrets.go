package stack

import (
	"regexp"
	"strings"
	"unicode"

	"gopkg.in/yaml.v3"
)

// secretWords are the words of a key that make it secret-like.
var secretWords = map[string]bool{
	"password": true, "passwd": true, "pwd": true, "passphrase": true,
	"secret": true, "token": true, "credential": true, "credentials": true,
	"apikey": true, "privatekey": true, "accesskey": true, "secretkey": true,
	"authkey": true, "signingkey": true, "encryptionkey": true, "masterkey": true, "hmackey": true,
	"creds": true,
}

// secretPairs are two consecutive words that make a key secret-like.
var secretPairs = map[[2]string]bool{
	{"api", "key"}: true, {"private", "key"}: true, {"access", "key"}: true,
	{"client", "secret"}: true, {"secret", "key"}: true,
}

// secretARN matches a Secrets Manager secret reference.
var secretARN = regexp.MustCompile(`^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+$`)

// IsSecretARN reports whether value is a Secrets Manager secret ARN, the
// only form a secret takes in a stack file (ECS reads it at task start).
func IsSecretARN(value string) bool { return secretARN.MatchString(value) }

// credentials matches a value holding a password: a URL with
// user:password@ (proxy-url, proxy mappings, JDBC URLs) or a
// password-like query or connection-string parameter.
var credentials = regexp.MustCompile(`(?i)([a-z][a-z0-9+.-]*://[^/?#@\s]*:[^/?#@\s]*@)|([?&;](password|passwd|pwd|secret|token|access_token|client_secret)=[^&;\s])`)

// isSecretKey reports whether a key names a secret (password, clientSecret,
// db-password, API_TOKEN, spi-email-smtp-auth-key, ...). Keys ending in
// "arn" name a reference, not a secret, and are checked by the schema. A
// key whose last word is "key" holds one (auth-key, signing-key), while
// one where "key" is followed by more words names something about a key
// (https-certificate-key-file, https-key-store-type) and is not secret.
func isSecretKey(key string) bool {
	words := splitWords(key)
	if len(words) == 0 || words[len(words)-1] == "arn" {
		return false
	}
	if len(words) > 1 && words[len(words)-1] == "key" {
		return true
	}
	for i, w := range words {
		if secretWords[w] {
			return true
		}
		if i > 0 && secretPairs[[2]string{words[i-1], w}] {
			return true
		}
	}
	return false
}

// splitWords splits camelCase, kebab-case, snake_case and dotted keys into
// lower-case words.
func splitWords(key string) []string {
	var words []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			words = append(words, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	runes := []rune(key)
	for i, r := range runes {
		switch {
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			flush()
			continue
		case unicode.IsUpper(r) && i > 0 && (unicode.IsLower(runes[i-1]) ||
			(i+1 < len(runes) && unicode.IsLower(runes[i+1]) && unicode.IsUpper(runes[i-1]))):
			flush()
		}
		cur = append(cur, r)
	}
	flush()
	return words
}

// checkSecret reports a literal value under a secret-like key.
func (t *tree) checkSecret(key string, v *yaml.Node) {
	v = resolveAlias(v)
	if v.Kind != yaml.ScalarNode || v.ShortTag() == "!!null" || v.ShortTag() == "!!bool" || v.Value == "" {
		return
	}
	if secretARN.MatchString(v.Value) {
		return
	}
	path := field(t.path(), key)
	if !isSecretKey(key) {
		t.checkCredentials(path, v)
		return
	}
	hint := "store the value in AWS Secrets Manager and write the secret's ARN here (arn:aws:secretsmanager:<region>:<account>:secret:<name>)"
	if strings.HasPrefix(path, "spec.database.aurora") {
		hint = "remove it: RDS generates the Aurora master password and keeps it in Secrets Manager"
	}
	t.diags = append(t.diags, placed(errorf(path, hint,
		"%q holds a literal secret; secrets never go in the stack file", key), pos(v)))
}

// checkCredentials reports a value with a password in it, such as a
// proxy URL with user:password@.
func (t *tree) checkCredentials(path string, v *yaml.Node) {
	if !credentials.MatchString(v.Value) {
		return
	}
	hint := "remove the credentials from it"
	if strings.HasPrefix(path, "spec.keycloak.extraOptions") {
		hint = "store the whole value in AWS Secrets Manager and write the secret's ARN here (arn:aws:secretsmanager:<region>:<account>:secret:<name>): ECS passes it to Keycloak at start"
	}
	t.diags = append(t.diags, placed(errorf(path, hint,
		"the value holds credentials (a user:password@ in a URL, or a password parameter); secrets never go in the stack file"), pos(v)))
}
