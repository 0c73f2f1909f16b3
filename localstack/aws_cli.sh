#!/usr/bin/env bash
# aws_cli.sh — a fork server for the pinned AWS CLI, so lab solutions run fast.
#
#   bash localstack/aws_cli.sh start    # start the server; print the two exports to use it
#   bash localstack/aws_cli.sh status   # "running" (exit 0) or "not running" (exit 3)
#   bash localstack/aws_cli.sh stop
#
# Each `aws` call of a solution script costs ~0.6 s of CPU in a new Python, nearly all
# of it importing the CLI. The server (aws_cli/server.py) imports the CLI of the moto
# venv once and forks a child per call that runs the real CLI with the call's own
# arguments, environment, working directory and standard streams. To use it, put
# run/bin/ (where `start` writes the `aws` shim, aws_cli/shim.py) first on PATH and
# point LABCHECK_AWS_CLI_SOCKET at the socket; `start` prints both. The server listens on a Unix socket only and stops itself after
# AWS_CLI_IDLE_SECONDS (default 1800) without a call.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/_common.sh"

VENV="$HARNESS_DIR/.venv-moto"
SERVER="$HARNESS_DIR/aws_cli/server.py"
SOCKET="$RUN_DIR/aws-cli.sock"
PID_FILE="$RUN_DIR/aws-cli.pid"
LOG_FILE="$RUN_DIR/aws-cli.log"
PATTERN="aws_cli/server.py $SOCKET"
BIN_DIR="$RUN_DIR/bin"
IDLE_SECONDS="${AWS_CLI_IDLE_SECONDS:-1800}"

cmd_start() {
  [[ -x $VENV/bin/aws ]] || bash "$HARNESS_DIR/moto.sh" install
  mkdir -p "$RUN_DIR" "$BIN_DIR"
  lock 9 "$RUN_DIR/aws-cli.lock"
  if ! pid_alive "$PID_FILE" "$PATTERN"; then
    local started pid i
    started=$(now_ms)
    rm -f "$PID_FILE" "$SOCKET"
    # Started without the caller's AWS_* settings: each call brings its own.
    nohup env -u AWS_DATA_PATH "$VENV/bin/python" "$SERVER" "$SOCKET" "$IDLE_SECONDS" \
      </dev/null >>"$LOG_FILE" 2>&1 9>&- &
    pid=$!
    echo "$pid" >"$PID_FILE"
    for (( i = 0; i < 120; i++ )); do
      [[ -S $SOCKET ]] && break
      kill -0 "$pid" 2>/dev/null || { tail -n 20 "$LOG_FILE" >&2; die "the AWS CLI server exited"; }
      sleep 0.25
    done
    [[ -S $SOCKET ]] || { cmd_stop >/dev/null; die "the AWS CLI server did not open $SOCKET within 30 s"; }
    say "AWS CLI server started (pid $pid) in $(( $(now_ms) - started )) ms; log: $LOG_FILE" >&2
  fi
  { printf '#!%s -IS\n' "$VENV/bin/python"; cat "$HARNESS_DIR/aws_cli/shim.py"; } >"$BIN_DIR/aws.new"
  chmod +x "$BIN_DIR/aws.new"
  mv "$BIN_DIR/aws.new" "$BIN_DIR/aws"
  say "export PATH=\"$BIN_DIR:\$PATH\" LABCHECK_AWS_CLI_SOCKET=\"$SOCKET\""
}

cmd_stop() {
  lock 9 "$RUN_DIR/aws-cli.lock"
  stop_pid "$PID_FILE" "$PATTERN" "the AWS CLI server"
  rm -f "$SOCKET"
}

cmd_status() {
  if pid_alive "$PID_FILE" "$PATTERN" && [[ -S $SOCKET ]]; then
    say "running (pid $(<"$PID_FILE")) on $SOCKET"
  else
    say "not running"
    return 3
  fi
}

case "${1:-}" in
  start)  cmd_start ;;
  stop)   cmd_stop ;;
  status) cmd_status ;;
  *) say "usage: $(basename "$0") start|stop|status" >&2; exit 2 ;;
esac
