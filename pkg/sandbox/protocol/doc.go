// Package protocol turns AWS wire requests into aws-sdk-go-v2 input structs
// and output structs back into wire responses, for the EC2 query, AWS query,
// JSON 1.0/1.1 and REST-XML (S3) protocols, guided by the service's API
// model. Values pass
// through a protocol-neutral tree (Tree): structures and maps are
// map[string]any keyed by member name, lists are []any, scalars are string,
// int64, float64, bool, time.Time and []byte.
package protocol
