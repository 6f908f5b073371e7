// Package iam emulates the IAM roles kcstack creates for ECS tasks: roles
// with trust policies, inline policies, attached managed policies (any AWS
// managed policy ARN, arn:aws:iam::aws:policy/...), tags and listing.
//
// IAM is global: the state is not split by region, and the tagging API sees
// roles in us-east-1, where AWS reports global resources.
package iam
