# Shared set-up for start.sh and test.sh: a virtual environment built from backend/pyproject.toml.
# Re-installs only when the project file changed since the last install.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${QLF_VENV:-$ROOT/.venv}"

qlf_setup_python() {
  local python="${PYTHON:-python3}"
  if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "QLF needs Python 3.11 or newer (found: $("$python" --version 2>&1))" >&2
    exit 1
  fi
  [ -x "$VENV/bin/python" ] || "$python" -m venv "$VENV"
  local stamp="$VENV/.qlf-installed"
  local want
  want="$(sha256sum "$ROOT/backend/pyproject.toml" | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ] || ! "$VENV/bin/python" -c 'import qlf' 2>/dev/null; then
    echo "== installing Python dependencies into $VENV"
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
    "$VENV/bin/python" -m pip install --quiet -e "$ROOT/backend[dev]"
    echo "$want" > "$stamp"
  fi
}
