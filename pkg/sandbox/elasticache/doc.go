// Package elasticache emulates the part of Amazon ElastiCache (query
// protocol) that kcstack's Redis uses: cache subnet groups, users, user
// groups, replication groups in cluster mode disabled with their member
// clusters, final snapshots and tags. It follows the AWS documentation
// where moto departs from it (moto has no user groups).
//
// Resources move through their states on the sandbox clock: replication
// groups and user groups are creating, then available/active after the
// create delay; modifying ones settle after the same delay; deleting ones
// disappear after the delete delay.
package elasticache
