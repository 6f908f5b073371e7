// Package ownership decides which observed resources are the stack's:
// building an Observation from what a describe returned and the ownership
// tags (Observed), placing an observed resource at its address or at the
// desired address of an untagged look-alike (Address), completing a read
// with the desired resources it did not find (Complete), and whether a
// service needs reading at all (Wanted).
//
// The prop accessors (Str, Int, Bool, Strings, List), ErrorCode and
// Collector are deprecated (resource.Read, resource.List, awserr,
// tagged.Collector) and go once no package calls them.
package ownership
