#!/usr/bin/env bash
# What the browser tests need: Chromium (Debian's package, installed when missing and
# this runs as root) and puppeteer-core (pinned in package-lock.json) in node_modules.
#
#   bash tests/browser/install.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
if ! command -v chromium >/dev/null 2>&1 && [[ -z ${CHROMIUM:-} ]]; then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    # A fresh machine's package lists may be stale: update them when the first try fails.
    install() { DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium >/dev/null; }
    install || { apt-get update -q >/dev/null && install; }
  else
    echo "tests/browser: install Chromium (Debian: apt-get install chromium) or set CHROMIUM" >&2
    exit 1
  fi
fi
command -v node >/dev/null 2>&1 || { echo "tests/browser: Node.js is needed (node on PATH)" >&2; exit 1; }
if [[ ! -d node_modules/puppeteer-core ]] || [[ package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund --silent
fi
