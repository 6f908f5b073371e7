// Package tagged is the shared observer of an ECS target's compute, load
// balancing and discovery kinds, of the Redis kinds and of generated
// secrets: one resource groups tagging API call lists the stack's
// resources of all their tagging types (which the kinds' descriptors
// declare), then every part (clients.TaggedObserver) reads its kinds
// given that answer. It also holds the tagging API call itself (Tagged).
package tagged
