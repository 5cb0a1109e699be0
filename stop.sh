#!/usr/bin/env bash
# Stop what ./start.sh started: the embedded server and the demo instrument (by their recorded
# process ids, with every process they started), or the docker compose deployment.
#
#   ./stop.sh            everything
#   ./stop.sh server     only the web server (and the daemon inside it): ./restartBackend.sh
set -uo pipefail
cd "$(dirname "$0")"
source scripts/env.sh
qlf_load_config
run="${QLF_VAR_DIR:-$ROOT/var}/run"
names=("$@")
stopped=0
[ $# -gt 0 ] || names=(ics server daemon)

source scripts/compose.sh
# Compose is asked what runs (every profile): a failed start or a cluster started by hand counts.
if [ $# -eq 0 ] && qlf_compose_running; then
  echo "== docker compose down (the volumes stay: data, scratch, database)"
  qlf_compose --profile cluster down --remove-orphans
  stopped=1
fi

alive() { kill -0 "$1" 2>/dev/null && tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -q qlf; }

for name in "${names[@]}"; do
  pidfile="$run/$name.pid"
  [ -f "$pidfile" ] || continue
  pid="$(cat "$pidfile")"
  if alive "$pid"; then
    # start.sh puts each in a process group of its own (setsid): the group holds its workers.
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid"
    for _ in $(seq 1 120); do alive "$pid" || break; sleep 0.25; done
    alive "$pid" && echo "$name (pid $pid) did not stop within 30 s: killing it"
    echo "stopped $name (pid $pid)"
    stopped=1
  fi
  # Whatever of its group is left (pool workers), if the group is still ours (ids are reused).
  if pgrep -g "$pid" -f qlf >/dev/null 2>&1; then kill -KILL -- "-$pid" 2>/dev/null; fi
  rm -f "$pidfile"
  [ "$name" != server ] || rm -f "$run/server.url"
done
[ "$stopped" = 1 ] || echo "nothing was running"
