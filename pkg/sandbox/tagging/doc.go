// Package tagging emulates the AWS Resource Groups Tagging API for the
// sandbox. It keeps no state of its own: GetResources, GetTagKeys and
// GetTagValues answer from every service state that implements
// api.Tagged, limited to the call's region, with AWS's filter semantics
// (tag filters ANDed, the values of one key ORed, a key without values
// matching any value; resource types as service or service:type).
package tagging
