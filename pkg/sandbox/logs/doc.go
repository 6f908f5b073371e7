// Package logs emulates CloudWatch Logs log groups for the sandbox: create
// (with tags), describe with prefix and pagination, retention policies,
// delete, and tags through both the ARN-based operations and the older
// log-group-name ones the aws CLI v1 still offers.
package logs
