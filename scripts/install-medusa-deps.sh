#!/usr/bin/env bash
# The Medusa tests' tools (tests/shops/medusa): Debian's postgresql when initdb is missing (as root, or
# through sudo when available) and the test project's packages (npm ci from the committed lockfile)
# when node_modules is missing or older than package-lock.json. Node.js >= 20 with npm must already be
# installed (Debian 12's own nodejs is 18, too old for Medusa 2.21): without it this says so and the
# Medusa tests skip, or fail under CI.
set -euo pipefail
cd "$(dirname "$0")/.."
PROJECT=tests/shops/medusa/project
run() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
have_postgres() {
  local bindir
  bindir=$(pg_config --bindir 2>/dev/null || true)
  [ -n "$bindir" ] && [ -x "$bindir/initdb" ] && return 0
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null
}
if ! have_postgres; then
  echo "Installing Debian's postgresql for the Medusa tests..."
  run apt-get update -qq
  DEBIAN_FRONTEND=noninteractive run apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi
if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
  echo "Node.js >= 20 and npm are not installed: the Medusa tests (tests/shops/medusa) will be skipped (CI: fail)." >&2
  exit 0
fi
if [ ! -f "$PROJECT/node_modules/.package-lock.json" ] \
   || [ "$PROJECT/package-lock.json" -nt "$PROJECT/node_modules/.package-lock.json" ]; then
  echo "Installing the Medusa test project's packages (npm ci, about 2 minutes)..."
  (cd "$PROJECT" && MEDUSA_DISABLE_TELEMETRY=true npm ci --no-audit --no-fund --loglevel=error)
fi
