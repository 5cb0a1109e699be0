# Shared set-up for the web application (frontend/), sourced after scripts/env.sh by test.sh and
# start.sh. Node modules come from frontend/package-lock.json with `npm ci`, again only when the
# lock file changed since the last install (like qlf_setup_python for Python).
FRONTEND="$ROOT/frontend"

qlf_frontend_install() {
  if ! command -v npm >/dev/null 2>&1; then
    echo "The web application needs Node.js (>= 20.19) and npm: install them, or set QLF_SKIP_FRONTEND=1" >&2
    return 1
  fi
  local stamp="$FRONTEND/node_modules/.qlf-installed" want
  want="$(sha256sum "$FRONTEND/package-lock.json" | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "== installing the web application's dependencies (npm ci)"
    (cd "$FRONTEND" && npm ci --no-audit --no-fund --loglevel=error)
    echo "$want" >"$stamp"
  fi
}

qlf_frontend_build() {  # start.sh: the bundle Django serves (frontend/dist)
  qlf_frontend_install
  echo "== building the web application"
  (cd "$FRONTEND" && npm run --silent build -- --logLevel warn)
}

qlf_frontend_check() {  # test.sh: lint (eslint + prettier), types, screen tests, build
  qlf_frontend_install
  (
    cd "$FRONTEND"
    echo "== frontend: eslint + prettier"
    npm run --silent lint
    echo "== frontend: typecheck"
    npm run --silent typecheck
    echo "== frontend: vitest"
    npm test --silent
    echo "== frontend: build"
    npm run --silent build -- --logLevel warn
  )
}

# End-to-end: a real browser (Debian's chromium driven by playwright-core) against `qlf serve` on a
# free port with a temporary SQLite database holding one simulated mini exposure processed by the
# Quick Look pipeline (a second one is processed by the server's embedded daemon, with its live
# alerts), a viewer and an operator. Skips (return 0) only when chromium cannot be had.
qlf_frontend_e2e() {
  local chromium="${QLF_CHROMIUM:-$(command -v chromium || true)}"
  if [ -z "$chromium" ]; then
    echo "== e2e: installing chromium (Debian package)"
    if [ "$(id -u)" = 0 ] && { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; } 2>&1 | tail -3; then
      chromium="$(command -v chromium || true)"
    fi
    if [ -z "$chromium" ]; then
      echo "== e2e SKIPPED: chromium is not installed and cannot be installed here (run as root: apt-get install chromium)"
      return 0
    fi
  fi
  local tmp qlf="$VENV/bin/qlf" port pid rc=0
  tmp="$(mktemp -d "${TMPDIR:-/tmp}/qlf-e2e.XXXXXX")"
  port="$("$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  echo "== e2e: seeding $tmp (simulated mini exposure, Quick Look, ingestion)"
  (
    export QLF_VAR_DIR="$tmp/var" DATABASE_URL="sqlite:///$tmp/db.sqlite3" QLF_SCRATCH_DIR="$tmp/qa"
    export QLF_DATA_DIR="$tmp/incoming" QLF_CALIB_DIR="$tmp/data/calib" QLF_SPECS_DIR="$ROOT/backend/specs/mini"
    unset QLF_PIPELINE_URL
    mkdir -p "$QLF_DATA_DIR"
    "$qlf" sim exposure --profile mini --flavor science --expid 3 --night 20261121 --tileid 1042 \
      --out "$tmp/data" --no-progress --defect high_noise:r3:C:4 --defect bias_jump:b5:A:80 >/dev/null
    "$qlf" ql run "$tmp/data/20261121/00000003/desi-00000003.fits.fz" --camera all \
      --calib "$tmp/data/calib" --out "$QLF_SCRATCH_DIR" --specs "$QLF_SPECS_DIR" >/dev/null || true
    "$qlf" manage migrate --no-input >/dev/null
    "$qlf" ingest "$QLF_SCRATCH_DIR" >/dev/null
    # Exposure 4 (same defects, another tile) waits in the incoming folder: the server's embedded
    # daemon processes it, so its alerts (ALARM r3, WARNING b5) are journalled like at night ...
    "$qlf" sim exposure --profile mini --flavor science --expid 4 --night 20261121 --tileid 1043 \
      --out "$tmp/data" --no-progress --defect high_noise:r3:C:4 --defect bias_jump:b5:A:80 >/dev/null
    # ... then exposure 5, clean: the open alarms of exposure 4 must stay on the Monitor.
    "$qlf" sim exposure --profile mini --flavor science --expid 5 --night 20261121 --tileid 1044 \
      --out "$tmp/data" --no-progress >/dev/null
    mkdir -p "$QLF_DATA_DIR/20261121"
    mv "$tmp/data/20261121/00000004" "$tmp/data/20261121/00000005" "$QLF_DATA_DIR/20261121/"
    QLF_E2E_PW=operator-pass "$qlf" createoperator otto --password-env QLF_E2E_PW >/dev/null
    QLF_E2E_PW=viewer-pass "$qlf" createoperator vera --role viewer --password-env QLF_E2E_PW >/dev/null
    DJANGO_SUPERUSER_PASSWORD=admin-pass "$qlf" manage createsuperuser --no-input --username ada \
      --email ada@example.org >/dev/null  # an admin: runbooks are edited by admins
    exec "$qlf" serve --host 127.0.0.1 --port "$port" --no-migrate >"$tmp/serve.log" 2>&1
  ) &
  pid=$!
  for _ in $(seq 1 480); do
    "$VENV/bin/python" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/api/auth/me/', timeout=1)" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  echo "== e2e: browser checks against http://127.0.0.1:$port"
  (
    cd "$FRONTEND" &&
      QLF_E2E_URL="http://127.0.0.1:$port" QLF_E2E_OPERATOR=otto:operator-pass \
        QLF_E2E_VIEWER=vera:viewer-pass QLF_E2E_ADMIN=ada:admin-pass QLF_E2E_PROCESS=1 QLF_CHROMIUM="$chromium" \
        QLF_E2E_SHOTS="${QLF_E2E_SHOTS:-/tmp}" node e2e/run.mjs
  ) || rc=$?
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if [ "$rc" != 0 ]; then
    echo "-- server log ($tmp/serve.log):"; tail -20 "$tmp/serve.log"
    return "$rc"
  fi
  rm -rf "$tmp"
}
