# The compose deployment's shell helpers, sourced by start.sh, stop.sh and restartBackend.sh after
# scripts/env.sh: docker-compose.yml at the repository root, its settings and secrets in .env
# (./configure.sh). What runs is asked of compose itself, never remembered in a file.
COMPOSE_FILE_PATH="$ROOT/docker-compose.yml"

qlf_compose() {  # docker compose (v2 plugin) or docker-compose (v1), with the project's files
  if docker compose version >/dev/null 2>&1; then
    docker compose --project-directory "$ROOT" -f "$COMPOSE_FILE_PATH" "$@"
  else
    docker-compose --project-directory "$ROOT" -f "$COMPOSE_FILE_PATH" "$@"
  fi
}

qlf_compose_installed() {  # a compose client is installed and .env written: a deployment may exist
  [ -f "$ROOT/.env" ] || return 1
  command -v docker-compose >/dev/null 2>&1 ||
    { command -v docker >/dev/null 2>&1 && docker compose version >/dev/null 2>&1; }
}

qlf_compose_services() {  # the services with a running container (every profile), one a line
  qlf_compose_installed || return 0
  qlf_compose --profile cluster ps --services --filter status=running 2>/dev/null | sort -u
}

qlf_compose_running() {  # 0 when a container of the deployment runs
  [ -n "$(qlf_compose_services)" ]
}

qlf_compose_executor() {  # QLF_EXECUTOR of .env (local when unset)
  local executor
  executor="$(sed -n 's/^QLF_EXECUTOR=//p' "$ROOT/.env" 2>/dev/null | tail -n 1)"
  echo "${executor:-local}"
}

qlf_compose_workers() {  # how many worker containers run now
  qlf_compose --profile cluster ps -q worker 2>/dev/null | grep -c . || true
}

qlf_compose_check() {  # docker and compose installed, the engine answering, .env written
  if ! command -v docker >/dev/null 2>&1; then
    echo "./start.sh --docker needs Docker with the compose plugin (https://docs.docker.com/engine/install/);" >&2
    echo "without it, ./start.sh runs QLF embedded (no other services)." >&2
    return 1
  fi
  if ! docker compose version >/dev/null 2>&1 && ! command -v docker-compose >/dev/null 2>&1; then
    echo "Docker is installed but not its compose plugin: install docker-compose-plugin (or docker-compose)." >&2
    return 1
  fi
  if ! docker info >/dev/null 2>&1; then
    echo "The Docker engine does not answer (is it running, and may this user use it?): docker info" >&2
    return 1
  fi
  if [ ! -f "$ROOT/.env" ]; then
    echo "No .env: run ./configure.sh first (it writes .env with generated secrets for docker compose)." >&2
    return 1
  fi
}

QLF_CONTAINER_UID=10001  # the containers' user and group (backend/Dockerfile)

qlf_container_writable() {  # DIR: 0 when the containers' user may write in DIR (owner, group or other)
  local uid gid mode
  read -r uid gid mode < <(stat -L -c '%u %g %a' "$1" 2>/dev/null) || return 1
  mode=$((8#$mode))
  { [ "$uid" = "$QLF_CONTAINER_UID" ] && [ $((mode & 8#300)) = $((8#300)) ]; } ||
    { [ "$gid" = "$QLF_CONTAINER_UID" ] && [ $((mode & 8#030)) = $((8#030)) ]; } ||
    [ $((mode & 8#003)) = $((8#003)) ]
}

qlf_compose_http_port() {  # the host port nginx of this checkout's running deployment publishes
  qlf_compose_installed || return 0
  qlf_compose port nginx 80 2>/dev/null | sed -n 's/.*:\([0-9][0-9]*\)$/\1/p' | head -n 1
}

qlf_compose_wait_healthy() {  # SERVICE SECONDS: wait until every container of SERVICE is healthy
  local service="$1" deadline=$((SECONDS + $2)) ids states
  while :; do
    ids="$(qlf_compose --profile cluster ps -q "$service" 2>/dev/null)"
    states="$(for id in $ids; do docker inspect -f '{{.State.Health.Status}}' "$id" 2>/dev/null; done | sort -u)"
    [ -n "$ids" ] && [ "$states" = healthy ] && return 0
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "$service is not healthy after $2 s (${states:-no container}): docker compose logs $service" >&2
      return 1
    fi
    sleep 2
  done
}

qlf_container_engine() {  # an engine for the compose end-to-end test: the one answering, else
  # podman prepared by ../shared/tools/containers/setup.sh (root only; it exports DOCKER_HOST)
  local setup="$ROOT/../shared/tools/containers/setup.sh" exports
  if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then return 0; fi
  if [ -x "$setup" ] || [ -f "$setup" ]; then
    if [ "$(id -u)" != 0 ]; then
      echo "   no container engine answers, and $setup needs root" >&2
      return 1
    fi
    echo "   no container engine answers: preparing podman with $setup"
    exports="$(bash "$setup")" || { echo "   $setup failed" >&2; return 1; }
    eval "$exports"
    return 0
  fi
  echo "   no container engine answers (docker info), and no $setup to prepare one" >&2
  return 1
}
