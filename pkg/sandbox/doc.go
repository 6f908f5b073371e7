// Package sandbox is a local AWS endpoint for trying kcstack without an
// account and for every test: an HTTP server on 127.0.0.1 that speaks the
// real wire protocols (EC2 query, AWS query, JSON 1.0/1.1) for the
// operations kcstack uses, so unmodified aws-sdk-go-v2 clients and the aws
// CLI work against it. Requests are routed by their SigV4 credential scope
// (any region; any credentials, unless WithCredentials makes it check
// signatures with package sigv4), decoded into the SDK's own input structs
// under the guidance of AWS's API models (package model), handed to the
// service emulations (packages ec2, rds, ...), and their outputs encoded
// back. It listens on loopback addresses only unless WithAllowRemote. The
// server can persist its state to a JSON file (refusing at start one it
// does not fully understand), inject latency,
// throttling and server errors, and count calls per operation.
package sandbox
