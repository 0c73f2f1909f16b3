# shellcheck shell=bash
# _common.sh — helpers shared by moto.sh and localstack.sh. Sourced, not run.
#
# Conventions: every server binds 127.0.0.1 only; its pid and log live in
# localstack/run/<name>-<port>.{pid,log}, so instances on different ports coexist.

HARNESS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck disable=SC2034  # used by the scripts that source this file
RUN_DIR="$HARNESS_DIR/run"
# shellcheck disable=SC2034
HOST=127.0.0.1

say() { printf '%s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# now_ms: wall clock in milliseconds, for the timings we print.
now_ms() { date +%s%3N; }

# http_code URL [METHOD]: print the HTTP status of a request ("000" if none answered).
http_code() {
  local url=$1 method=${2:-GET}
  if command -v curl >/dev/null 2>&1; then
    curl -s -k -o /dev/null -m 5 -X "$method" -w '%{http_code}' "$url" || true
  else
    python3 - "$url" "$method" <<'PY' || printf '000'
import sys, urllib.request, urllib.error
req = urllib.request.Request(sys.argv[1], method=sys.argv[2], data=b"" if sys.argv[2] == "POST" else None)
try:
    print(urllib.request.urlopen(req, timeout=5).status, end="")
except urllib.error.HTTPError as e:
    print(e.code, end="")
except Exception:
    print("000", end="")
PY
  fi
}

# pid_alive PIDFILE PATTERN: true if the pid in PIDFILE runs a command line that
# contains PATTERN (guards against a stale file whose pid was reused).
pid_alive() {
  local pidfile=$1 pattern=$2 pid
  [[ -f $pidfile ]] || return 1
  pid=$(<"$pidfile")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$pattern"
}

# wait_until_up URL PIDFILE PATTERN TIMEOUT LOG: poll URL until it answers 200, while
# the process still lives; on failure show the log's tail and return 1.
wait_until_up() {
  local url=$1 pidfile=$2 pattern=$3 timeout=$4 log=$5
  local deadline=$(( $(date +%s) + timeout ))
  while (( $(date +%s) < deadline )); do
    if [[ $(http_code "$url") == 200 ]]; then
      return 0
    fi
    if ! pid_alive "$pidfile" "$pattern"; then
      say "the server exited during start-up; last lines of $log:" >&2
      tail -n 30 "$log" >&2 || true
      return 1
    fi
    sleep 0.25
  done
  say "no answer from $url within ${timeout}s; last lines of $log:" >&2
  tail -n 30 "$log" >&2 || true
  return 1
}

# descendants PID: the ids of PID's children, grandchildren, ... (LocalStack starts
# helper processes, e.g. its Kinesis mock).
descendants() {
  local child
  for child in $(pgrep -P "$1" 2>/dev/null || true); do
    echo "$child"
    descendants "$child"
  done
}

# stop_pid PIDFILE PATTERN NAME [TIMEOUT]: TERM the server, wait up to TIMEOUT seconds
# (default 15), then KILL it; then end any helper process it left behind, by id.
stop_pid() {
  local pidfile=$1 pattern=$2 name=$3 timeout=${4:-15} pid i helpers
  if ! pid_alive "$pidfile" "$pattern"; then
    rm -f "$pidfile"
    say "$name is not running"
    return 0
  fi
  pid=$(<"$pidfile")
  helpers=$(descendants "$pid")
  kill -TERM "$pid" 2>/dev/null || true
  for (( i = 0; i < timeout * 4; i++ )); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.25
  done
  if kill -0 "$pid" 2>/dev/null; then
    say "$name (pid $pid) still running ${timeout} s after TERM; sending KILL"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.5
  fi
  for i in $helpers; do
    kill -0 "$i" 2>/dev/null || continue
    kill -TERM "$i" 2>/dev/null || true
    sleep 1
    kill -KILL "$i" 2>/dev/null || true
  done
  rm -f "$pidfile"
  say "$name stopped (pid $pid)"
}

# lock FD FILE: take an exclusive lock on FILE through file descriptor FD (held until
# the script exits), so that concurrent starts or installs wait for each other. A
# server started while it is held must get `FD>&-` so it does not keep the lock.
lock() {
  local fd=$1 file=$2
  mkdir -p "$(dirname "$file")"
  eval "exec $fd>\"\$file\""
  flock -w 300 "$fd" || die "could not lock $file within 300 s"
}

# requirements_stamp FILE: a fingerprint of a requirements file, kept in the venv
# after a successful install so that a second install is skipped.
requirements_stamp() { sha256sum "$1" | cut -d' ' -f1; }
