#!/usr/bin/env bash
# Write QLF's configuration, check it, and write .env for docker compose.
#
#   ./configure.sh                         asks for each setting (Enter keeps the value shown)
#   ./configure.sh --data-dir /data/raw --calib-dir /data/calib --yes     no questions
#   ./configure.sh --check                 only check the configuration already written
#
# Options (each also asked for when interactive):
#   --data-dir DIR        raw exposures, {NIGHT}/{EXPID}/desi-*.fits.fz; empty: the demo night
#   --calib-dir DIR       calibration (psf, fiberflat, ccd files per camera); needed with --data-dir
#   --scratch-dir DIR     where QA JSON and logs are written (created if missing)
#   --specs-dir DIR       thresholds (default: the shipped backend/specs/desi)
#   --arms LIST           cameras' arms, some of b,r,z                    (QLF_ARMS)
#   --spectrographs LIST  0-9, or 0,3,5                                   (QLF_SPECTROGRAPHS)
#   --executor NAME       local (a process pool) or celery (needs Redis)  (QLF_EXECUTOR)
#   --workers N           camera jobs at once (default: the cores)        (QLF_WORKERS)
#   --host ADDR --port N  where ./start.sh's server listens (127.0.0.1:8000)
#   --http-port N         the port nginx publishes under docker compose (8080)
#   --server-name NAME    the host name browsers use (added to QLF_ALLOWED_HOSTS)
#   --database-url URL    e.g. postgres://user:pw@host:5432/qlf (default: SQLite under var/)
#   --redis-url URL       e.g. redis://host:6379/0 (default: none, embedded)
#   --config FILE         the file written (default ./qlf.env, or QLF_CONFIG)
#   --env-file FILE       compose's file of secrets (default ./.env); its secrets are kept
#   --yes                 no questions: flags, else the current file's values, else defaults
#
# Notifications of ALARMs not acknowledged in time (docs/operations.md); none unless given:
#   --notify-after-s S    notify an ALARM unacknowledged this long (default 600)  (QLF_NOTIFY_AFTER_S)
#   --smtp-host HOST --smtp-port N   the mail server (port 25; 587 starttls, 465 ssl)
#   --smtp-user NAME --smtp-password-file FILE   SMTP login (the file holds the password)
#   --smtp-from ADDR --smtp-to ADDR,ADDR         sender and recipients
#   --webhook-url URL     a Slack or Mattermost incoming webhook                 (QLF_WEBHOOK_URL)
#   --public-url URL      the address browsers use, for acknowledge links        (QLF_PUBLIC_URL)
set -euo pipefail
cd "$(dirname "$0")"
ROOT="$PWD"
source scripts/compose.sh
CONFIG="${QLF_CONFIG:-$ROOT/qlf.env}"
ENV_FILE="$ROOT/.env"
KEYS=(QLF_DATA_DIR QLF_CALIB_DIR QLF_SCRATCH_DIR QLF_SPECS_DIR QLF_ARMS QLF_SPECTROGRAPHS
  QLF_EXECUTOR QLF_WORKERS QLF_HOST QLF_PORT QLF_HTTP_PORT QLF_SERVER_NAME DATABASE_URL REDIS_URL)
# ---- notifications (issue 21): their keys are options, questions and lines of qlf.env like the rest
NOTIFY_KEYS=(QLF_NOTIFY_AFTER_S QLF_SMTP_HOST QLF_SMTP_PORT QLF_SMTP_USER QLF_SMTP_PASSWORD_FILE
  QLF_SMTP_FROM QLF_SMTP_TO QLF_WEBHOOK_URL QLF_PUBLIC_URL)
KEYS+=("${NOTIFY_KEYS[@]}")
# ---- end of notifications
declare -A given=() value=()
yes=0
check_only=0

while [ $# -gt 0 ]; do
  case "$1" in
    --yes | -y) yes=1; shift ;;
    --check) check_only=1; shift ;;
    --config) CONFIG="$2"; shift 2 ;;
    --env-file) ENV_FILE="$2"; shift 2 ;;
    -h | --help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
    --*=*) set -- "${1%%=*}" "${1#*=}" "${@:2}" ;;
    --*)
      [ $# -ge 2 ] || { echo "$1 needs a value (see ./configure.sh --help)" >&2; exit 2; }
      key="$(echo "${1#--}" | tr 'a-z-' 'A-Z_')"
      case "$key" in
        DATABASE_URL | REDIS_URL) ;;
        *) key="QLF_$key" ;;
      esac
      if [[ " ${KEYS[*]} " != *" $key "* ]]; then echo "unknown option: $1 (see ./configure.sh --help)" >&2; exit 2; fi
      given[$key]="$2"
      shift 2
      ;;
    *) echo "unknown argument: $1 (see ./configure.sh --help)" >&2; exit 2 ;;
  esac
done

read_file() { # FILE KEY: the value of KEY in FILE (empty if absent)
  [ -f "$1" ] && sed -n "s/^$2=//p" "$1" | tail -n 1 | sed -e 's/^"\(.*\)"$/\1/' || true
}

# Current values: flags, else the existing file, else defaults.
declare -A default=(
  [QLF_ARMS]=b,r,z [QLF_SPECTROGRAPHS]=0-9 [QLF_EXECUTOR]=local [QLF_WORKERS]="$(nproc 2>/dev/null || echo 2)"
  [QLF_HOST]=127.0.0.1 [QLF_PORT]=8000 [QLF_HTTP_PORT]=8080 [QLF_SERVER_NAME]=localhost
)
for key in "${KEYS[@]}"; do
  current="$(read_file "$CONFIG" "$key")"
  value[$key]="${given[$key]-${current:-${default[$key]:-}}}"
done

declare -A question=(
  [QLF_DATA_DIR]="Raw data directory (empty: a simulated demo night under var/data)"
  [QLF_CALIB_DIR]="Calibration directory (psf, fiberflat, ccd files per camera)"
  [QLF_SCRATCH_DIR]="Scratch directory for QA results and logs (empty: var/scratch)"
  [QLF_SPECS_DIR]="Thresholds directory (empty: the shipped backend/specs/desi)"
  [QLF_ARMS]="Arms (some of b,r,z)"
  [QLF_SPECTROGRAPHS]="Spectrographs (0-9, or a list like 0,3,5)"
  [QLF_EXECUTOR]="Executor: local (process pool) or celery (workers on other nodes, needs Redis)"
  [QLF_WORKERS]="Camera jobs at once"
  [QLF_HOST]="./start.sh server address (0.0.0.0: every interface)"
  [QLF_PORT]="./start.sh server port"
  [QLF_HTTP_PORT]="docker compose: the port nginx publishes"
  [QLF_SERVER_NAME]="The host name browsers will use"
  [DATABASE_URL]="Database URL (empty: SQLite under var/)"
  [REDIS_URL]="Redis URL (empty: none; needed by the celery executor)"
)
# ---- notifications (issue 21): questions
question+=(
  [QLF_NOTIFY_AFTER_S]="Notify ALARMs unacknowledged for this many seconds (empty: 600)"
  [QLF_SMTP_HOST]="Mail server for notifications (empty: no e-mail)"
  [QLF_SMTP_PORT]="Mail server port (empty: 25; 587 starttls, 465 ssl)"
  [QLF_SMTP_USER]="Mail server user (empty: no login)"
  [QLF_SMTP_PASSWORD_FILE]="File holding the mail server password"
  [QLF_SMTP_FROM]="Sender address of notifications"
  [QLF_SMTP_TO]="Recipients of notifications, comma-separated"
  [QLF_WEBHOOK_URL]="Slack/Mattermost incoming webhook URL (empty: none)"
  [QLF_PUBLIC_URL]="Address browsers use, for acknowledge links (https://qlf.example.org)"
)
# ---- end of notifications

if [ "$check_only" = 0 ] && [ "$yes" = 0 ]; then
  if [ ! -t 0 ]; then
    echo "No terminal to ask on: give the settings as options with --yes (see ./configure.sh --help)." >&2
    exit 2
  fi
  echo "QLF configuration ($CONFIG). Enter keeps the value in brackets; '-' empties it."
  for key in "${KEYS[@]}"; do
    [ -z "${given[$key]+x}" ] || continue # given as an option: not asked
    read -r -p "${question[$key]} [${value[$key]}]: " answer
    case "$answer" in
      "") ;;
      -) value[$key]="" ;;
      *) value[$key]="$answer" ;;
    esac
  done
fi

# ---- checks: every problem is listed, then the script fails if there was one
problems=0
problem() { echo "  ✗ $*" >&2; problems=$((problems + 1)); }
ok() { echo "  ✓ $*"; }
absolute() { [ -z "$1" ] || (cd "$ROOT" && realpath -m -- "$1"); }
for key in QLF_DATA_DIR QLF_CALIB_DIR QLF_SCRATCH_DIR QLF_SPECS_DIR; do value[$key]="$(absolute "${value[$key]}")"; done

echo "== checking"
readable_dir() { # KEY what
  local dir="${value[$1]}"
  if [ ! -d "$dir" ]; then problem "$2 $dir does not exist ($1)"
  elif [ ! -r "$dir" ] || [ ! -x "$dir" ]; then problem "$2 $dir is not readable ($1)"
  else ok "$2 $dir"; fi
}
if [ -n "${value[QLF_DATA_DIR]}" ]; then
  readable_dir QLF_DATA_DIR "raw data directory"
  if [ -z "${value[QLF_CALIB_DIR]}" ]; then problem "a raw data directory needs a calibration directory (QLF_CALIB_DIR)"
  else readable_dir QLF_CALIB_DIR "calibration directory"; fi
else
  ok "no raw data directory: ./start.sh simulates a demo night under var/data"
fi
if [ -n "${value[QLF_SCRATCH_DIR]}" ]; then
  dir="${value[QLF_SCRATCH_DIR]}"
  if ! mkdir -p "$dir" 2>/dev/null; then problem "scratch directory $dir cannot be created"
  elif [ ! -w "$dir" ]; then problem "scratch directory $dir is not writable"
  else ok "scratch directory $dir (writable)"; fi
  if [ -d "$dir" ] && ! qlf_container_writable "$dir"; then
    echo "  ! docker compose: the containers' user (uid $QLF_CONTAINER_UID) cannot write to $dir;"
    echo "    ./start.sh --docker refuses it until: chown $QLF_CONTAINER_UID:$QLF_CONTAINER_UID $dir (or chmod o+wx $dir)"
  fi
fi
[ -z "${value[QLF_SPECS_DIR]}" ] || readable_dir QLF_SPECS_DIR "thresholds directory"

if [[ ! "${value[QLF_ARMS]}" =~ ^[brz](,[brz])*$ ]]; then problem "arms must list some of b,r,z (got '${value[QLF_ARMS]}')"; fi
if [[ ! "${value[QLF_SPECTROGRAPHS]}" =~ ^([0-9](-[0-9])?)(,[0-9](-[0-9])?)*$ ]]; then
  problem "spectrographs must be like 0-9 or 0,3,5 (got '${value[QLF_SPECTROGRAPHS]}')"
fi
case "${value[QLF_EXECUTOR]}" in
  local) ;;
  celery)
    if [ -z "${value[REDIS_URL]}" ]; then
      echo "  ! the celery executor needs Redis: ./start.sh needs --redis-url (docker compose has its own)"
    fi
    ;;
  *) problem "executor must be local or celery (got '${value[QLF_EXECUTOR]}')" ;;
esac
if [[ ! "${value[QLF_WORKERS]}" =~ ^[1-9][0-9]*$ ]]; then problem "workers must be a positive number (got '${value[QLF_WORKERS]}')"; fi

port_free() { # HOST PORT: 0 when nothing listens there (a running QLF of this checkout counts as free)
  local url
  url="$(cat "$ROOT/var/run/server.url" 2>/dev/null || true)"
  if [ -n "$url" ] && [[ "$url" == *":$2/" ]] && [ -f "$ROOT/var/run/server.pid" ] && kill -0 "$(cat "$ROOT/var/run/server.pid")" 2>/dev/null; then
    return 0
  fi
  if [ "$1" = 0.0.0.0 ] && [ "$(qlf_compose_http_port)" = "$2" ]; then
    return 0  # the nginx of this checkout's compose deployment
  fi
  python3 -c "import socket, sys; s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind((sys.argv[1], int(sys.argv[2])))" "$1" "$2" 2>/dev/null
}
for key in QLF_PORT QLF_HTTP_PORT; do
  port="${value[$key]}"
  if [[ ! "$port" =~ ^[0-9]+$ ]] || [ "$port" -lt 1 ] || [ "$port" -gt 65535 ]; then problem "$key must be a port number (got '$port')"
  elif [ "$key" = QLF_PORT ] && ! port_free "${value[QLF_HOST]}" "$port"; then problem "port $port on ${value[QLF_HOST]} is taken by another program ($key)"
  elif [ "$key" = QLF_HTTP_PORT ] && ! port_free 0.0.0.0 "$port"; then problem "port $port is taken by another program ($key)"
  else ok "$key $port is free"; fi
done

python="$ROOT/.venv/bin/python"
[ -x "$python" ] || python=python3
url="${value[DATABASE_URL]}"
case "$url" in
  "") ok "database: SQLite under var/ (embedded)" ;;
  postgres://* | postgresql://*)
    if ! "$python" -c 'import psycopg' 2>/dev/null; then
      echo "  ? database $url not checked: psycopg is installed by ./start.sh (run it, then ./configure.sh --check)"
    elif err="$("$python" -c '
import sys, psycopg
try:
    psycopg.connect(sys.argv[1], connect_timeout=5).close()
except psycopg.Error as exc:
    sys.exit(str(exc).strip().splitlines()[0])' "$url" 2>&1)"; then
      ok "database reachable"
    else
      problem "database not reachable: $err"
    fi
    ;;
  sqlite:///*)
    dir="$(dirname "${url#sqlite://}")"
    if [ -d "$dir" ] && [ -w "$dir" ]; then ok "SQLite database in $dir"; else problem "SQLite database folder $dir is missing or not writable"; fi
    ;;
  *) problem "database URL must start with postgres://, postgresql:// or sqlite:/// (got '$url')" ;;
esac
if [ -n "${value[REDIS_URL]}" ]; then
  if err="$(python3 - "${value[REDIS_URL]}" 2>&1 <<'EOF'
import socket, sys
from urllib.parse import urlsplit
url = urlsplit(sys.argv[1])
if url.scheme not in ("redis", "rediss"):
    sys.exit(f"Redis URL must start with redis:// (got {sys.argv[1]!r})")
with socket.create_connection((url.hostname or "127.0.0.1", url.port or 6379), timeout=5) as s:
    s.sendall(b"PING\r\n")
    answer = s.recv(64)
if not (answer.startswith(b"+PONG") or answer.startswith(b"-NOAUTH")):
    sys.exit(f"no Redis at {sys.argv[1]}: {answer!r}")
EOF
  )"; then ok "Redis reachable"; else problem "Redis not reachable: ${err##*$'\n'}"; fi
fi

# ---- notifications (issue 21): checks; a test message is never sent from here
value[QLF_SMTP_PASSWORD_FILE]="$(absolute "${value[QLF_SMTP_PASSWORD_FILE]}")"
for key in QLF_NOTIFY_AFTER_S QLF_SMTP_PORT; do
  if [ -n "${value[$key]}" ] && [[ ! "${value[$key]}" =~ ^[0-9]+$ ]]; then problem "$key must be a whole number (got '${value[$key]}')"; fi
done
for key in QLF_WEBHOOK_URL QLF_PUBLIC_URL; do
  if [ -n "${value[$key]}" ] && [[ ! "${value[$key]}" =~ ^https?://[^[:space:]]+$ ]]; then problem "$key must be an http(s) URL"; fi
done
if [ -n "${value[QLF_SMTP_HOST]}" ]; then
  if [ -z "${value[QLF_SMTP_TO]}" ]; then problem "e-mail notifications need recipients (--smtp-to)"; fi
  if [ -n "${value[QLF_SMTP_USER]}" ] && [ ! -r "${value[QLF_SMTP_PASSWORD_FILE]}" ]; then
    problem "an SMTP user needs a readable password file (--smtp-password-file)"
  fi
  if err="$(python3 - "${value[QLF_SMTP_HOST]}" "${value[QLF_SMTP_PORT]:-25}" 2>&1 <<'EOF'
import smtplib, sys
host, port = sys.argv[1], int(sys.argv[2])
make = smtplib.SMTP_SSL if port == 465 else smtplib.SMTP
with make(host, port, timeout=10) as smtp:
    smtp.ehlo()
EOF
  )"; then ok "mail server ${value[QLF_SMTP_HOST]}:${value[QLF_SMTP_PORT]:-25} answers"
  else problem "mail server ${value[QLF_SMTP_HOST]} not reachable: ${err##*$'\n'}"; fi
fi
if [ -n "${value[QLF_SMTP_HOST]}${value[QLF_WEBHOOK_URL]}" ]; then
  ok "notifications: ${value[QLF_SMTP_HOST]:+e-mail to ${value[QLF_SMTP_TO]}, }${value[QLF_WEBHOOK_URL]:+webhook, }after ${value[QLF_NOTIFY_AFTER_S]:-600} s"
  [ -n "${value[QLF_PUBLIC_URL]}" ] || echo "  ! no --public-url: the acknowledge links of notifications are relative"
  echo "  ? nothing was sent: .venv/bin/qlf notify-test sends a test message once QLF is installed"
else
  ok "notifications: none (nothing is sent off site)"
fi
# ---- end of notifications

if [ "$problems" -gt 0 ]; then
  echo "$problems problem(s): nothing written. Fix them, or give other values (./configure.sh --help)." >&2
  exit 1
fi
[ "$check_only" = 0 ] || { echo "The configuration $CONFIG is good."; exit 0; }

# ---- qlf.env: what ./start.sh and qlf read (private: it may hold a database password)
umask 077
{
  echo "# QLF configuration, written by ./configure.sh on $(date -u +%Y-%m-%dT%H:%MZ); read by ./start.sh and qlf."
  echo "# KEY=value lines; the environment overrides them. See docs/configuration.md."
  for key in "${KEYS[@]}"; do
    if [ -n "${value[$key]}" ]; then echo "$key=${value[$key]}"; fi
  done
  echo "QLF_ALLOWED_HOSTS=localhost,127.0.0.1,[::1],${value[QLF_SERVER_NAME]}"
} >"$CONFIG.tmp"
chmod 600 "$CONFIG.tmp"
mv "$CONFIG.tmp" "$CONFIG"
echo "== wrote $CONFIG"

# ---- .env: docker compose's settings and secrets. Secrets already there are kept (the database
# volume was made with that password); new ones are random, never a default.
secret() { # KEY BYTES: the current secret of KEY, or a new one (hex: safe in URLs and in .env)
  local current
  current="$(read_file "$ENV_FILE" "$1")"
  if [ -n "$current" ]; then echo "$current"; else python3 -c "import secrets, sys; print(secrets.token_hex(int(sys.argv[1])))" "$2"; fi
}
postgres_password="$(secret POSTGRES_PASSWORD 24)"
secret_key="$(secret QLF_SECRET_KEY 40)"
hmac_key="$(secret QLF_PYRO_HMAC_KEY 32)"
specs="${value[QLF_SPECS_DIR]}"
{
  echo "# docker compose settings and secrets, written by ./configure.sh on $(date -u +%Y-%m-%dT%H:%MZ)."
  echo "# Private (mode 600): never commit it. Re-running ./configure.sh keeps the secrets."
  echo "COMPOSE_PROJECT_NAME=qlf"
  echo "QLF_HTTP_PORT=${value[QLF_HTTP_PORT]}"
  echo "QLF_ALLOWED_HOSTS=localhost,127.0.0.1,[::1],${value[QLF_SERVER_NAME]}"
  # The site's folders are mounted into the containers (else: named volumes).
  [ -z "${value[QLF_DATA_DIR]}" ] || echo "QLF_DATA_SOURCE=${value[QLF_DATA_DIR]}"
  [ -z "${value[QLF_CALIB_DIR]}" ] || echo "QLF_CALIB_SOURCE=${value[QLF_CALIB_DIR]}"
  [ -z "${value[QLF_SCRATCH_DIR]}" ] || echo "QLF_SCRATCH_SOURCE=${value[QLF_SCRATCH_DIR]}"
  case "$specs" in
    "$ROOT"/backend/specs/*) echo "QLF_SPECS_DIR=/app/backend/specs/${specs#"$ROOT"/backend/specs/}" ;;
    "") ;;
    *) echo "# QLF_SPECS_DIR $specs is outside the image: the containers use the shipped thresholds" ;;
  esac
  for key in QLF_ARMS QLF_SPECTROGRAPHS QLF_EXECUTOR QLF_WORKERS; do echo "$key=${value[$key]}"; done
  # notifications (issue 21); a password file must be mounted into the daemon container
  for key in "${NOTIFY_KEYS[@]}"; do [ -z "${value[$key]}" ] || echo "$key=${value[$key]}"; done
  echo "POSTGRES_PASSWORD=$postgres_password"
  echo "QLF_SECRET_KEY=$secret_key"
  echo "QLF_PYRO_HMAC_KEY=$hmac_key"
} >"$ENV_FILE.tmp"
chmod 600 "$ENV_FILE.tmp"
mv "$ENV_FILE.tmp" "$ENV_FILE"
echo "== wrote $ENV_FILE (docker compose; generated secrets, mode 600)"
echo "Next: ./start.sh (embedded) or ./start.sh --docker"
