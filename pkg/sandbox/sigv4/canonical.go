package sigv4

import (
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// canonicalRequest is the request in SigV4's canonical form: method, URI,
// query, the signed headers and the payload hash, one per line.
func canonicalRequest(r *http.Request, s *signature, payload string) string {
	return strings.Join([]string{
		r.Method,
		canonicalURI(r, s.service == "s3"),
		canonicalQuery(r.URL.RawQuery),
		canonicalHeaders(r, s.signedHeaders),
		strings.Join(s.signedHeaders, ";"),
		payload,
	}, "\n")
}

// canonicalURI encodes the path as sent: once for S3, whose clients sign
// the path as is, and twice for every other service.
func canonicalURI(r *http.Request, s3 bool) string {
	path := r.URL.EscapedPath()
	if path == "" {
		path = "/"
	}
	decoded, err := url.PathUnescape(path)
	if err != nil {
		decoded = path
	}
	encoded := encode(decoded, false)
	if s3 {
		return encoded
	}
	return encode(encoded, false)
}

// canonicalQuery sorts the parameters by name, then value, each encoded,
// leaving out a presigned request's own signature.
func canonicalQuery(raw string) string {
	type pair struct{ k, v string }
	var pairs []pair
	for part := range strings.SplitSeq(raw, "&") {
		if part == "" {
			continue
		}
		k, v, _ := strings.Cut(part, "=")
		k, v = unescape(k), unescape(v)
		if k == "X-Amz-Signature" {
			continue
		}
		pairs = append(pairs, pair{encode(k, true), encode(v, true)})
	}
	sort.Slice(pairs, func(i, j int) bool {
		if pairs[i].k != pairs[j].k {
			return pairs[i].k < pairs[j].k
		}
		return pairs[i].v < pairs[j].v
	})
	out := make([]string, len(pairs))
	for i, p := range pairs {
		out[i] = p.k + "=" + p.v
	}
	return strings.Join(out, "&")
}

func unescape(s string) string {
	if u, err := url.PathUnescape(s); err == nil {
		return u
	}
	return s
}

// canonicalHeaders lists each signed header as name:value, values trimmed
// and their inner runs of spaces collapsed, several values joined by
// commas. Go moves Host out of the header map, and may Content-Length.
func canonicalHeaders(r *http.Request, names []string) string {
	var b strings.Builder
	for _, name := range names {
		values := slices.Clone(r.Header.Values(name))
		switch {
		case name == "host":
			values = []string{r.Host}
		case name == "content-length" && len(values) == 0:
			values = []string{strconv.FormatInt(r.ContentLength, 10)}
		}
		for i, v := range values {
			values[i] = strings.Join(strings.Fields(v), " ")
		}
		b.WriteString(name + ":" + strings.Join(values, ",") + "\n")
	}
	return b.String()
}

// encode is SigV4's URI encoding: every byte but the unreserved
// characters (A-Z a-z 0-9 - _ . ~) as %XX in upper case, and '/' too
// when slash is true (query parameters; path segments keep theirs).
func encode(s string, slash bool) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '-', c == '_', c == '.', c == '~':
			b.WriteByte(c)
		case c == '/' && !slash:
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&15])
		}
	}
	return b.String()
}
