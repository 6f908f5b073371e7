// Package ssm emulates the AWS Systems Manager Parameter Store for the
// sandbox: String, StringList and SecureString parameters with versions,
// hierarchies (GetParametersByPath), DescribeParameters filters, and tags.
//
// PutParameter without Overwrite on an existing name fails with
// ParameterAlreadyExists exactly as AWS does: kcstack's apply lock relies
// on it.
package ssm
