#!/usr/bin/env bash
# The sandbox's signature check judged by the aws CLI (botocore's own
# SigV4 signer): `kcstack sandbox serve --credentials KEY:SECRET` answers
# the CLI signing with that pair, over each protocol (EC2 query, AWS query,
# JSON 1.1, REST-XML with a body), and refuses a wrong secret and an
# unknown access key with AWS's error codes.
#
# Usage: KCSTACK=path/to/kcstack PORT=free-port WORK=tmp-dir awscli-credentials.sh
# Run by TestAWSCLICredentials (pkg/sandbox/awscli_test.go).
set -euo pipefail

: "${KCSTACK:?set KCSTACK to the kcstack binary}" "${PORT:?set PORT to a free port}" "${WORK:?set WORK to a temporary directory}"
URL="http://127.0.0.1:$PORT"
STATE="$WORK/sandbox.json"

# shellcheck source=awscli-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/awscli-lib.sh"

SERVE_ARGS=(--credentials "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY")
start_server
if grep -q -- "$AWS_SECRET_ACCESS_KEY" "$WORK/serve.log"; then
  fail "kcstack sandbox serve printed the secret"
fi

right() {
  step "the right key pair: every protocol answers"
  awsq ec2 describe-vpcs >/dev/null
  awsq sts get-caller-identity >/dev/null
  awsq secretsmanager list-secrets >/dev/null
  awsq s3api create-bucket --bucket signed --create-bucket-configuration LocationConstraint=eu-west-1 >/dev/null
  echo "hello" >"$WORK/hello.txt"
  awsq s3 cp "$WORK/hello.txt" "s3://signed/dir/a key.txt" >/dev/null
  expect_eq "the object read back" "$(awsq s3 cp "s3://signed/dir/a key.txt" -)" hello
}

wrong_secret() {
  step "a wrong secret: refused as a bad signature"
  export AWS_SECRET_ACCESS_KEY=not-the-secret
  expect_error SignatureDoesNotMatch "ec2 describe-vpcs" ec2 describe-vpcs
  expect_error SignatureDoesNotMatch "sts get-caller-identity" sts get-caller-identity
  expect_error InvalidSignatureException "secretsmanager list-secrets" secretsmanager list-secrets
  expect_error SignatureDoesNotMatch "s3api list-objects-v2" s3api list-objects-v2 --bucket signed
}

unknown_key() {
  step "an unknown access key: refused"
  export AWS_ACCESS_KEY_ID=AKIDSOMEONEELSE
  expect_error AuthFailure "ec2 describe-vpcs" ec2 describe-vpcs
  expect_error InvalidClientTokenId "sts get-caller-identity" sts get-caller-identity
  expect_error UnrecognizedClientException "secretsmanager list-secrets" secretsmanager list-secrets
  expect_error InvalidAccessKeyId "s3api list-objects-v2" s3api list-objects-v2 --bucket signed
}

right
all wrong_secret unknown_key
echo "PASS"
