package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Credentials are the one key pair requests must be signed with.
type Credentials struct {
	AccessKeyID string
	Secret      string
}

// Kind says why a request was refused.
type Kind int

const (
	// Missing: the request carries no signature.
	Missing Kind = iota + 1
	// Malformed: the signature's parts cannot be read.
	Malformed
	// UnknownKey: the access key id is not the sandbox's.
	UnknownKey
	// BadSignature: the signature is not the one the secret gives.
	BadSignature
	// Skewed: the request's time is more than MaxSkew from the sandbox's,
	// or a presigned request has expired.
	Skewed
	// PayloadMismatch: x-amz-content-sha256 is not the body's hash.
	PayloadMismatch
)

// Error is a refused request: why, and AWS's words for it.
type Error struct {
	Kind    Kind
	Message string
}

func (e *Error) Error() string { return e.Message }

// MaxSkew is how far a request's time may be from the sandbox's.
const MaxSkew = 15 * time.Minute

const (
	algorithm   = "AWS4-HMAC-SHA256"
	timeFormat  = "20060102T150405Z"
	unsigned    = "UNSIGNED-PAYLOAD"
	streaming   = "STREAMING-"
	headerHash  = "X-Amz-Content-Sha256"
	mismatchMsg = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
)

// Verify checks the signature of r, whose body has been read into body,
// against creds at time now.
func Verify(r *http.Request, body []byte, creds Credentials, now time.Time) *Error {
	sig, err := parse(r)
	if err != nil {
		return err
	}
	if sig.key != creds.AccessKeyID {
		return &Error{Kind: UnknownKey, Message: "The security token included in the request is invalid."}
	}
	if err := sig.checkTime(now); err != nil {
		return err
	}
	payload, err := payloadHash(r, body, sig)
	if err != nil {
		return err
	}
	canonical := canonicalRequest(r, sig, payload)
	want := sign(creds.Secret, sig, canonical)
	if !hmac.Equal([]byte(want), []byte(strings.ToLower(sig.signature))) {
		return &Error{Kind: BadSignature, Message: mismatchMsg}
	}
	return nil
}

// checkTime refuses a request signed too long ago or too far ahead, and a
// presigned one past its expiry.
func (s *signature) checkTime(now time.Time) *Error {
	if s.presigned {
		if now.After(s.time.Add(s.expires)) {
			return &Error{Kind: Skewed, Message: fmt.Sprintf("Request has expired: it was signed at %s for %s", s.time.Format(timeFormat), s.expires)}
		}
		return nil
	}
	switch {
	case s.time.Before(now.Add(-MaxSkew)):
		return &Error{Kind: Skewed, Message: fmt.Sprintf("Signature expired: %s is now earlier than %s (%s - 15 min.)", s.time.Format(timeFormat), now.Add(-MaxSkew).Format(timeFormat), now.Format(timeFormat))}
	case s.time.After(now.Add(MaxSkew)):
		return &Error{Kind: Skewed, Message: fmt.Sprintf("Signature not yet current: %s is still later than %s (%s + 15 min.)", s.time.Format(timeFormat), now.Add(MaxSkew).Format(timeFormat), now.Format(timeFormat))}
	}
	return nil
}

// payloadHash is the last line of the canonical request: the
// x-amz-content-sha256 the client sent (checked when it is a hash), or
// the body's hash; a presigned S3 request's payload is unsigned.
func payloadHash(r *http.Request, body []byte, s *signature) (string, *Error) {
	sum := sha256.Sum256(body)
	actual := hex.EncodeToString(sum[:])
	declared := r.Header.Get(headerHash)
	switch {
	case declared == "" && s.presigned && s.service == "s3":
		return unsigned, nil
	case declared == "":
		return actual, nil
	case declared == unsigned || strings.HasPrefix(declared, streaming):
		return declared, nil
	case !strings.EqualFold(declared, actual):
		return "", &Error{Kind: PayloadMismatch, Message: "The provided 'x-amz-content-sha256' header does not match what was computed."}
	}
	return declared, nil
}

// sign derives the signing key from the secret and the credential scope,
// and signs the string to sign of the canonical request.
func sign(secret string, s *signature, canonical string) string {
	hashed := sha256.Sum256([]byte(canonical))
	toSign := strings.Join([]string{algorithm, s.time.Format(timeFormat), s.scope(), hex.EncodeToString(hashed[:])}, "\n")
	key := mac([]byte("AWS4"+secret), s.date)
	for _, part := range []string{s.region, s.service, "aws4_request"} {
		key = mac(key, part)
	}
	return hex.EncodeToString(mac(key, toSign))
}

func mac(key []byte, data string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(data))
	return h.Sum(nil)
}
