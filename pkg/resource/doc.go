// Package resource defines what a resource is to kcstack: its address, its
// desired form derived from the stack file, its observed form read from AWS,
// the field differences between them, and the Handler contract each resource
// kind implements. It knows nothing of YAML, of the AWS SDK or of rendering.
package resource
