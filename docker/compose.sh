# The compose deployment's shell helpers, sourced by start.sh, stop.sh and restartBackend.sh after
# scripts/env.sh: docker-compose.yml at the repository root, its secrets in .env (./configure.sh).
COMPOSE_FILE_PATH="$ROOT/docker-compose.yml"
COMPOSE_MARK="$ROOT/var/run/compose"  # present while the deployment ./start.sh --docker started runs

qlf_compose() {  # docker compose (v2 plugin) or docker-compose (v1), with the project's files
  if docker compose version >/dev/null 2>&1; then
    docker compose --project-directory "$ROOT" -f "$COMPOSE_FILE_PATH" "$@"
  else
    docker-compose --project-directory "$ROOT" -f "$COMPOSE_FILE_PATH" "$@"
  fi
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
