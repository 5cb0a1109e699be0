#!/usr/bin/env bash
# Stop what ./start.sh started (by its recorded process ids).
set -uo pipefail
cd "$(dirname "$0")"
run="${QLF_VAR_DIR:-$PWD/var}/run"
stopped=0
for name in ics server daemon; do
  pidfile="$run/$name.pid"
  [ -f "$pidfile" ] || continue
  pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" && echo "stopped $name (pid $pid)"
    for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    stopped=1
  fi
  rm -f "$pidfile"
done
[ "$stopped" = 1 ] || echo "nothing was running"
