// Package ownership holds what the handlers of the ECS target's kinds
// share: building an Observation from what a describe returned and the
// ownership tags, reading typed props, AWS error codes, and listing the
// stack's resources of a kind through the resource groups tagging API for
// services whose describe calls return no tags; and an observer's
// plumbing: gathering what parallel readers observe (Collector, also used
// by the network's observers) and a part's Observe outside Shared
// (ObserveAlone).
package ownership
