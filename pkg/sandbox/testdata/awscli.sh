#!/usr/bin/env bash
# The sandbox judged by a client nobody here wrote: the aws CLI, with
# --endpoint-url, against `kcstack sandbox serve`. It creates the Aurora +
# peering network (two VPCs, two subnets in two zones, a security group, a
# peering accepted to active, a DB subnet group, an Aurora PostgreSQL
# cluster with a managed master password and two instances), restarts the
# server on the same --state file, reads everything back (tag filters,
# waiters), deletes in the wrong order (AWS's error codes), then in the right
# order, and checks that nothing is left, also after another restart. Each
# aws command costs about a second of CPU (python starting), so the script
# makes as few as it can; the Go tests cover the other error cases.
#
# Usage: KCSTACK=path/to/kcstack PORT=free-port WORK=tmp-dir [RDS=1] awscli.sh
# RDS=0 leaves out the RDS part (EC2 alone).
# Run by TestAWSCLI (pkg/sandbox/awscli_test.go).
set -euo pipefail

: "${KCSTACK:?set KCSTACK to the kcstack binary}" "${PORT:?set PORT to a free port}" "${WORK:?set WORK to a temporary directory}"
RDS=${RDS:-1}
URL="http://127.0.0.1:$PORT"
STATE="$WORK/sandbox.json"
STACK=awscli-test

# shellcheck source=awscli-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/awscli-lib.sh"

TAGS="Key=kcstack:stack,Value=$STACK"

create_network() {
  step "create two VPCs, two subnets in two zones, a security group"
  VPC=$(awsq ec2 create-vpc --cidr-block 10.20.0.0/16 \
    --tag-specifications "ResourceType=vpc,Tags=[{$TAGS},{Key=Name,Value=$STACK-db}]" --query Vpc.VpcId)
  PEER_VPC=$(awsq ec2 create-vpc --cidr-block 10.21.0.0/16 \
    --tag-specifications "ResourceType=vpc,Tags=[{$TAGS},{Key=Name,Value=$STACK-compute}]" --query Vpc.VpcId)
  [[ $VPC =~ ^vpc-[0-9a-f]{17}$ ]] || fail "create-vpc returned id '$VPC', want vpc-<17 hex digits>"
  SUBNET_A=$(awsq ec2 create-subnet --vpc-id "$VPC" --cidr-block 10.20.1.0/24 --availability-zone eu-west-1a \
    --tag-specifications "ResourceType=subnet,Tags=[{$TAGS}]" --query Subnet.SubnetId)
  SUBNET_B=$(awsq ec2 create-subnet --vpc-id "$VPC" --cidr-block 10.20.2.0/24 --availability-zone eu-west-1b \
    --tag-specifications "ResourceType=subnet,Tags=[{$TAGS}]" --query Subnet.SubnetId)
  SG=$(awsq ec2 create-security-group --vpc-id "$VPC" --group-name "$STACK-db" --description "Aurora from Keycloak" \
    --tag-specifications "ResourceType=security-group,Tags=[{$TAGS}]" --query GroupId)
  awsq ec2 authorize-security-group-ingress --group-id "$SG" \
    --ip-permissions 'IpProtocol=tcp,FromPort=5432,ToPort=5432,IpRanges=[{CidrIp=10.21.0.0/16}]' >/dev/null

  step "peer the two VPCs and accept"
  PCX=$(awsq ec2 create-vpc-peering-connection --vpc-id "$PEER_VPC" --peer-vpc-id "$VPC" \
    --tag-specifications "ResourceType=vpc-peering-connection,Tags=[{$TAGS}]" --query VpcPeeringConnection.VpcPeeringConnectionId)
  awsq ec2 accept-vpc-peering-connection --vpc-peering-connection-id "$PCX" >/dev/null
}

create_database() {
  step "create a DB subnet group, an Aurora PostgreSQL cluster with a managed password, two instances"
  awsq rds create-db-subnet-group --db-subnet-group-name "$STACK-db" --db-subnet-group-description "Aurora subnets" \
    --subnet-ids "$SUBNET_A" "$SUBNET_B" --tags "$TAGS" >/dev/null
  expect_eq "cluster status in the create-db-cluster answer" "$(awsq rds create-db-cluster --db-cluster-identifier "$STACK-db" \
    --engine aurora-postgresql --engine-version 16.6 --master-username keycloak --manage-master-user-password \
    --db-subnet-group-name "$STACK-db" --vpc-security-group-ids "$SG" --tags "$TAGS" --query DBCluster.Status)" creating
  for i in 1 2; do
    awsq rds create-db-instance --db-instance-identifier "$STACK-db-$i" --db-cluster-identifier "$STACK-db" \
      --engine aurora-postgresql --db-instance-class db.r6g.large --tags "$TAGS" >/dev/null
  done
}

# wait_database runs the CLI's own waiters. They poll at once, then every
# 30 s (botocore's waiter config, not settable from the command line): sleep
# past the 1 s --create-delay first so the first poll sees "available".
wait_database() {
  step "aws rds wait db-cluster-available / db-instance-available"
  sleep 1.2
  awsq rds wait db-cluster-available --db-cluster-identifier "$STACK-db"
  awsq rds wait db-instance-available --filters "Name=db-cluster-id,Values=$STACK-db"
}

read_network() {
  step "read the network back (tag filters)"
  all read_vpcs read_subnets read_group read_peering
}

read_vpcs() {
  expect_eq "VPCs tagged kcstack:stack=$STACK" \
    "$(awsq ec2 describe-vpcs --filters "Name=tag:kcstack:stack,Values=$STACK" --query 'sort(Vpcs[].VpcId)' | tr '\t' ' ')" \
    "$(printf '%s\n' "$VPC" "$PEER_VPC" | sort | tr '\n' ' ' | sed 's/ $//')"
}

read_subnets() {
  expect_eq "zones of the subnets tagged kcstack:stack=$STACK in $VPC" \
    "$(awsq ec2 describe-subnets --filters "Name=vpc-id,Values=$VPC" "Name=tag-key,Values=kcstack:stack" \
      --query 'sort(Subnets[].AvailabilityZone)' | tr '\t' ' ')" "eu-west-1a eu-west-1b"
}

read_group() {
  expect_eq "security group by group-name" \
    "$(awsq ec2 describe-security-groups --filters "Name=vpc-id,Values=$VPC" "Name=group-name,Values=$STACK-db" \
      --query 'SecurityGroups[].[GroupId,IpPermissions[0].FromPort]' | tr '\t' ' ')" "$SG 5432"
}

read_peering() {
  expect_eq "peering status" \
    "$(awsq ec2 describe-vpc-peering-connections --filters "Name=tag:kcstack:stack,Values=$STACK" "Name=status-code,Values=active" \
      --query 'VpcPeeringConnections[].[VpcPeeringConnectionId,RequesterVpcInfo.VpcId,AccepterVpcInfo.VpcId]' | tr '\t' ' ')" \
    "$PCX $PEER_VPC $VPC"
}

read_database() {
  step "read the database back"
  local status engine group sg members secret_status endpoint secret_arn arn
  read -r status engine group sg members secret_status endpoint secret_arn arn < <(awsq rds describe-db-clusters \
    --db-cluster-identifier "$STACK-db" --query 'DBClusters[0].[Status,Engine,DBSubnetGroup,VpcSecurityGroups[0].VpcSecurityGroupId,length(DBClusterMembers),MasterUserSecret.SecretStatus,Endpoint,MasterUserSecret.SecretArn,DBClusterArn]')
  expect_eq "cluster (status engine subnet-group security-group members secret-status)" \
    "$status $engine $group $sg $members $secret_status" "available aurora-postgresql $STACK-db $SG 2 active"
  [[ $endpoint == "$STACK-db.cluster-"*".eu-west-1.rds.amazonaws.com" ]] ||
    fail "writer endpoint '$endpoint' is not $STACK-db.cluster-<hash>.eu-west-1.rds.amazonaws.com"
  SECRET_ARN=$secret_arn CLUSTER_ARN=$arn all read_secret read_instances read_cluster_tags
}

read_secret() {
  awsq secretsmanager describe-secret --secret-id "$SECRET_ARN" --query ARN >/dev/null ||
    fail "the cluster's MasterUserSecret $SECRET_ARN is not in Secrets Manager"
}

read_instances() {
  expect_eq "instances of the cluster" \
    "$(awsq rds describe-db-instances --filters "Name=db-cluster-id,Values=$STACK-db" \
      --query 'sort_by(DBInstances,&DBInstanceIdentifier)[].[DBInstanceIdentifier,DBInstanceStatus]' | tr '\t\n' '  ' | sed 's/ $//')" \
    "$STACK-db-1 available $STACK-db-2 available"
}

read_cluster_tags() {
  expect_eq "tags of the cluster" \
    "$(awsq rds list-tags-for-resource --resource-name "$CLUSTER_ARN" --query "TagList[?Key=='kcstack:stack'].Value")" "$STACK"
}

delete_wrong_order() {
  step "delete in the wrong order: AWS's error codes"
  expect_error DependencyViolation "delete-vpc while it has subnets" ec2 delete-vpc --vpc-id "$VPC"
  if [ "$RDS" = 1 ]; then
    expect_error InvalidDBClusterStateFault "delete-db-cluster while it has instances" \
      rds delete-db-cluster --db-cluster-identifier "$STACK-db" --skip-final-snapshot
  fi
}

delete_database() {
  step "delete the database in the right order"
  for i in 1 2; do
    awsq rds delete-db-instance --db-instance-identifier "$STACK-db-$i" >/dev/null
  done
  sleep 0.5 # past the 300 ms --delete-delay, so the waiter's first poll sees them gone
  awsq rds wait db-instance-deleted --filters "Name=db-cluster-id,Values=$STACK-db"
  awsq rds delete-db-cluster --db-cluster-identifier "$STACK-db" --skip-final-snapshot >/dev/null
  sleep 0.5
  awsq rds wait db-cluster-deleted --db-cluster-identifier "$STACK-db"
  awsq rds delete-db-subnet-group --db-subnet-group-name "$STACK-db"
}

delete_network() {
  step "delete the network in the right order"
  awsq ec2 delete-vpc-peering-connection --vpc-peering-connection-id "$PCX" >/dev/null
  awsq ec2 delete-security-group --group-id "$SG" >/dev/null
  awsq ec2 delete-subnet --subnet-id "$SUBNET_A"
  awsq ec2 delete-subnet --subnet-id "$SUBNET_B"
  awsq ec2 delete-vpc --vpc-id "$VPC"
  awsq ec2 delete-vpc --vpc-id "$PEER_VPC"
}

check_all_gone() {
  step "nothing is left"
  local checks=(gone_vpcs gone_subnets gone_group gone_peering)
  [ "$RDS" = 1 ] && checks+=(gone_cluster gone_subnet_group)
  all "${checks[@]}"
}

gone_vpcs() {
  expect_eq "VPCs tagged kcstack:stack=$STACK" \
    "$(awsq ec2 describe-vpcs --filters "Name=tag:kcstack:stack,Values=$STACK" --query 'Vpcs[].VpcId')" ""
}

gone_subnets() {
  expect_eq "subnets tagged kcstack:stack=$STACK" \
    "$(awsq ec2 describe-subnets --filters "Name=tag:kcstack:stack,Values=$STACK" --query 'Subnets[].SubnetId')" ""
}

gone_group() {
  expect_error InvalidGroup.NotFound "describe the deleted security group" ec2 describe-security-groups --group-ids "$SG"
}

gone_peering() {
  expect_eq "peering after delete" \
    "$(awsq ec2 describe-vpc-peering-connections --vpc-peering-connection-ids "$PCX" --query 'VpcPeeringConnections[].Status.Code')" \
    "deleted"
}

gone_cluster() {
  expect_error DBClusterNotFoundFault "describe the deleted cluster" rds describe-db-clusters --db-cluster-identifier "$STACK-db"
}

gone_subnet_group() {
  expect_error DBSubnetGroupNotFoundFault "describe the deleted subnet group" \
    rds describe-db-subnet-groups --db-subnet-group-name "$STACK-db"
}

# restart stops kcstack sandbox serve and starts it again on the same
# --state file: the reads that follow check that every resource is still
# there, with the ids and states it had.
restart() {
  step "restart kcstack sandbox serve with the same --state"
  stop_server
  start_server
}

start_server
create_network
if [ "$RDS" = 1 ]; then
  create_database
  wait_database
fi
restart
read_network
if [ "$RDS" = 1 ]; then
  read_database
fi
delete_wrong_order
if [ "$RDS" = 1 ]; then
  delete_database
fi
delete_network
check_all_gone
step "restart once more: still nothing"
stop_server
start_server
expect_eq "VPCs after the last restart" "$(awsq ec2 describe-vpcs --vpc-ids "$VPC" "$PEER_VPC" --query 'Vpcs[].VpcId' 2>&1 | grep -o 'InvalidVpcID.NotFound')" InvalidVpcID.NotFound
echo "PASS"
