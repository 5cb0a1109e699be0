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

# The configuration file written by ./configure.sh (QLF_CONFIG, default ./qlf.env): KEY=value
# lines, # comments. Exported into the environment, except variables the environment already
# sets (those win). `qlf` reads the same file (qlf.config.load_config_file).
qlf_load_config() {
  local file="${QLF_CONFIG:-$ROOT/qlf.env}" line key value
  [ -f "$file" ] || return 0
  while IFS= read -r line || [ -n "$line" ]; do
    line="${line%$'\r'}"
    case "$line" in '' | '#'*) continue ;; esac
    key="${line%%=*}"
    value="${line#*=}"
    [[ "$key" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || continue
    case "$value" in \"*\" | \'*\') value="${value:1:${#value}-2}" ;; esac
    [ -n "${!key+x}" ] || export "$key=$value"
  done <"$file"
}
