#!/usr/bin/env bash
# Runs before `npm test`: the audit report's browser test needs Debian's Chromium (and a
# Korean font for a readable screenshot). Installs them once when missing, so `npm test` is
# all a fresh machine needs. Never downloads a browser build of its own (no playwright install).
set -euo pipefail
command -v chromium >/dev/null 2>&1 && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian chromium for the report's browser test (once)..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-nanum >/dev/null
else
  echo "chromium is missing: install it with 'sudo apt-get install -y --no-install-recommends chromium fonts-nanum'" >&2
  exit 1
fi
