#!/usr/bin/env bash
# The whole test suite, on a fresh machine: installs and starts the emulators (moto
# with labcheck's extension, the same moto enforcing IAM, and LocalStack), installs the
# browser tests' Chromium and puppeteer-core, runs every test, and stops the emulators.
#
#   bash tests/run.sh                 # everything
#   bash tests/run.sh recorded::      # extra arguments go to `cargo test`
#
# Ports: MOTO_PORT (default 5123), MOTO_IAM_PORT (default 5124) and LOCALSTACK_PORT
# (default 4599), on 127.0.0.1.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

export MOTO_PORT="${MOTO_PORT:-5123}"
export LOCALSTACK_PORT="${LOCALSTACK_PORT:-4599}"
MOTO_IAM_PORT="${MOTO_IAM_PORT:-5124}"
# The IAM-enforcing moto serves this many requests unauthenticated (tests/it/policy_proof.rs
# spends them on an admin user), then requires keys of an IAM user it knows.
MOTO_IAM_UNAUTHENTICATED=3

stop_emulators() {
  bash localstack/moto.sh stop >/dev/null 2>&1 || true
  MOTO_PORT="$MOTO_IAM_PORT" bash localstack/moto.sh stop >/dev/null 2>&1 || true
  bash localstack/localstack.sh stop >/dev/null 2>&1 || true
  bash localstack/aws_cli.sh stop >/dev/null 2>&1 || true
}
trap stop_emulators EXIT

# Start from clean emulator state: a server left over from an earlier run is replaced.
stop_emulators
bash localstack/moto.sh start
INITIAL_NO_AUTH_ACTION_COUNT="$MOTO_IAM_UNAUTHENTICATED" MOTO_PORT="$MOTO_IAM_PORT" bash localstack/moto.sh start
bash localstack/localstack.sh start

# Lab solutions are AWS CLI scripts; the moto venv carries a pinned AWS CLI. Its fork
# server answers them (the `aws` on PATH), which saves the CLI's start-up on every call.
export PATH="$PWD/localstack/.venv-moto/bin:$PATH"
eval "$(bash localstack/aws_cli.sh start)"

# The extension's own tests (the AWS CLI against the extended moto, on its own ports).
bash localstack/selftest_ext.sh
# The GitHub Action and example workflows, against GitHub's schemas.
bash tests/lint_workflows.sh
# Chromium and puppeteer-core for the pages checked in a real browser (installed once).
bash tests/browser/install.sh

export LABCHECK_MOTO_ENDPOINT="http://127.0.0.1:$MOTO_PORT"
export LABCHECK_MOTO_IAM_ENDPOINT="http://127.0.0.1:$MOTO_IAM_PORT"
export LABCHECK_LOCALSTACK_ENDPOINT="http://127.0.0.1:$LOCALSTACK_PORT"
# Here a test that needs the emulators fails without them instead of skipping itself.
export LABCHECK_REQUIRE_EMULATORS=1
export LABCHECK_REQUIRE_BROWSER=1

# Keep cargo's output, and close with one line that totals every test binary.
log=$(mktemp)
status=0
# --no-fail-fast: one failing test binary does not hide the results of the others.
cargo test --locked --no-fail-fast "$@" 2>&1 | tee "$log" || status=$?
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
     END { printf "\nlabcheck tests: %d passed, %d failed\n", p, f }' "$log"
rm -f "$log"
exit "$status"
