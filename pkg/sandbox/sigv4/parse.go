package sigv4

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// signature is what a request says about its own signature.
type signature struct {
	key, date, region, service string
	signedHeaders              []string
	signature                  string
	time                       time.Time
	presigned                  bool
	expires                    time.Duration
}

func (s *signature) scope() string {
	return s.date + "/" + s.region + "/" + s.service + "/aws4_request"
}

// parse reads the signature from the Authorization header, or from the
// X-Amz-* query parameters of a presigned request.
func parse(r *http.Request) (*signature, *Error) {
	if auth := r.Header.Get("Authorization"); auth != "" {
		return parseHeader(auth, r)
	}
	q := r.URL.Query()
	if q.Get("X-Amz-Signature") != "" {
		return parseQuery(q.Get)
	}
	return nil, &Error{Kind: Missing, Message: "Request is missing Authentication Token"}
}

func parseHeader(auth string, r *http.Request) (*signature, *Error) {
	alg, rest, _ := strings.Cut(auth, " ")
	if alg != algorithm {
		return nil, malformed("Authorization header: the algorithm must be " + algorithm)
	}
	fields := map[string]string{}
	for part := range strings.SplitSeq(rest, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		fields[k] = v
	}
	stamp := r.Header.Get("X-Amz-Date")
	if stamp == "" {
		if d, err := http.ParseTime(r.Header.Get("Date")); err == nil {
			stamp = d.UTC().Format(timeFormat)
		}
	}
	return build(fields["Credential"], fields["SignedHeaders"], fields["Signature"], stamp)
}

func parseQuery(get func(string) string) (*signature, *Error) {
	if get("X-Amz-Algorithm") != algorithm {
		return nil, malformed("X-Amz-Algorithm must be " + algorithm)
	}
	s, err := build(get("X-Amz-Credential"), get("X-Amz-SignedHeaders"), get("X-Amz-Signature"), get("X-Amz-Date"))
	if err != nil {
		return nil, err
	}
	secs, convErr := strconv.Atoi(get("X-Amz-Expires"))
	if convErr != nil || secs < 1 || secs > 604800 {
		return nil, malformed("X-Amz-Expires must be a number of seconds from 1 to 604800")
	}
	s.presigned, s.expires = true, time.Duration(secs)*time.Second
	return s, nil
}

// build checks and assembles the parts common to both forms.
func build(credential, signed, sig, stamp string) (*signature, *Error) {
	parts := strings.Split(credential, "/")
	if len(parts) != 5 || parts[4] != "aws4_request" {
		return nil, malformed("the Credential must be <access key>/<date>/<region>/<service>/aws4_request")
	}
	if signed == "" || sig == "" {
		return nil, malformed("SignedHeaders and Signature are required")
	}
	t, err := time.Parse(timeFormat, stamp)
	if err != nil {
		return nil, malformed("X-Amz-Date must be an ISO 8601 basic date and time (20060102T150405Z)")
	}
	if parts[1] != stamp[:8] {
		return nil, malformed("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '" + parts[1] + "' != '" + stamp[:8] + "'")
	}
	return &signature{
		key: parts[0], date: parts[1], region: parts[2], service: parts[3],
		signedHeaders: strings.Split(signed, ";"), signature: sig, time: t,
	}, nil
}

func malformed(msg string) *Error { return &Error{Kind: Malformed, Message: msg} }
