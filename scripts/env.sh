# Shared set-up for start.sh and test.sh: a virtual environment built from the lock file.
# Re-installs only when the lock file or backend/pyproject.toml changed since the last install.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${QLF_VENV:-$ROOT/.venv}"
# Every Python package, pinned with its hashes (scripts/lock.sh writes it from pyproject.toml);
# the backend image installs backend/requirements.lock, its subset without the dev tools.
QLF_LOCK="$ROOT/backend/requirements-dev.lock"
QLF_PIP_VERSION=26.3

qlf_setup_python() {
  local python="${PYTHON:-python3}"
  if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "QLF needs Python 3.11 or newer (found: $("$python" --version 2>&1))" >&2
    exit 1
  fi
  [ -x "$VENV/bin/python" ] || "$python" -m venv "$VENV"
  local stamp="$VENV/.qlf-installed"
  local want
  want="$(cat "$ROOT/backend/pyproject.toml" "$QLF_LOCK" | sha256sum | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ] || ! "$VENV/bin/python" -c 'import qlf' 2>/dev/null; then
    echo "== installing Python dependencies into $VENV (${QLF_LOCK#"$ROOT"/})"
    qlf_pip install --quiet "pip==$QLF_PIP_VERSION"
    # Every package at the version and with the hashes of the lock file, then QLF itself
    # (editable, without dependencies: they are all in the lock).
    qlf_pip install --quiet --require-hashes --no-deps -r "$QLF_LOCK"
    qlf_pip install --quiet --no-deps -e "$ROOT/backend"
    qlf_pip check >/dev/null || { qlf_pip check >&2; echo "the lock file misses a dependency: run scripts/lock.sh" >&2; exit 1; }
    echo "$want" > "$stamp"
  fi
}

qlf_pip() {  # the pip of the virtual environment
  "$VENV/bin/python" -m pip --disable-pip-version-check "$@"
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
