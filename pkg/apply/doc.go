// Package apply executes a plan: creates and updates in dependency order,
// deletes in reverse order, independent changes in parallel (bounded),
// replacements as a delete then a create, each ordered around their
// dependents. It retries throttling and server errors with jittered
// backoff, checks by tag before retrying a create whose outcome is unknown
// (so nothing is created twice), lets changes that do not depend on a
// failure finish, stops scheduling on interruption while letting in-flight
// changes complete, and reports every step as an Event. It also holds the
// per-stack lock that keeps two applies apart.
package apply
