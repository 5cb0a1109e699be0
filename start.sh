#!/usr/bin/env bash
# Set up and run QLF.
#
#   ./start.sh                 embedded (SQLite under var/, no other services): set up, create the
#                              demo night if no data directory is configured, start the web server
#                              with the pipeline daemon inside it, print the URL
#   ./start.sh --docker        the docker compose deployment (run ./configure.sh first); with
#                              QLF_EXECUTOR=celery in .env also the cluster profile's Celery
#                              workers (--celery-workers N: how many containers, default 2)
#   ./start.sh --no-build      embedded, without (re)building the web application
#   ./start.sh --demo-profile desi   the demo with the full-size instrument (slower)
#
# Settings come from the environment or from ./qlf.env (./configure.sh writes it; QLF_CONFIG names
# another file); QLF_HOST and QLF_PORT (default 127.0.0.1:8000) choose where the server listens.
# Safe to run twice: what is already running is left alone. ./stop.sh stops it all.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/env.sh

profile=mini
mode=embedded
build=1
celery_workers=""
scale_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --demo-profile) profile="$2"; shift 2 ;;
    --docker) mode=docker; shift ;;
    --celery-workers) celery_workers="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    -h | --help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (see ./start.sh --help)" >&2; exit 2 ;;
  esac
done

if [ "$mode" = docker ]; then
  source scripts/compose.sh
  if [ -n "$celery_workers" ] && [[ ! "$celery_workers" =~ ^[1-9][0-9]*$ ]]; then
    echo "--celery-workers must be a positive number (got '$celery_workers')" >&2
    exit 2
  fi
  qlf_compose_check || exit 1
  scratch="$(sed -n 's/^QLF_SCRATCH_SOURCE=//p' .env | tail -n 1)"
  if [ -n "$scratch" ] && ! qlf_container_writable "$scratch"; then
    echo "The containers' user (uid $QLF_CONTAINER_UID) cannot write to the scratch folder $scratch (QLF_SCRATCH_SOURCE in .env):" >&2
    echo "  chown $QLF_CONTAINER_UID:$QLF_CONTAINER_UID $scratch   (or chmod o+wx $scratch)" >&2
    exit 1
  fi
  profile_args=()
  services="db, redis, backend, daemon, nginx"
  if [ "$(qlf_compose_executor)" = celery ]; then  # camera jobs need Celery workers
    profile_args=(--profile cluster)
    scale_args=(--scale "worker=${celery_workers:-2}")
    services="$services, ${celery_workers:-2} Celery workers"
  elif [ -n "$celery_workers" ]; then
    echo "--celery-workers needs QLF_EXECUTOR=celery in .env (./configure.sh --executor celery)" >&2
    exit 2
  fi
  echo "== docker compose: building the images and starting $services"
  qlf_compose "${profile_args[@]}" up -d --build "${scale_args[@]}"
  # Ready when nginx answers through to the backend: a command run at once (createoperator)
  # could otherwise meet a backend still migrating, or a network DNS still settling (podman).
  echo "== waiting until nginx answers through to the backend"
  qlf_compose_wait_healthy nginx 300
  http_port="$(sed -n 's/^QLF_HTTP_PORT=//p' .env | tail -n 1)"
  cat <<EOT

QLF is running under docker compose: http://localhost:${http_port:-8080}/   (docker compose ps: health)
Create an operator to log in and control the pipeline:
  docker compose exec backend qlf createoperator USERNAME        (it asks for the password)
Logs: docker compose logs -f backend daemon
Apply a backend code change (rebuild, recreate backend, daemon, workers, nginx): ./restartBackend.sh   Stop: ./stop.sh
EOT
  exit 0
fi

qlf_load_config
qlf_setup_python
QLF="$VENV/bin/qlf"

export QLF_VAR_DIR="${QLF_VAR_DIR:-$ROOT/var}"
run="$QLF_VAR_DIR/run"
logs="$QLF_VAR_DIR/log"
umask 077 # var/ holds the database, secrets and logs: folders 0700, files 0600 (and older ones)
mkdir -p "$run" "$logs"
chmod 700 "$QLF_VAR_DIR" "$run" "$logs"
find "$logs" -maxdepth 1 -type f -exec chmod 600 {} +
host="${QLF_HOST:-127.0.0.1}"
port="${QLF_PORT:-8000}"

# A recorded process id counts only while that process is still one of ours (ids are reused).
running() {
  local pid
  [ -f "$run/$1.pid" ] && pid="$(cat "$run/$1.pid")" && kill -0 "$pid" 2>/dev/null &&
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q qlf
}

banner() {
  local url
  url="$(cat "$run/server.url" 2>/dev/null || echo "http://$host:$port/")"
  cat <<EOT

QLF is running: $url   (API: ${url}api/, docs: ${url}api/docs/)
Create an operator to log in and control the pipeline:
  $QLF createoperator USERNAME        (it asks for the password)
Run one exposure by hand:  $QLF ql run FILE --camera r0 --calib \$QLF_CALIB_DIR --out /tmp/qa
Logs: $logs   Restart after a code change: ./restartBackend.sh   Stop: ./stop.sh
EOT
}

if running server; then
  echo "QLF is already running (pid $(cat "$run/server.pid")): nothing started."
  banner
  exit 0
fi

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

start_bg() { # name, command...: start unless running, in a process group of its own; record the pid
  local name="$1"
  shift
  if running "$name"; then
    echo "   $name already running (pid $(cat "$run/$name.pid"))"
    return
  fi
  setsid nohup "$@" >>"$logs/$name.log" 2>&1 </dev/null &
  echo $! >"$run/$name.pid"
  echo "   $name started (pid $!, log $logs/$name.log)"
}

if ! "$VENV/bin/python" -c "import socket; s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('$host', $port))" 2>/dev/null; then
  echo "Port $port on $host is taken by another program: set QLF_PORT (or run ./configure.sh)." >&2
  exit 1
fi

echo "== database"
"$QLF" manage migrate --no-input >/dev/null

if [ "$demo" = 1 ] && ! ls "$QLF_DATA_DIR"/*/*/desi-*.fits.fz >/dev/null 2>&1 && ! running ics; then
  echo "== demo: a simulated $profile night in $QLF_DATA_DIR (one exposure every 20 s)"
  start_bg ics "$QLF" sim night --profile "$profile" --night "$(date -u +%Y%m%d)" \
    --sequence "zero,flat,arc,science*5" --cadence 20 --out "$QLF_DATA_DIR" --calib "$QLF_CALIB_DIR" --no-progress
fi

if [ "$build" = 1 ]; then
  source scripts/frontend.sh
  qlf_frontend_build || echo "   the web application is not built: the server answers 503 at / until it is"
fi
echo "== web server and pipeline daemon"
start_bg server "$QLF" serve --host "$host" --port "$port" --no-migrate
url_host="$host"
case "$host" in 0.0.0.0 | "::") url_host=127.0.0.1 ;; esac
echo "http://$url_host:$port/" >"$run/server.url"

# Ready when the API answers (a cheap anonymous route); a server that exits shows its log.
for _ in $(seq 1 240); do
  if "$VENV/bin/python" -c "import urllib.request; urllib.request.urlopen('http://$url_host:$port/api/auth/me/', timeout=2)" 2>/dev/null; then
    banner
    exit 0
  fi
  if ! running server; then
    echo "The server stopped while starting; the end of its log ($logs/server.log):" >&2
    tail -n 20 "$logs/server.log" >&2
    exit 1
  fi
  sleep 0.5
done
echo "The server does not answer after 2 minutes: see $logs/server.log" >&2
exit 1
