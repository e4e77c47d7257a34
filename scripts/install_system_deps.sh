#!/usr/bin/env bash
# Debian packages CNN Lab needs, installed only when missing (with sudo when not root):
#   always       python3-venv (Debian's Python has no venv/ensurepip without it)
#   --browser    chromium for the browser tests (driven by Playwright, never a downloaded browser)
#                and fonts-noto-color-emoji so page icons render, and nginx for the two-replica test
#                (tests/e2e/test_replicas.py runs Debian's /usr/sbin/nginx in front of two app servers)
set -euo pipefail
python="${PYTHON:-python3}"
missing=()
"$python" -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3-venv)
if [ "${1:-}" = "--browser" ]; then
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  dpkg -s fonts-noto-color-emoji >/dev/null 2>&1 || missing+=(fonts-noto-color-emoji)
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
fi
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
