#!/usr/bin/env bash
# Set up and run QLF (embedded: SQLite under var/, no other services).
#
#   ./start.sh                 set up, create the demo night if no data is configured, start
#                              the web server with the pipeline daemon inside it, print the URL
#   ./start.sh --demo-profile desi   the demo with the full-size instrument (slower)
#
# Settings come from the environment or from ./qlf.env (KEY=value lines). Safe to run twice:
# what is already running is left alone. ./stop.sh stops it all.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/env.sh

profile=mini
while [ $# -gt 0 ]; do
  case "$1" in
    --demo-profile) profile="$2"; shift 2 ;;
    --docker) echo "The docker compose deployment is not available yet: run ./start.sh without --docker." >&2; exit 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (see ./start.sh --help)" >&2; exit 2 ;;
  esac
done

if [ -f qlf.env ]; then set -a; source ./qlf.env; set +a; fi
qlf_setup_python
QLF="$VENV/bin/qlf"

export QLF_VAR_DIR="${QLF_VAR_DIR:-$ROOT/var}"
run="$QLF_VAR_DIR/run"; logs="$QLF_VAR_DIR/log"
mkdir -p "$run" "$logs"
host="${QLF_HOST:-127.0.0.1}"; port="${QLF_PORT:-8000}"

demo=0
if [ -z "${QLF_DATA_DIR:-}" ]; then
  demo=1
  export QLF_DATA_DIR="$QLF_VAR_DIR/data" QLF_CALIB_DIR="$QLF_VAR_DIR/calib"
  export QLF_SCRATCH_DIR="${QLF_SCRATCH_DIR:-$QLF_VAR_DIR/scratch}"
  export QLF_SPECS_DIR="${QLF_SPECS_DIR:-$ROOT/backend/specs/$profile}"
fi
# Embedded mode (DESIGN.md 2): the daemon runs inside the server, whose in-process channel layer
# carries its events to the websockets. A QLF_PIPELINE_URL in qlf.env points to a separate daemon.
if [ -z "${QLF_PIPELINE_URL:-}" ]; then export QLF_EMBEDDED_DAEMON="${QLF_EMBEDDED_DAEMON:-1}"; fi

running() { [ -f "$run/$1.pid" ] && kill -0 "$(cat "$run/$1.pid")" 2>/dev/null; }

start_bg() {  # name, command...: start unless running, record the pid
  local name="$1"; shift
  if running "$name"; then echo "   $name already running (pid $(cat "$run/$name.pid"))"; return; fi
  nohup "$@" >>"$logs/$name.log" 2>&1 &
  echo $! >"$run/$name.pid"
  echo "   $name started (pid $!, log $logs/$name.log)"
}

echo "== database"
"$QLF" manage migrate --no-input >/dev/null

if [ "$demo" = 1 ] && ! ls "$QLF_DATA_DIR"/*/*/desi-*.fits.fz >/dev/null 2>&1 && ! running ics; then
  echo "== demo: a simulated $profile night in $QLF_DATA_DIR (one exposure every 20 s)"
  start_bg ics "$QLF" sim night --profile "$profile" --night "$(date -u +%Y%m%d)" \
    --sequence "zero,flat,arc,science*5" --cadence 20 --out "$QLF_DATA_DIR" --calib "$QLF_CALIB_DIR" --no-progress
fi

if running daemon; then  # left by an older ./start.sh, which ran it apart
  echo "   stopping the separate pipeline daemon (pid $(cat "$run/daemon.pid")): the server embeds it"
  kill "$(cat "$run/daemon.pid")" && sleep 1; rm -f "$run/daemon.pid"
fi
source scripts/frontend.sh
qlf_frontend_build || echo "   the web application is not built: the server answers 503 at / until it is"
echo "== web server and pipeline daemon"
start_bg server "$QLF" serve --host "$host" --port "$port" --no-migrate

for _ in $(seq 1 40); do
  if "$VENV/bin/python" -c "import urllib.request,sys; urllib.request.urlopen('http://$host:$port/api/schema/', timeout=1)" 2>/dev/null; then break; fi
  sleep 0.5
done
cat <<EOT

QLF is running: http://$host:$port/   (API: http://$host:$port/api/, docs: /api/docs/)
Create an operator to log in and control the pipeline:
  $QLF createoperator USERNAME        (it asks for the password)
Run one exposure by hand:  $QLF ql run FILE --camera r0 --calib \$QLF_CALIB_DIR --out /tmp/qa
Logs: $logs   Stop: ./stop.sh
EOT
