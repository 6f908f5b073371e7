// Package discovery manages what Keycloak's JGroups discovery needs on ECS
// besides the database: for dns-ping (DNS_PING) a Cloud Map private DNS
// namespace in the target's VPC and a service with short-lived A records
// the ECS service registers its tasks in; for s3-ping (S3_PING) an
// encrypted bucket with public access blocked, emptied before it is
// deleted. Cloud Map and S3 list calls return no tags: the observer finds
// the stack's resources with the tagging API and confirms each with the
// service's own list. All three kinds are taggable: Cloud Map's SetTags
// tag and untag by ARN, the bucket's puts its whole tag set (S3 has no
// other way).
package discovery
