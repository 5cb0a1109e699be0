#!/usr/bin/env bash
# Restart the backend and the pipeline daemon after a code change: the embedded server (which
# runs the daemon) or, when ./start.sh --docker is running, the compose services backend and
# daemon. The demo instrument and the web application's build are left as they are.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/env.sh
qlf_load_config
source docker/compose.sh
if [ -f "$COMPOSE_MARK" ]; then
  qlf_compose restart backend daemon
  exit 0
fi
./stop.sh server
exec ./start.sh --no-build
