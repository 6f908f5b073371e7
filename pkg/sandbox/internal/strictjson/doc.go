// Package strictjson decodes JSON that must be fully understood: a key the
// destination type has no field for is an error naming the key's JSON
// path (regions.eu-west-1.vpcs.vpc-1.colour), so that a sandbox state file
// written by another version is refused rather than silently cut down.
package strictjson
