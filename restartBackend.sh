#!/usr/bin/env bash
# Restart the backend and the pipeline daemon after a code change: the embedded server (which
# runs the daemon), or, when the compose deployment runs, a rebuild of the backend image (the code
# is in it) and new containers for backend, daemon and the Celery workers, then nginx (it finds
# the new backend by itself; a new nginx also drops connections to the old one). The demo
# instrument and the web application's build are left as they are.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/env.sh
qlf_load_config
source scripts/compose.sh
if qlf_compose_running; then
  workers="$(qlf_compose_workers)"
  services=(backend daemon)
  profile_args=()
  scale_args=()
  if [ "$workers" -gt 0 ]; then  # as many new workers as there were
    profile_args=(--profile cluster)
    scale_args=(--scale "worker=$workers")
    services+=(worker)
  fi
  echo "== docker compose: rebuilding the backend image, new containers for ${services[*]}, then nginx"
  qlf_compose build backend  # the one image of backend, daemon and worker
  qlf_compose "${profile_args[@]}" up -d --no-build --no-deps --force-recreate "${scale_args[@]}" "${services[@]}"
  qlf_compose_wait_healthy backend 300  # migrated and serving before nginx sends it requests
  qlf_compose up -d --no-build --no-deps --force-recreate nginx
  exit 0
fi
./stop.sh server
exec ./start.sh --no-build
