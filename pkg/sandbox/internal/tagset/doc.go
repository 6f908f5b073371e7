// Package tagset edits and reads the ordered tag lists of the services that keep
// tags as a list of key/value pairs (ECS, ELBv2, Cloud Map). Each of their
// SDKs has its own Tag type, so the functions take the key of a tag as a
// function.
package tagset
