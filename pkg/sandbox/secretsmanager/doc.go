// Package secretsmanager emulates AWS Secrets Manager for the sandbox:
// secrets with versions and staging labels, scheduled deletion with a
// recovery window, tags, ListSecrets filters and pagination, and secrets
// owned by another service (RDS's managed master user passwords, created
// through CreateManaged).
//
// Secret values live in the state (and so in the sandbox's state file, as
// they live in AWS); this package never logs or formats them.
package secretsmanager
