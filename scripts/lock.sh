#!/usr/bin/env bash
# Write the lock files from backend/pyproject.toml: every Python package QLF installs, pinned, with
# the hashes of its files. Run it after changing a dependency in pyproject.toml, and commit both.
#
#   scripts/lock.sh              keep the versions already locked; add or drop what changed
#   scripts/lock.sh --upgrade    the newest versions the pins of pyproject.toml allow
#
# backend/requirements.lock       the runtime packages: the backend image installs these
# backend/requirements-dev.lock   the same versions plus the dev tools: ./start.sh and ./test.sh
#                                 (scripts/env.sh) install these
# The resolver is uv at a pinned version, installed in a virtual environment of its own; the
# locks target Linux x86_64 and Python 3.11 (the image's), and list every file's hash.
set -euo pipefail
cd "$(dirname "$0")/../backend"
UV_VERSION=0.13.9
tools="${TMPDIR:-/tmp}/qlf-lock-tools"
if [ "$("$tools/bin/uv" --version 2>/dev/null)" != "uv $UV_VERSION" ]; then
  python3 -m venv "$tools"
  "$tools/bin/python" -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION"
fi
compile=("$tools/bin/uv" pip compile pyproject.toml --quiet --generate-hashes
  --custom-compile-command scripts/lock.sh
  --python-platform x86_64-manylinux_2_28 --python-version 3.11 "$@")
"${compile[@]}" -o requirements.lock
"${compile[@]}" --extra dev -c requirements.lock -o requirements-dev.lock
echo "wrote backend/requirements.lock and backend/requirements-dev.lock"
