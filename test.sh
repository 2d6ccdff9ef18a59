#!/usr/bin/env bash
# Run the whole test suite on SQLite and on a throwaway PostgreSQL server.
# Installs what it needs (uv, the locked environment, Debian's Chromium) on a fresh machine.
# Extra arguments go to pytest, e.g. ./test.sh -k money
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/bootstrap.sh
unset PYTHONDONTWRITEBYTECODE  # bytecode written once, at first import (scripts/bootstrap.sh)
bash scripts/chromium.sh || echo "warning: Chromium could not be installed; browser tests will fail" >&2
export PATH="$HOME/.local/bin:$PATH"
pgdir=""
cleanup() { if [ -n "$pgdir" ]; then bash .ci/postgres stop "$pgdir"; rm -rf "$pgdir"; fi; }
trap cleanup EXIT
if [ -z "${KUZNIA_TEST_POSTGRES_URL:-}" ] && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  pgdir=$(mktemp -d /tmp/kuznia-pg.XXXXXX)
  KUZNIA_TEST_POSTGRES_URL=$(bash .ci/postgres start "$pgdir")
  export KUZNIA_TEST_POSTGRES_URL
  echo "throwaway PostgreSQL at ${KUZNIA_TEST_POSTGRES_URL}" >&2
fi
uv run pytest -n 2 "$@"
