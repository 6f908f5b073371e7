#!/usr/bin/env bash
# The ECS Fargate part of the sandbox judged by the aws CLI (with
# --endpoint-url, against `kcstack sandbox serve`): a create, a describe and
# a delete in each service issue 6 added — CloudWatch Logs, IAM, ECS, ELBv2,
# Cloud Map and S3 — and one refused delete per wire protocol (JSON, query,
# REST-XML). Each aws command costs about a second of CPU (python
# starting), so the script makes as few as it can and runs independent ones
# in parallel; the Go tests of each service cover the rest.
#
# Usage: KCSTACK=path/to/kcstack PORT=free-port WORK=tmp-dir awscli-ecs.sh
# Run by TestAWSCLIECS (pkg/sandbox/awscli_test.go).
set -euo pipefail

: "${KCSTACK:?set KCSTACK to the kcstack binary}" "${PORT:?set PORT to a free port}" "${WORK:?set WORK to a temporary directory}"
URL="http://127.0.0.1:$PORT"
STATE="$WORK/sandbox.json"
STACK=awscli-ecs

# shellcheck source=awscli-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/awscli-lib.sh"

TRUST='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole"}]}'
EXEC_POLICY=arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy
CERT=arn:aws:acm:eu-west-1:123456789012:certificate/0f2a1b3c-4d5e-6f70-8192-a3b4c5d6e7f8

create_network() {
  step "create a VPC and two subnets in two zones"
  local vpc
  vpc=$(awsq ec2 create-vpc --cidr-block 10.50.0.0/16 --query Vpc.VpcId)
  save vpc "$vpc"
  all subnet_a subnet_b
}
subnet_a() { save subnet_a "$(awsq ec2 create-subnet --vpc-id "$(load vpc)" --cidr-block 10.50.1.0/24 --availability-zone eu-west-1a --query Subnet.SubnetId)"; }
subnet_b() { save subnet_b "$(awsq ec2 create-subnet --vpc-id "$(load vpc)" --cidr-block 10.50.2.0/24 --availability-zone eu-west-1b --query Subnet.SubnetId)"; }

create_logs() {
  awsq logs create-log-group --log-group-name "/kcstack/$STACK" --tags "kcstack:stack=$STACK"
}

create_role() {
  awsq iam create-role --role-name "$STACK-exec" --assume-role-policy-document "$TRUST" \
    --tags "Key=kcstack:stack,Value=$STACK" >/dev/null
  awsq iam attach-role-policy --role-name "$STACK-exec" --policy-arn "$EXEC_POLICY"
}

create_bucket() {
  awsq s3api create-bucket --bucket "$STACK-ping" --create-bucket-configuration LocationConstraint=eu-west-1 >/dev/null
  echo "node-1 10.50.1.10:7800" >"$OUT/node.list"
  awsq s3api put-object --bucket "$STACK-ping" --key jgroups/node-1.list --body "$OUT/node.list" >/dev/null
}

create_namespace() {
  save ns_op "$(awsq servicediscovery create-private-dns-namespace --name "$STACK.internal" --vpc "$(load vpc)" \
    --tags "Key=kcstack:stack,Value=$STACK" --query OperationId)"
}

create_load_balancer() {
  save lb "$(awsq elbv2 create-load-balancer --name "$STACK" --subnets "$(load subnet_a)" "$(load subnet_b)" \
    --tags "Key=kcstack:stack,Value=$STACK" --query 'LoadBalancers[0].LoadBalancerArn')"
  save tg "$(awsq elbv2 create-target-group --name "$STACK" --target-type ip --protocol HTTP --port 8080 --vpc-id "$(load vpc)" \
    --health-check-path /health/ready --health-check-port 9000 --query 'TargetGroups[0].TargetGroupArn')"
  awsq elbv2 create-listener --load-balancer-arn "$(load lb)" --protocol HTTPS --port 443 --certificates "CertificateArn=$CERT" \
    --default-actions "Type=forward,TargetGroupArn=$(load tg)" >/dev/null
}

create_cluster() {
  awsq ecs create-cluster --cluster-name "$STACK" --tags "key=kcstack:stack,value=$STACK" >/dev/null
  awsq ecs register-task-definition --family "$STACK" --network-mode awsvpc --requires-compatibilities FARGATE \
    --cpu 1024 --memory 2048 --execution-role-arn "arn:aws:iam::123456789012:role/$STACK-exec" \
    --container-definitions '[{"name":"keycloak","image":"quay.io/keycloak/keycloak:26.4","portMappings":[{"containerPort":8080}],"secrets":[{"name":"KC_DB_PASSWORD","valueFrom":"arn:aws:secretsmanager:eu-west-1:123456789012:secret:db"}]}]' >/dev/null
}

create_service() {
  step "create the ECS service behind the load balancer"
  expect_eq "service status at creation" "$(awsq ecs create-service --cluster "$STACK" --service-name keycloak \
    --task-definition "$STACK" --desired-count 2 --launch-type FARGATE --tags "key=kcstack:stack,value=$STACK" \
    --network-configuration "awsvpcConfiguration={subnets=[$(load subnet_a),$(load subnet_b)],assignPublicIp=DISABLED}" \
    --load-balancers "targetGroupArn=$(load tg),containerName=keycloak,containerPort=8080" \
    --deployment-configuration 'deploymentCircuitBreaker={enable=true,rollback=true}' --query service.status)" ACTIVE
}

read_logs() {
  expect_eq "log group" "$(awsq logs describe-log-groups --log-group-name-prefix /kcstack/ --query 'logGroups[].logGroupName')" "/kcstack/$STACK"
}

read_role() {
  expect_eq "role trust principal" "$(awsq iam get-role --role-name "$STACK-exec" \
    --query 'Role.AssumeRolePolicyDocument.Statement[0].Principal.Service')" "ecs-tasks.amazonaws.com"
}

read_bucket() {
  expect_eq "objects" "$(awsq s3api list-objects-v2 --bucket "$STACK-ping" --prefix jgroups/ --query 'Contents[].Key')" "jgroups/node-1.list"
}

read_namespace() {
  local ns
  ns=$(awsq servicediscovery get-operation --operation-id "$(load ns_op)" --query 'Operation.[Status,Targets.NAMESPACE]' | tr '\t' ' ')
  [[ $ns == "SUCCESS ns-"* ]] || fail "namespace operation: got '$ns', want SUCCESS ns-..."
  save ns "${ns#SUCCESS }"
  expect_eq "namespace" "$(awsq servicediscovery get-namespace --id "$(load ns)" --query 'Namespace.[Name,Type]' | tr '\t' ' ')" \
    "$STACK.internal DNS_PRIVATE"
}

read_load_balancer() {
  expect_eq "target group health check" "$(awsq elbv2 describe-target-groups --load-balancer-arn "$(load lb)" \
    --query 'TargetGroups[0].[HealthCheckPath,HealthCheckPort]' | tr '\t' ' ')" "/health/ready 9000"
}

read_service() {
  expect_eq "service (status, running, desired, tag)" "$(awsq ecs describe-services --cluster "$STACK" --services keycloak \
    --include TAGS --query 'services[0].[status,runningCount,desiredCount,tags[0].value]' | tr '\t' ' ')" "ACTIVE 2 2 $STACK"
}

read_interfaces() {
  expect_eq "interfaces in subnet a (requester, type)" "$(awsq ec2 describe-network-interfaces \
    --filters "Name=subnet-id,Values=$(load subnet_a)" --query 'sort_by(NetworkInterfaces,&RequesterId)[].[RequesterId,InterfaceType]' | tr '\t\n' '  ')" \
    "amazon-ecs interface amazon-elb interface "
}

refuse_role() {
  expect_error DeleteConflict "delete-role with an attached policy (query)" iam delete-role --role-name "$STACK-exec"
}
refuse_cluster() {
  expect_error ClusterContainsServicesException "delete-cluster with a service (JSON)" ecs delete-cluster --cluster "$STACK"
}
refuse_bucket() {
  expect_error BucketNotEmpty "delete-bucket with an object (REST-XML)" s3api delete-bucket --bucket "$STACK-ping"
}

delete_compute() {
  awsq ecs delete-service --cluster "$STACK" --service keycloak --force >/dev/null
  awsq elbv2 delete-load-balancer --load-balancer-arn "$(load lb)"
  awsq elbv2 delete-target-group --target-group-arn "$(load tg)"
  awsq ecs delete-cluster --cluster "$STACK" >/dev/null # the service drained during the calls above (300 ms)
}

delete_namespace() {
  awsq servicediscovery delete-namespace --id "$(load ns)" >/dev/null
}

delete_role() {
  awsq iam detach-role-policy --role-name "$STACK-exec" --policy-arn "$EXEC_POLICY"
  awsq iam delete-role --role-name "$STACK-exec"
}

delete_bucket() {
  awsq s3api delete-object --bucket "$STACK-ping" --key jgroups/node-1.list
  awsq s3api delete-bucket --bucket "$STACK-ping"
}

delete_logs() {
  awsq logs delete-log-group --log-group-name "/kcstack/$STACK"
}

gone_cluster() {
  expect_eq "cluster status" "$(awsq ecs describe-clusters --clusters "$STACK" --query 'clusters[0].status')" INACTIVE
}
gone_role() {
  expect_error NoSuchEntity "get the deleted role" iam get-role --role-name "$STACK-exec"
}
gone_bucket() {
  expect_error 404 "head the deleted bucket" s3api head-bucket --bucket "$STACK-ping"
}

start_server
create_network
step "create a log group, a role, a bucket with an object, a Cloud Map namespace, a load balancer, a cluster and a task definition"
all create_logs create_role create_bucket create_namespace create_load_balancer create_cluster
create_service
sleep 1.1 # past the 1 s --create-delay: the namespace operation succeeds, the service reaches its desired count
step "read everything back"
all read_logs read_role read_bucket read_namespace read_load_balancer read_service read_interfaces
step "deletes in the wrong order: AWS's error codes"
all refuse_role refuse_cluster refuse_bucket
step "delete in the right order"
all delete_compute delete_namespace delete_role delete_bucket delete_logs
step "nothing is left"
all gone_cluster gone_role gone_bucket
echo "PASS"
