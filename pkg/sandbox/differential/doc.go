// Package differential holds the differential test of the sandbox: the
// same aws-sdk-go-v2 call sequence against the sandbox and against moto's
// server, comparing response shapes and error codes. Where the two differ
// the sandbox follows AWS, and the test lists the difference with the AWS
// documentation that shows which side is right.
package differential
