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
# Bytecode is written as modules are first imported, not compiled here: uv's --compile-bytecode
# compiles every file of the environment (about 5 s of a fresh clone's first run, test tools
# included), while a command imports a part of it (about 1.6 s to compile, once). run.sh,
# test.sh and .ci/run unset PYTHONDONTWRITEBYTECODE (set on this machine and in many container
# images) so that Python writes what it compiles; with it set, every start would compile each
# module it imports again (README, Development).
uv sync --locked --quiet >&2
