#!/usr/bin/env bash
# Shared set-up for run.sh, test.sh and .ci/run: makes sure uv exists and the locked
# environment is installed. Safe to run again; it does nothing that is already done.
set -euo pipefail
UV_VERSION=0.13.9
if ! command -v uv >/dev/null 2>&1; then
  echo "installing uv $UV_VERSION from PyPI" >&2
  python3 -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION" >&2 \
    || python3 -m pip install --quiet --user --disable-pip-version-check "uv==$UV_VERSION" >&2
  export PATH="$HOME/.local/bin:$PATH"
fi
# Compiled once here: where PYTHONDONTWRITEBYTECODE=1 is set (this machine, many container
# images) Python would otherwise compile every module it imports again at every start, about
# 1 s of each `kuznia` command (README, Development). Only what changed is compiled again.
uv sync --locked --quiet --compile-bytecode >&2
uv run --no-sync python -m compileall -q -j 0 src >&2
