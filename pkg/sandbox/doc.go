// Package sandbox is a local AWS endpoint for trying kcstack without an
// account and for every test: an HTTP server on 127.0.0.1 that speaks the
// real wire protocols (EC2 query, AWS query, JSON 1.0/1.1) for the
// operations kcstack uses, so unmodified aws-sdk-go-v2 clients and the aws
// CLI work against it. Requests are routed by their SigV4 credential scope
// (any region, any credentials), decoded into the SDK's own input structs
// under the guidance of AWS's API models (package model), handed to the
// service emulations (packages ec2, rds, ...), and their outputs encoded
// back. The server can persist its state to a JSON file, inject latency,
// throttling and server errors, and count calls per operation.
package sandbox
