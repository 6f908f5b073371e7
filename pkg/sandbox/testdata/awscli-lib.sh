# Shared by the awscli*.sh scripts (sourced): the aws CLI's
# environment, the sandbox server's start and stop, and the checks.
# Needs KCSTACK, PORT, WORK, URL and STATE set by the sourcing script.

export AWS_ACCESS_KEY_ID=AKIDAWSCLITEST AWS_SECRET_ACCESS_KEY=awscli-test-secret
export AWS_DEFAULT_REGION=eu-west-1 AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null
export AWS_PAGER="" AWS_RETRY_MODE=standard AWS_MAX_ATTEMPTS=3
unset AWS_PROFILE AWS_ENDPOINT_URL AWS_SESSION_TOKEN

# OUT holds the values the steps pass on: save NAME VALUE, load NAME
# (checks that run in the background cannot set shell variables).
OUT="$WORK/out"
mkdir -p "$OUT"
save() { printf '%s' "$2" >"$OUT/$1"; }
load() { cat "$OUT/$1"; }

step() { echo "--- $*"; }
fail() {
  echo "FAIL: $*" >&2
  exit 1
}

server_pid=""
stop_server() {
  [ -n "$server_pid" ] || return 0
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}
on_exit() {
  local rc=$?
  stop_server
  if [ "$rc" -ne 0 ] && [ -f "$WORK/serve.log" ]; then
    echo "--- kcstack sandbox serve log:" >&2
    cat "$WORK/serve.log" >&2
  fi
}
trap on_exit EXIT

# start_server starts the sandbox with SERVE_ARGS (an array, may be unset)
# added to its flags.
start_server() {
  "$KCSTACK" sandbox serve --listen "127.0.0.1:$PORT" --state "$STATE" \
    --create-delay 1s --delete-delay 300ms ${SERVE_ARGS[@]+"${SERVE_ARGS[@]}"} >>"$WORK/serve.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 100); do
    curl -fsS "$URL/_sandbox/health" >/dev/null 2>&1 && return 0
    kill -0 "$server_pid" 2>/dev/null || fail "kcstack sandbox serve exited at start (see its log below)"
    sleep 0.1
  done
  fail "kcstack sandbox serve did not answer on $URL within 10s"
}

# awsq runs the aws CLI against the sandbox with text output.
awsq() { aws --endpoint-url "$URL" --output text "$@"; }

# expect_eq WHAT GOT WANT
expect_eq() {
  [ "$2" = "$3" ] || fail "$1: got '$2', want '$3'"
}

# expect_error CODE WHAT aws-args...: the call must fail with AWS's error CODE.
expect_error() {
  local code=$1 what=$2 out
  shift 2
  if out=$(awsq "$@" 2>&1); then
    fail "$what: succeeded, want error $code (output: $out)"
  fi
  case "$out" in
  *"($code)"*) echo "    $what: $code as expected" ;;
  *) fail "$what: want error $code, got: $out" ;;
  esac
}

# all FN...: runs the functions in the background (each is a read-only
# check, most of the time goes into starting the aws CLI) and fails when
# any of them fails.
all() {
  local pids=() fn p rc=0
  for fn in "$@"; do
    "$fn" &
    pids+=($!)
  done
  for p in "${pids[@]}"; do
    wait "$p" || rc=1
  done
  [ "$rc" = 0 ] || fail "a check above failed"
}

