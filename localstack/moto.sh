#!/usr/bin/env bash
# moto.sh — labcheck's local AWS emulator: moto in server mode, extended with the
# APIs the labs grade and moto lacks (see moto_ext/labcheck_moto.py).
#
#   bash localstack/moto.sh install   # venv localstack/.venv-moto from requirements-moto.txt
#   bash localstack/moto.sh start     # install if needed, start, wait, print the endpoint
#   bash localstack/moto.sh status    # "running" (exit 0) or "not running" (exit 3)
#   bash localstack/moto.sh reset     # forget all state: POST /moto-api/reset
#   bash localstack/moto.sh stop      # stop the server this script started
#
# Environment:
#   MOTO_PORT=5000               port on 127.0.0.1; one instance per port, each with
#                                its own run/moto-<port>.pid and run/moto-<port>.log
#   MOTO_START_TIMEOUT=30        seconds start waits for the server to answer
#   MOTO_PYTHON=python3.11       interpreter for the venv
#   LABCHECK_MOTO_EXECUTION_SECONDS=0
#                                how long a started pipeline execution stays
#                                InProgress before it is Succeeded (read by the server)
#   LABCHECK_MOTO_CLONE=off      no account copies (POST /_labcheck/clone-account), so
#                                selftest runs each near miss's solution again
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/_common.sh"

VENV="$HARNESS_DIR/.venv-moto"
REQUIREMENTS="$HARNESS_DIR/requirements-moto.txt"
STAMP="$VENV/.labcheck-requirements.sha256"
SERVER="$HARNESS_DIR/moto_ext/labcheck_moto.py"
PORT="${MOTO_PORT:-5000}"
[[ $PORT =~ ^[0-9]+$ ]] || die "MOTO_PORT must be a port number, not '$PORT'"
ENDPOINT="http://$HOST:$PORT"
PID_FILE="$RUN_DIR/moto-$PORT.pid"
LOG_FILE="$RUN_DIR/moto-$PORT.log"
START_TIMEOUT="${MOTO_START_TIMEOUT:-30}"
# The command line of our server contains this; pid checks compare against it.
PATTERN="labcheck_moto.py --host $HOST --port $PORT"

# installed: the venv exists and was installed from the current requirements file.
installed() {
  [[ -x $VENV/bin/python && -f $STAMP ]] &&
    [[ $(<"$STAMP") == "$(requirements_stamp "$REQUIREMENTS")" ]]
}

cmd_install() {
  lock 8 "$RUN_DIR/moto-install.lock"   # one install at a time
  if installed; then
    say "moto already installed at the pinned versions ($VENV)"
    return 0
  fi
  local python="${MOTO_PYTHON:-python3.11}" started
  command -v "$python" >/dev/null 2>&1 || die "$python not found (set MOTO_PYTHON)"
  started=$(now_ms)
  say "installing moto into $VENV with $($python --version 2>&1) ..."
  # Into the existing venv if there is one (pip moves every pin to its version), so a
  # server already running from it is not pulled out from under its feet.
  [[ -x $VENV/bin/python ]] || "$python" -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$REQUIREMENTS"
  requirements_stamp "$REQUIREMENTS" >"$STAMP"
  say "installed $("$VENV/bin/python" -c 'import moto; print("moto", moto.__version__)')," \
    "$("$VENV/bin/aws" --version 2>&1 | cut -d' ' -f1) in $(( ($(now_ms) - started) / 1000 )) s"
}

cmd_start() {
  installed || cmd_install
  lock 9 "$RUN_DIR/moto-$PORT.lock"     # one start or stop per port at a time
  if pid_alive "$PID_FILE" "$PATTERN"; then
    say "moto is already running (pid $(<"$PID_FILE")) at $ENDPOINT"
    return 0
  fi
  rm -f "$PID_FILE"
  # Something else on the port? If it is a moto server, use it; otherwise refuse.
  case "$(http_code "$ENDPOINT/moto-api/")" in
    200) say "a moto server not started by this script already answers at $ENDPOINT; using it"
         return 0 ;;
    000) ;;
    *)   die "port $PORT is taken by something that is not moto" ;;
  esac

  local started
  started=$(now_ms)
  printf '\n=== %s start on %s\n' "$(date -u +%FT%TZ)" "$ENDPOINT" >>"$LOG_FILE"
  # No stdin, output to the log; the server outlives this script.
  nohup "$VENV/bin/python" "$SERVER" --host "$HOST" --port "$PORT" \
    </dev/null >>"$LOG_FILE" 2>&1 8>&- 9>&- &
  echo $! >"$PID_FILE"

  if ! wait_until_up "$ENDPOINT/moto-api/" "$PID_FILE" "$PATTERN" "$START_TIMEOUT" "$LOG_FILE"; then
    cmd_stop >/dev/null
    die "moto did not start on $ENDPOINT"
  fi
  say "moto started (pid $(<"$PID_FILE")) in $(( $(now_ms) - started )) ms; log: $LOG_FILE"
  say "$ENDPOINT"
}

cmd_stop() {
  lock 9 "$RUN_DIR/moto-$PORT.lock"
  stop_pid "$PID_FILE" "$PATTERN" "moto on port $PORT"
}

cmd_status() {
  if pid_alive "$PID_FILE" "$PATTERN"; then
    say "running (pid $(<"$PID_FILE")) at $ENDPOINT"
  elif [[ $(http_code "$ENDPOINT/moto-api/") == 200 ]]; then
    say "running at $ENDPOINT (not started by this script)"
  else
    say "not running (port $PORT)"
    return 3
  fi
}

cmd_reset() {
  local code
  code=$(http_code "$ENDPOINT/moto-api/reset" POST)
  [[ $code == 200 ]] || die "reset failed on $ENDPOINT (HTTP $code); is moto running?"
  say "moto state reset at $ENDPOINT"
}

case "${1:-}" in
  install) cmd_install ;;
  start)   cmd_start ;;
  stop)    cmd_stop ;;
  status)  cmd_status ;;
  reset)   cmd_reset ;;
  *) say "usage: $(basename "$0") install|start|stop|status|reset" >&2; exit 2 ;;
esac
