// Package ownership decides which observed resources are the stack's:
// building an Observation from what a describe returned and the ownership
// tags (Observed), placing an observed resource at its address or at the
// desired address of an untagged look-alike (Address), completing a read
// with the desired resources it did not find (Complete), and whether a
// service needs reading at all (Wanted), and gathering what readers
// running in parallel observe (Collector).
package ownership
