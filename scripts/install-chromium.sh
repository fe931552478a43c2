#!/usr/bin/env bash
# Installs Debian's chromium for the browser tests (as root, or through sudo when available).
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then exit 0; fi
run() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
echo "Installing Debian's chromium for the browser tests..."
run apt-get update -qq
DEBIAN_FRONTEND=noninteractive run apt-get install -y -qq chromium >/dev/null
chromium --version
