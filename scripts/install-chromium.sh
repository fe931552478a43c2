#!/usr/bin/env bash
# Installs Debian's chromium for the browser tests, and a Chinese font (fonts-wqy-microhei, ~5 MB) so
# that zh pages and the screenshots in docs/img show characters rather than boxes (as root, or through
# sudo when available). Does nothing when both are there.
set -euo pipefail
have_zh_font() { command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=zh family 2>/dev/null)" ]; }
if command -v chromium >/dev/null 2>&1 && have_zh_font; then exit 0; fi
run() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
echo "Installing Debian's chromium and a Chinese font for the browser tests..."
run apt-get update -qq
DEBIAN_FRONTEND=noninteractive run apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null
chromium --version
