#!/usr/bin/env bash
# localstack.sh — LocalStack without Docker: the Apache-licensed runtime
# localstack-core 2026.3.0 as a plain Python 3.13 process on 127.0.0.1.
#
#   bash localstack/localstack.sh install   # venv localstack/.venv-localstack
#   bash localstack/localstack.sh start     # install if needed, start, wait for health
#   bash localstack/localstack.sh status    # "running" (exit 0) or "not running" (exit 3)
#   bash localstack/localstack.sh reset     # forget all state (a restart, see below)
#   bash localstack/localstack.sh stop
#
# Environment:
#   LOCALSTACK_PORT=4566           port on 127.0.0.1 (HTTP and HTTPS on the same port);
#                                  files run/localstack-<port>.{pid,log} and the
#                                  runtime's filesystem run/localstack-<port>/
#   LOCALSTACK_START_TIMEOUT=90    seconds start waits for /_localstack/health
#   LOCALSTACK_PYTHON=python3.13   interpreter for the venv (default: pyenv's 3.13.0)
#
# Reset: the community runtime has no state-reset endpoint (POST /_localstack/state/reset
# answers 404; it is a Pro feature). State lives in memory only (PERSISTENCE is off),
# so `reset` stops and starts the server: about two seconds.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/_common.sh"

VENV="$HARNESS_DIR/.venv-localstack"
REQUIREMENTS="$HARNESS_DIR/requirements-localstack.txt"
STAMP="$VENV/.labcheck-requirements.sha256"
PORT="${LOCALSTACK_PORT:-4566}"
[[ $PORT =~ ^[0-9]+$ ]] || die "LOCALSTACK_PORT must be a port number, not '$PORT'"
ENDPOINT="http://$HOST:$PORT"
PID_FILE="$RUN_DIR/localstack-$PORT.pid"
LOG_FILE="$RUN_DIR/localstack-$PORT.log"
FS_ROOT="$RUN_DIR/localstack-$PORT"
START_TIMEOUT="${LOCALSTACK_START_TIMEOUT:-90}"
PATTERN="localstack.runtime.main"

installed() {
  [[ -x $VENV/bin/python && -f $STAMP ]] &&
    [[ $(<"$STAMP") == "$(requirements_stamp "$REQUIREMENTS")" ]]
}

# The interpreter: LOCALSTACK_PYTHON, else python3.13, else pyenv's 3.13.0 shim.
python313() {
  if [[ -n ${LOCALSTACK_PYTHON:-} ]]; then
    echo "$LOCALSTACK_PYTHON"
  elif command -v python3.13 >/dev/null 2>&1 && python3.13 --version >/dev/null 2>&1; then
    echo python3.13
  else
    echo "env PYENV_VERSION=3.13.0 python3"
  fi
}

cmd_install() {
  lock 8 "$RUN_DIR/localstack-install.lock"   # one install at a time
  if installed; then
    say "localstack already installed at the pinned versions ($VENV)"
    return 0
  fi
  local python started version
  python=$(python313)
  version=$($python --version 2>&1) || die "no Python 3.13 ($python); set LOCALSTACK_PYTHON"
  [[ $version == "Python 3.13"* ]] || die "$python is $version, LocalStack needs 3.13"
  started=$(now_ms)
  say "installing localstack-core into $VENV with $version ..."
  # Into the existing venv if there is one (pip moves every pin to its version), so a
  # server already running from it is not pulled out from under its feet.
  [[ -x $VENV/bin/python ]] || $python -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$REQUIREMENTS"
  requirements_stamp "$REQUIREMENTS" >"$STAMP"
  say "installed localstack-core $("$VENV/bin/python" -c \
    'import importlib.metadata as m; print(m.version("localstack-core"))')" \
    "in $(( ($(now_ms) - started) / 1000 )) s"
}

cmd_start() {
  installed || cmd_install
  lock 9 "$RUN_DIR/localstack-$PORT.lock"     # one start or stop per port at a time
  mkdir -p "$FS_ROOT"
  if pid_alive "$PID_FILE" "$PATTERN"; then
    say "localstack is already running (pid $(<"$PID_FILE")) at $ENDPOINT"
    return 0
  fi
  rm -f "$PID_FILE"
  case "$(http_code "$ENDPOINT/_localstack/health")" in
    200) say "a LocalStack not started by this script already answers at $ENDPOINT; using it"
         return 0 ;;
    000) ;;
    *)   die "port $PORT is taken by something that is not LocalStack" ;;
  esac

  local started
  started=$(now_ms)
  printf '\n=== %s start on %s\n' "$(date -u +%FT%TZ)" "$ENDPOINT" >>"$LOG_FILE"
  # GATEWAY_SERVER=hypercorn: the gateway measured to work outside Docker (design.md).
  # OVERRIDE_IN_DOCKER=0: we are not in the container, whatever heuristics say.
  # DNS_ADDRESS=0: no DNS server of its own (it would want port 53).
  # DISABLE_EVENTS=1: no analytics calls home. SKIP_SSL_CERT_DOWNLOAD=1: use a
  # self-signed certificate instead of fetching one (there is no internet here).
  # LOCALSTACK_HOST: URLs it hands out (queue URLs, ...) point back at this endpoint.
  # FILESYSTEM_ROOT: its cache/tmp/state folders, under run/ instead of the venv.
  GATEWAY_SERVER=hypercorn \
  GATEWAY_LISTEN="$HOST:$PORT" \
  LOCALSTACK_HOST="$HOST:$PORT" \
  OVERRIDE_IN_DOCKER=0 \
  DNS_ADDRESS=0 \
  DISABLE_EVENTS=1 \
  SKIP_SSL_CERT_DOWNLOAD=1 \
  FILESYSTEM_ROOT="$FS_ROOT" \
    nohup "$VENV/bin/python" -m localstack.runtime.main </dev/null >>"$LOG_FILE" 2>&1 8>&- 9>&- &
  echo $! >"$PID_FILE"

  if ! wait_until_up "$ENDPOINT/_localstack/health" "$PID_FILE" "$PATTERN" "$START_TIMEOUT" "$LOG_FILE"; then
    cmd_stop >/dev/null
    die "localstack did not start on $ENDPOINT"
  fi
  say "localstack started (pid $(<"$PID_FILE")) in $(( $(now_ms) - started )) ms; log: $LOG_FILE"
  say "$ENDPOINT"
}

cmd_stop() {
  lock 9 "$RUN_DIR/localstack-$PORT.lock"
  # LocalStack exits within ~3 s of TERM when idle, but once it has served requests
  # its shutdown often hangs (asyncio waits for the gateway's worker threads, for up
  # to 5 minutes). Its state is in memory only, so after 6 s it is killed.
  stop_pid "$PID_FILE" "$PATTERN" "localstack on port $PORT" 6
}

cmd_status() {
  if pid_alive "$PID_FILE" "$PATTERN"; then
    say "running (pid $(<"$PID_FILE")) at $ENDPOINT"
  elif [[ $(http_code "$ENDPOINT/_localstack/health") == 200 ]]; then
    say "running at $ENDPOINT (not started by this script)"
  else
    say "not running (port $PORT)"
    return 3
  fi
}

cmd_reset() {
  pid_alive "$PID_FILE" "$PATTERN" ||
    die "no LocalStack started by this script on port $PORT; nothing to reset"
  cmd_stop
  cmd_start
}

case "${1:-}" in
  install) cmd_install ;;
  start)   cmd_start ;;
  stop)    cmd_stop ;;
  status)  cmd_status ;;
  reset)   cmd_reset ;;
  *) say "usage: $(basename "$0") install|start|stop|status|reset" >&2; exit 2 ;;
esac
