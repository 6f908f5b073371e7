// Package rds emulates Amazon RDS for the sandbox, limited to what an
// Aurora PostgreSQL deployment needs: DB subnet groups (checked against the
// EC2 emulation's subnets), Aurora clusters with writer and reader
// endpoints and an optional Secrets Manager-managed master password,
// instances in those clusters with writer failover (on deleting the
// writer, and FailoverDBCluster: failing-over, then available), final snapshots,
// tags, engine versions, and the creating → available → deleting
// transitions that the SDK waiters poll for.
//
// The state keeps the aws-sdk-go-v2 description types themselves
// (types.DBCluster, ...), so describe operations answer with exactly what
// was stored; outputs are deep copies so a response never aliases state.
package rds
