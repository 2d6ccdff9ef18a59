#!/usr/bin/env bash
# The main job: set up, load the notional demo data into an embedded SQLite database and
# start kuznia. Prints where to open it and how to log in. Extra arguments go to `kuznia start`.
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/bootstrap.sh
unset PYTHONDONTWRITEBYTECODE  # bytecode written once, at first import (scripts/bootstrap.sh)
export PATH="$HOME/.local/bin:$PATH"
exec uv run kuznia start "$@"
