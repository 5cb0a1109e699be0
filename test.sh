#!/usr/bin/env bash
# Set up the environment from the project's files and run every check: ruff, docs, pytest, the
# web application, then the compose deployment built and run.
# Usage: ./test.sh [pytest arguments...]   (with arguments: only ruff, docs and those tests)
# QLF_SKIP_FRONTEND=1 skips the web application's checks, QLF_SKIP_COMPOSE=1 the compose stage.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/env.sh
qlf_setup_python

# Database tests run against Postgres when one answers locally (pytest-django creates and drops
# test_* databases, one per xdist worker; the process id keeps concurrent runs apart);
# otherwise against SQLite.
if [ -z "${DATABASE_URL:-}" ] && "$VENV/bin/python" -c 'import psycopg; psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", connect_timeout=2).close()' 2>/dev/null; then
  export DATABASE_URL="postgres://postgres@127.0.0.1:5432/qlf_test_$$"
  echo "== database tests use Postgres on 127.0.0.1:5432"
fi

echo "== ruff"
"$VENV/bin/ruff" check backend
"$VENV/bin/ruff" format --check backend

echo "== import contracts (lint-imports: the layers of docs/architecture.md)"
(cd backend && "$VENV/bin/lint-imports" --no-cache)

echo "== docs (mkdocs build --strict: every page in the nav, no broken link)"
NO_MKDOCS_2_WARNING=1 "$VENV/bin/mkdocs" build --strict --quiet

echo "== pytest"
cd backend
"$VENV/bin/python" -m pytest -n "${QLF_TEST_WORKERS:-2}" "$@"

# The backend has Postgres-specific fast paths: when the run above used Postgres, run the
# database tests once more on SQLite, the embedded mode's database.
if [ -n "${DATABASE_URL:-}" ] && [ $# -eq 0 ]; then
  echo "== pytest (backend on SQLite)"
  DATABASE_URL= "$VENV/bin/python" -m pytest -n "${QLF_TEST_WORKERS:-2}" tests/dashboard
fi

# The web application (frontend/): eslint + prettier, typecheck, screen tests, build, then the
# end-to-end checks in a real browser. Skipped when pytest arguments select a subset, or with
# QLF_SKIP_FRONTEND=1.
if [ $# -eq 0 ] && [ "${QLF_SKIP_FRONTEND:-0}" != 1 ]; then
  source "$ROOT/scripts/frontend.sh"
  qlf_frontend_check
  qlf_frontend_e2e
fi

# The compose deployment built from the project's Dockerfiles and run (nginx, backend, daemon,
# Postgres, Redis, Celery workers), checked through nginx: backend/tests/deploy/compose_e2e.py.
# It needs a container engine: the one answering `docker info`, else podman prepared by
# ../shared/tools/containers/setup.sh (as root). Without one the test skips and says why.
if [ $# -eq 0 ] && [ "${QLF_SKIP_COMPOSE:-0}" != 1 ]; then
  echo "== compose end-to-end (QLF_SKIP_COMPOSE=1 skips it)"
  source "$ROOT/scripts/compose.sh"
  qlf_container_engine || echo "   !! SKIPPING the compose end-to-end test: no container engine" >&2
  cd "$ROOT/backend"
  "$VENV/bin/python" -m pytest -n 0 -p no:cacheprovider -rs -s tests/deploy/compose_e2e.py
fi
