// Package secrets reconciles the Secrets Manager secrets kcstack generates
// (secretsmanager:secret): a JSON value {"username","password"} whose
// password Secrets Manager generates (GetRandomPassword) at creation and
// whose value kcstack never prints, logs or keeps. The user name and the
// password length are kept in tags set at creation (kcstack:username,
// kcstack:password-length), so that a plan observes them without reading
// the value. A new password length is a rotation: a new version with a new
// password. Deletes keep a recovery window; a create whose name is
// scheduled for deletion restores the secret when it is tagged for the
// same stack and address.
package secrets
