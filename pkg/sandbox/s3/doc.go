// Package s3 emulates the Amazon S3 operations kcstack's s3-ping discovery
// needs, over the REST-XML protocol: buckets (location constraints, tags,
// default encryption, public access block, policy) and objects (put, get,
// head, delete, batch delete, ListObjectsV2 with prefixes, delimiters and
// continuation tokens).
//
// Buckets are global, as in AWS: one namespace for every region, each
// bucket remembering its region. New buckets have SSE-S3 encryption and
// every public access block setting on, AWS's defaults since 2023.
package s3
