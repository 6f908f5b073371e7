#!/usr/bin/env bash
# ElastiCache (and the Secrets Manager password kcstack generates) in the
# sandbox judged by the aws CLI (with --endpoint-url, against `kcstack
# sandbox serve` with zero delays, so each resource is creating in the
# create answer and settled at the next call): a cache subnet group, a
# disabled default user and an application user in a user group, a
# replication group with encryption in transit and at rest behind it.
# After a restart on the same --state file it reads them back (waiters
# included), deletes in the wrong order (AWS's error codes), then in the
# right order with a final snapshot.
#
# Usage: KCSTACK=path/to/kcstack PORT=free-port WORK=tmp-dir awscli-redis.sh
# Run by TestAWSCLIRedis (pkg/sandbox/awscli_test.go).
set -euo pipefail

: "${KCSTACK:?set KCSTACK to the kcstack binary}" "${PORT:?set PORT to a free port}" "${WORK:?set WORK to a temporary directory}"
STACK=awscli-redis
TAGS="Key=kcstack:stack,Value=$STACK"
SERVE_ARGS=(--create-delay 0s --delete-delay 0s)
URL="http://127.0.0.1:$PORT" STATE="$WORK/sandbox.json"

# shellcheck source=awscli-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/awscli-lib.sh"

create_network() {
  step "create a VPC, two subnets in two zones, a security group"
  save vpc "$(awsq ec2 create-vpc --cidr-block 10.30.0.0/16 --query Vpc.VpcId)"
  save subnet_a "$(awsq ec2 create-subnet --vpc-id "$(load vpc)" --cidr-block 10.30.1.0/24 --availability-zone eu-west-1a --query Subnet.SubnetId)"
  save subnet_b "$(awsq ec2 create-subnet --vpc-id "$(load vpc)" --cidr-block 10.30.2.0/24 --availability-zone eu-west-1b --query Subnet.SubnetId)"
  save sg "$(awsq ec2 create-security-group --vpc-id "$(load vpc)" --group-name "$STACK" --description Redis --query GroupId)"
}

create_users() {
  step "generate a password, create the disabled default user, the application user and their user group"
  local password
  password=$(awsq secretsmanager get-random-password --password-length 32 --exclude-punctuation --query RandomPassword)
  [[ $password =~ ^[A-Za-z0-9]{32}$ ]] || fail "get-random-password: want 32 letters and digits"
  awsq elasticache create-user --user-id "$STACK-default" --user-name default --engine redis --access-string "off -@all" \
    --passwords "$password" --tags "$TAGS" >/dev/null
  awsq elasticache create-user --user-id "$STACK-app-dev" --user-name app-dev --engine redis \
    --access-string "on ~app:* &app:* +@all -@dangerous" --passwords "$password" --tags "$TAGS" >/dev/null
  expect_eq "user group status in the create answer" "$(awsq elasticache create-user-group --user-group-id "$STACK" --engine redis \
    --user-ids "$STACK-default" "$STACK-app-dev" --tags "$TAGS" --query Status)" creating
}

create_cache() {
  step "create the cache subnet group and the replication group"
  awsq elasticache create-cache-subnet-group --cache-subnet-group-name "$STACK" --cache-subnet-group-description Redis \
    --subnet-ids "$(load subnet_a)" "$(load subnet_b)" --tags "$TAGS" >/dev/null
  expect_eq "user group after the create delay" "$(awsq elasticache describe-user-groups --user-group-id "$STACK" --query 'UserGroups[0].Status')" active
  expect_eq "replication group status in the create answer" "$(awsq elasticache create-replication-group --replication-group-id "$STACK" \
    --replication-group-description "kcstack $STACK" --engine redis --engine-version 7.1 --cache-node-type cache.t4g.small \
    --replicas-per-node-group 1 --automatic-failover-enabled --multi-az-enabled --transit-encryption-enabled \
    --at-rest-encryption-enabled --user-group-ids "$STACK" --cache-subnet-group-name "$STACK" \
    --security-group-ids "$(load sg)" --tags "$TAGS" --query ReplicationGroup.Status)" creating
}

read_group() {
  awsq elasticache wait replication-group-available --replication-group-id "$STACK"
  expect_eq "replication group" "$(awsq elasticache describe-replication-groups --replication-group-id "$STACK" \
    --query 'ReplicationGroups[0].[Status,TransitEncryptionEnabled,AtRestEncryptionEnabled,AutomaticFailover,MultiAZ,UserGroupIds[0],length(MemberClusters)]' | tr '\t' ' ')" \
    "available True True enabled enabled $STACK 2"
  local endpoint
  endpoint=$(awsq elasticache describe-replication-groups --replication-group-id "$STACK" --query 'ReplicationGroups[0].NodeGroups[0].PrimaryEndpoint.[Address,Port]' | tr '\t' ' ')
  [[ $endpoint =~ ^master\.$STACK\.[a-z0-9]{6}\.euw1\.cache\.amazonaws\.com\ 6379$ ]] || fail "primary endpoint '$endpoint'"
}

read_users() {
  expect_eq "users" "$(awsq elasticache describe-users --query "Users[?starts_with(UserId, '$STACK')].[UserId,UserName,AccessString,Authentication.Type,Status]" | tr '\t' ' ')" \
    "$STACK-app-dev app-dev on ~app:* &app:* +@all -@dangerous password active
$STACK-default default off -@all password active"
}

read_clusters() {
  expect_eq "member cluster" "$(awsq elasticache describe-cache-clusters --cache-cluster-id "$STACK-001" \
    --query 'CacheClusters[0].[EngineVersion,CacheParameterGroup.CacheParameterGroupName,SecurityGroups[0].SecurityGroupId,CacheSubnetGroupName]' | tr '\t' ' ')" \
    "7.1 default.redis7 $(load sg) $STACK"
}

read_tags() {
  expect_eq "tagged ElastiCache resources" "$(awsq resourcegroupstaggingapi get-resources --resource-type-filters elasticache \
    --tag-filters "Key=kcstack:stack,Values=$STACK" --query 'length(ResourceTagMappingList)')" 5
}

delete_wrong_order() {
  step "delete in the wrong order"
  expect_error InvalidUserGroupState "delete-user-group in use" elasticache delete-user-group --user-group-id "$STACK"
  expect_error DefaultUserAssociatedToUserGroup "delete-user of the group's default user" elasticache delete-user --user-id "$STACK-default"
  expect_error CacheSubnetGroupInUse "delete-cache-subnet-group in use" elasticache delete-cache-subnet-group --cache-subnet-group-name "$STACK"
  expect_error DependencyViolation "delete-security-group in use" ec2 delete-security-group --group-id "$(load sg)"
}

delete_all() {
  step "delete the replication group with a final snapshot, then the rest"
  expect_eq "replication group status in the delete answer" "$(awsq elasticache delete-replication-group --replication-group-id "$STACK" \
    --final-snapshot-identifier "$STACK-final" --query ReplicationGroup.Status)" deleting
  awsq elasticache wait replication-group-deleted --replication-group-id "$STACK"
  expect_eq "final snapshot" "$(awsq elasticache describe-snapshots --snapshot-name "$STACK-final" --query 'Snapshots[0].[ReplicationGroupId,SnapshotStatus]' | tr '\t' ' ')" \
    "$STACK available"
  awsq elasticache delete-user-group --user-group-id "$STACK" >/dev/null
  awsq elasticache delete-user --user-id "$STACK-app-dev" >/dev/null
  awsq elasticache delete-user --user-id "$STACK-default" >/dev/null
  awsq elasticache delete-cache-subnet-group --cache-subnet-group-name "$STACK"
  awsq ec2 delete-security-group --group-id "$(load sg)" >/dev/null
  expect_eq "users left" "$(awsq elasticache describe-users --query 'Users[].UserId')" default
}

start_server
create_network
create_users
create_cache
step "restart on the same state file and read everything back"
stop_server
start_server
all read_group read_users read_clusters read_tags
delete_wrong_order
delete_all
echo "PASS"
