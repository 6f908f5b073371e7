// Package sigv4 checks AWS Signature Version 4 signatures of requests the
// sandbox receives, written from AWS's published algorithm: the canonical
// request, the string to sign and the derived signing key. It knows the
// Authorization header form and the presigned query form, S3's
// x-amz-content-sha256 (a hash, UNSIGNED-PAYLOAD or a STREAMING- marker,
// whose chunk signatures it does not check), and the 15-minute limit on
// clock skew.
package sigv4
