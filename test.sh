#!/usr/bin/env bash
# Set up the environment from the project's files and run every check: ruff, then pytest.
# Usage: ./test.sh [pytest arguments...]
set -euo pipefail
cd "$(dirname "$0")"
source scripts/env.sh
qlf_setup_python

echo "== ruff"
"$VENV/bin/ruff" check backend
"$VENV/bin/ruff" format --check backend

echo "== pytest"
cd backend
"$VENV/bin/python" -m pytest -n "${QLF_TEST_WORKERS:-2}" "$@"
