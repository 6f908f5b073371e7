#!/usr/bin/env bash
# ECS tasks in the sandbox judged by the aws CLI (with --endpoint-url,
# against `kcstack sandbox serve` with zero delays): a service behind a
# target group and in a Cloud Map service runs two tasks; list-tasks,
# describe-tasks, describe-target-health and list-instances agree on their
# addresses; stop-task stops one and ECS starts another. Each aws command
# costs about a second, so reads run in parallel.
#
# Usage: KCSTACK=path/to/kcstack PORT=free-port WORK=tmp-dir awscli-tasks.sh
# Run by TestAWSCLITasks (pkg/sandbox/awscli_test.go).
set -euo pipefail

: "${KCSTACK:?set KCSTACK to the kcstack binary}" "${PORT:?set PORT to a free port}" "${WORK:?set WORK to a temporary directory}"
URL="http://127.0.0.1:$PORT"
STATE="$WORK/sandbox.json"
SERVE_ARGS=(--create-delay 0s --delete-delay 0s)

# shellcheck source=awscli-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/awscli-lib.sh"


create_network() {
  step "create a VPC, two subnets, a load balancer and its target group, a Cloud Map service, a cluster"
  save vpc "$(awsq ec2 create-vpc --cidr-block 10.80.0.0/16 --query Vpc.VpcId)"
  save subnet_a "$(awsq ec2 create-subnet --vpc-id "$(load vpc)" --cidr-block 10.80.1.0/24 --availability-zone eu-west-1a --query Subnet.SubnetId)"
  save subnet_b "$(awsq ec2 create-subnet --vpc-id "$(load vpc)" --cidr-block 10.80.2.0/24 --availability-zone eu-west-1b --query Subnet.SubnetId)"
}

create_load_balancer() {
  save lb "$(awsq elbv2 create-load-balancer --name tasks --subnets "$(load subnet_a)" "$(load subnet_b)" --query 'LoadBalancers[0].LoadBalancerArn')"
  save tg "$(awsq elbv2 create-target-group --name tasks --target-type ip --protocol HTTP --port 8080 --vpc-id "$(load vpc)" \
    --health-check-path /health/ready --health-check-port 9000 --query 'TargetGroups[0].TargetGroupArn')"
  awsq elbv2 create-listener --load-balancer-arn "$(load lb)" --protocol HTTP --port 80 \
    --default-actions "Type=forward,TargetGroupArn=$(load tg)" >/dev/null
}

create_registry() {
  local op ns
  op=$(awsq servicediscovery create-private-dns-namespace --name tasks.internal --vpc "$(load vpc)" --query OperationId)
  ns=$(awsq servicediscovery get-operation --operation-id "$op" --query 'Operation.Targets.NAMESPACE')
  save registry "$(awsq servicediscovery create-service --name jgroups --namespace-id "$ns" \
    --dns-config 'DnsRecords=[{Type=A,TTL=10}]' --health-check-custom-config FailureThreshold=1 --query 'Service.[Id,Arn]' | tr '\t' ' ')"
}

create_cluster() {
  awsq ecs create-cluster --cluster-name tasks >/dev/null
  awsq ecs register-task-definition --family tasks --network-mode awsvpc --requires-compatibilities FARGATE \
    --cpu 1024 --memory 2048 \
    --container-definitions '[{"name":"keycloak","image":"quay.io/keycloak/keycloak:26.4","portMappings":[{"containerPort":8080}]}]' >/dev/null
}

create_service() {
  step "create the ECS service with two tasks"
  local registry
  registry=$(load registry)
  awsq ecs create-service --cluster tasks --service-name keycloak --task-definition tasks --desired-count 2 --launch-type FARGATE \
    --network-configuration "awsvpcConfiguration={subnets=[$(load subnet_a),$(load subnet_b)]}" \
    --load-balancers "targetGroupArn=$(load tg),containerName=keycloak,containerPort=8080" \
    --service-registries "registryArn=${registry#* }" >/dev/null
}

# Each read saves its sorted addresses; the checks compare them.
read_tasks() {
  local arns
  arns=$(awsq ecs list-tasks --cluster tasks --service-name keycloak --query 'taskArns[]')
  save task_arns "$arns"
  # shellcheck disable=SC2086 # one argument per task ARN
  awsq ecs describe-tasks --cluster tasks --tasks $arns \
    --query 'tasks[].[lastStatus,desiredStatus,group,attachments[0].details[?name==`privateIPv4Address`].value|[0]]' >"$OUT/tasks"
  expect_eq "task states" "$(cut -f1-3 "$OUT/tasks" | sort -u | tr '\t' ' ')" "RUNNING RUNNING service:keycloak"
  save task_ips "$(cut -f4 "$OUT/tasks" | sort | tr '\n' ' ')"
}
read_targets() {
  awsq elbv2 describe-target-health --target-group-arn "$(load tg)" \
    --query 'TargetHealthDescriptions[].[Target.Id,Target.Port,TargetHealth.State,HealthCheckPort]' >"$OUT/targets"
  expect_eq "target states" "$(cut -f2-4 "$OUT/targets" | sort -u | tr '\t' ' ')" "8080 healthy 9000"
  save target_ips "$(cut -f1 "$OUT/targets" | sort | tr '\n' ' ')"
}
read_instances() {
  local registry
  registry=$(load registry)
  save instance_ips "$(awsq servicediscovery list-instances --service-id "${registry%% *}" \
    --query 'Instances[].Attributes.AWS_INSTANCE_IPV4' | tr '\t' '\n' | sort | tr '\n' ' ')"
}

check_addresses() {
  local ips
  ips=$(load task_ips)
  [[ $ips =~ ^10\.80\.1\.[0-9]+\ 10\.80\.2\.[0-9]+\ $ ]] || fail "task addresses '$ips', want one in each subnet"
  expect_eq "target addresses" "$(load target_ips)" "$ips"
  expect_eq "Cloud Map instance addresses" "$(load instance_ips)" "$ips"
}

stop_one() {
  step "stop a task: ECS starts another"
  local first
  first=$(load task_arns | cut -f1)
  expect_eq "stop-task" "$(awsq ecs stop-task --cluster tasks --task "$first" --reason "test stop" --query 'task.desiredStatus')" STOPPED
  expect_eq "stopped task" "$(awsq ecs describe-tasks --cluster tasks --tasks "$first" --query 'tasks[0].[lastStatus,stopCode,stoppedReason]' | tr '\t' ' ')" \
    "STOPPED UserInitiated test stop"
  expect_eq "stopped tasks listed" "$(awsq ecs list-tasks --cluster tasks --desired-status STOPPED --query 'taskArns[]')" "$first"
  local running
  running=$(awsq ecs list-tasks --cluster tasks --service-name keycloak --query 'taskArns[]' | tr '\t' '\n')
  [ "$(wc -l <<<"$running")" = 2 ] || fail "running tasks after stop-task: '$running', want 2"
  ! grep -qx "$first" <<<"$running" || fail "the stopped task $first is still listed as running"
}

start_server
create_network
all create_load_balancer create_registry create_cluster
create_service
step "read the tasks, their targets and their Cloud Map instances"
all read_tasks read_targets read_instances
check_addresses
stop_one
echo "PASS"
