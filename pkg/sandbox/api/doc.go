// Package api is the contract between the sandbox's HTTP front end and the
// service emulations behind it. A service is a set of operations; an operation
// is a function from an aws-sdk-go-v2 input struct to its output struct. The
// front end decodes the wire request into the input struct and encodes the
// output struct (or an *Error) back in the service's protocol, guided by the
// service's API model, so service code never sees XML, JSON or query strings.
package api
