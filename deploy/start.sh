#!/usr/bin/env bash
# Two LoanHub instances on one local PostgreSQL cluster, behind nginx at http://127.0.0.1:8080 (see deploy/README.md).
#   deploy/start.sh          # install what is missing, start (or keep) PostgreSQL, both instances and nginx
#   deploy/start.sh stop     # stop nginx, both instances and PostgreSQL; the state folder is kept
#   deploy/start.sh status   # what is running
#   deploy/start.sh code     # the admin's current authenticator code
# Everything it makes is in the state folder: deploy/.state, or $LOANHUB_DEPLOY_STATE. Delete that folder (after a
# stop) to start again from an empty database. Other settings:
#   LOANHUB_DEPLOY_PG_PORT   the first loopback port tried for PostgreSQL (55499; the next free one is taken)
#   LOANHUB_DEPLOY_TOGETHER  1: start both instances at once, instead of A, then B once A is healthy
#   LOANHUB_DEPLOY_TIMEOUT   seconds to wait for each /healthz (600: the first start migrates and seeds the demo data)
#   LOANHUB_DEPLOY_REBUILD   1: publish the app again even when no source changed since the last publish
set -euo pipefail

deploy_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_dir="$(dirname "$deploy_dir")"
state="${LOANHUB_DEPLOY_STATE:-$deploy_dir/.state}"
timeout="${LOANHUB_DEPLOY_TIMEOUT:-600}"
proxy_url="http://127.0.0.1:8080"
instances=(a b)

say() { printf '%s\n' "$*"; }
die() { printf 'deploy/start.sh: %s\n' "$*" >&2; exit 1; }

sudo_cmd=()
[ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)

# shellcheck disable=SC2012 # the folders are Debian's version numbers
postgres_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

# Something (ours or not) accepts connections on this loopback port.
port_taken() { (echo >"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# A process from a pid file that is still the program it was (a pid can be reused once it ended).
alive() { # pidfile pattern
  local pid command
  [ -f "$1" ] || return 1
  pid="$(cat "$1")"
  [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
  command="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
  [[ "$command" == *"$2"* ]]
}

# Ends a process from a pid file: TERM, then KILL after the grace period.
end_process() { # pidfile pattern grace-seconds what
  local pid i
  if alive "$1" "$2"; then
    pid="$(cat "$1")"
    say "Stopping $4 (pid $pid)..."
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < $3 * 10; i++)); do
      alive "$1" "$2" || break
      sleep 0.1
    done
    if alive "$1" "$2"; then
      say "  $4 did not stop within $3 s; killing it."
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$1"
}

install_missing() {
  local packages=()
  command -v nginx >/dev/null 2>&1 || packages+=(nginx)
  [ -n "$(postgres_bin)" ] || packages+=(postgresql)
  command -v openssl >/dev/null 2>&1 || packages+=(openssl)
  command -v curl >/dev/null 2>&1 || packages+=(curl)
  command -v runuser >/dev/null 2>&1 || packages+=(util-linux)
  [ ${#packages[@]} -eq 0 ] && return 0
  say "Installing ${packages[*]} with apt-get..."
  # The package lists are refreshed only when an install cannot find what it needs without them.
  if ! DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${packages[@]}" >/dev/null 2>&1; then
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${packages[@]}" >/dev/null
  fi
}

# --- the state folder and its secrets -------------------------------------------------------------------------------

prepare_state() {
  mkdir -p "$state"
  state="$(cd "$state" && pwd)"
  mkdir -p "$state/logs" "$state/run"
}

# Hex digits only (128 bits), so they need no quoting in a connection string, SQL or an env file.
random_password() { openssl rand -hex 16; }

load_secrets() {
  local secrets="$state/secrets.env"
  if [ ! -f "$secrets" ]; then
    (
      umask 077
      {
        echo "# Made by deploy/start.sh for this state folder. Keep it secret; deleting it makes the folder unusable."
        echo "PG_SUPERUSER_PASSWORD=$(random_password)"
        echo "PG_PASSWORD=$(random_password)"
        echo "CERT_PASSWORD=$(random_password)"
        echo "ADMIN_PASSWORD=$(random_password)"
        # 20 random bytes are 32 base32 characters, without padding.
        echo "ADMIN_TOTP_SECRET=$(openssl rand 20 | base32 | tr -d '=\n')"
      } >"$secrets.tmp"
      mv "$secrets.tmp" "$secrets"
    )
  fi
  # shellcheck disable=SC1090
  . "$secrets"
}

# --- the key ring's certificate -------------------------------------------------------------------------------------

make_certificate() {
  local dir="$state/certificate" work
  mkdir -p "$dir"
  chmod 700 "$dir"
  [ -f "$dir/keyring.pfx" ] && return 0
  # The ring itself is in the database: a cluster that holds one needs the certificate it was encrypted to.
  if [ -d "$state/postgres/data" ]; then
    die "$state/postgres holds a store whose key ring $dir/keyring.pfx encrypted, and the certificate is gone: restore it (a new one cannot read the ring)."
  fi
  say "Making a self-signed certificate for the key ring..."
  work="$(mktemp -d)"
  openssl req -x509 -newkey rsa:3072 -sha256 -days 3650 -nodes -subj "/CN=LoanHub key ring" \
    -keyout "$work/keyring.key" -out "$work/keyring.crt" 2>/dev/null
  openssl pkcs12 -export -inkey "$work/keyring.key" -in "$work/keyring.crt" -out "$dir/keyring.pfx.tmp" \
    -passout "pass:$CERT_PASSWORD"
  shred -u "$work/keyring.key"
  rm -rf "$work"
  mv "$dir/keyring.pfx.tmp" "$dir/keyring.pfx"
  chmod 600 "$dir/keyring.pfx"
}

# --- PostgreSQL -----------------------------------------------------------------------------------------------------

pg_dir() { echo "$state/postgres"; }

# initdb and the server refuse to run as root: as root the cluster belongs to the postgres user the package made.
pg_as() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_running() { [ -d "$(pg_dir)/data" ] && pg_as "$(postgres_bin)/pg_ctl" -D "$(pg_dir)/data" status >/dev/null 2>&1; }

# The running cluster's port: the fourth line of postmaster.pid.
pg_port_running() { sed -n 4p "$(pg_dir)/data/postmaster.pid"; }

start_postgres() {
  local bin dir port pwfile
  bin="$(postgres_bin)"
  dir="$(pg_dir)"
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
  pg_as test -x "$dir" || die "the postgres user cannot reach $dir: put the state folder where it can (LOANHUB_DEPLOY_STATE=/var/lib/loanhub-deploy)."

  if [ ! -f "$dir/data/PG_VERSION" ]; then
    say "Creating a PostgreSQL cluster in $dir/data..."
    pwfile="$dir/superuser.pw"
    (umask 077 && printf '%s\n' "$PG_SUPERUSER_PASSWORD" >"$pwfile")
    [ "$(id -u)" -eq 0 ] && chown postgres: "$pwfile"
    pg_as "$bin/initdb" -D "$dir/data" -U postgres --auth=scram-sha-256 --pwfile="$pwfile" -E UTF8 --no-locale \
      --data-checksums >"$dir/initdb.log"
    rm -f "$pwfile"
    # Loopback TCP only (no Unix socket to place), and durable: a commit is on disk before the app answers 201.
    pg_as tee -a "$dir/data/postgresql.conf" >/dev/null <<'CONF'

# deploy/start.sh
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
fsync = on
synchronous_commit = on
full_page_writes = on
max_connections = 200
CONF
  fi

  if pg_running; then
    PG_PORT="$(pg_port_running)"
    say "PostgreSQL is running on 127.0.0.1:$PG_PORT."
  else
    port="${LOANHUB_DEPLOY_PG_PORT:-55499}"
    while port_taken "$port"; do port=$((port + 1)); done
    say "Starting PostgreSQL on 127.0.0.1:$port..."
    pg_as "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o "-p $port" start >/dev/null \
      || { tail -n 20 "$dir/server.log" >&2; die "PostgreSQL did not start (log: $dir/server.log)."; }
    PG_PORT="$port"
  fi
  [ "$(psql_super -c 'SHOW synchronous_commit')" = "on" ] || die "PostgreSQL runs without synchronous_commit=on."

  # The application's role may use its database, nothing more (no superuser, no CREATEDB).
  if [ -z "$(psql_super -c "SELECT 1 FROM pg_roles WHERE rolname = 'loanhub'")" ]; then
    psql_super -c "CREATE ROLE loanhub LOGIN PASSWORD '$PG_PASSWORD'"
  fi
  if [ -z "$(psql_super -c "SELECT 1 FROM pg_database WHERE datname = 'loanhub'")" ]; then
    psql_super -c "CREATE DATABASE loanhub OWNER loanhub"
  fi
}

# The cluster's superuser over loopback TCP (the cluster has no Unix socket); the password stays out of ps.
psql_super() { PGPASSWORD="$PG_SUPERUSER_PASSWORD" "$(postgres_bin)/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -Atq "$@"; }

stop_postgres() {
  if pg_running; then
    say "Stopping PostgreSQL (port $(pg_port_running))..."
    pg_as "$(postgres_bin)/pg_ctl" -D "$(pg_dir)/data" -m fast -w -t 60 stop >/dev/null
  fi
}

# --- the application ------------------------------------------------------------------------------------------------

app_dir() { echo "$state/app"; }

# A publish is needed when there is none, or a source the app is built from changed since the last one.
needs_publish() {
  local stamp
  stamp="$(app_dir)/.published"
  [ "${LOANHUB_DEPLOY_REBUILD:-0}" = "1" ] && return 0
  [ -f "$(app_dir)/LoanHub.Web.dll" ] && [ -f "$stamp" ] || return 0
  [ -n "$(find "$repo_dir/LoanHub.Web" "$repo_dir/LoanHub.Core" "$repo_dir/Directory.Build.props" \
    "$repo_dir/Directory.Packages.props" -newer "$stamp" -type f \
    -not -path '*/bin/*' -not -path '*/obj/*' -not -path '*/data/*' -print -quit)" ]
}

publish() {
  command -v dotnet >/dev/null 2>&1 || die "the .NET 10 SDK is required (https://dot.net)."
  say "Publishing LoanHub.Web (Release) to $(app_dir)..."
  rm -rf "$(app_dir)"
  if ! dotnet publish "$repo_dir/LoanHub.Web/LoanHub.Web.csproj" -c Release -o "$(app_dir)" --nologo \
    >"$state/logs/publish.log" 2>&1; then
    tail -n 30 "$state/logs/publish.log" >&2
    die "the publish failed (log: $state/logs/publish.log)."
  fi
  touch "$(app_dir)/.published"
}

# The instance's environment: its env file with the ${…} names filled in, into the array env_vars.
# shellcheck disable=SC2016 # the '${NAME}' patterns are meant literally
read_env() { # name
  local file="$deploy_dir/instance-$1.env" line key value
  [ -f "$file" ] || die "$file is missing."
  env_vars=()
  while IFS= read -r line || [ -n "$line" ]; do
    line="${line%$'\r'}"
    [[ "$line" =~ ^[[:space:]]*(#|$) ]] && continue
    [[ "$line" =~ ^[A-Za-z_][A-Za-z0-9_]*= ]] || die "$file: not a KEY=VALUE line: $line"
    key="${line%%=*}"
    value="${line#*=}"
    value="${value//'${STATE}'/"$state"}"
    value="${value//'${PG_PORT}'/"$PG_PORT"}"
    value="${value//'${PG_PASSWORD}'/"$PG_PASSWORD"}"
    value="${value//'${CERT_PASSWORD}'/"$CERT_PASSWORD"}"
    value="${value//'${ADMIN_PASSWORD}'/"$ADMIN_PASSWORD"}"
    value="${value//'${ADMIN_TOTP_SECRET}'/"$ADMIN_TOTP_SECRET"}"
    [[ "$value" == *'${'* ]] && die "$file: $key names a \${…} that deploy/start.sh does not fill: $value"
    env_vars+=("$key=$value")
  done <"$file"
}

env_value() { # key: its value in env_vars
  local pair
  for pair in "${env_vars[@]}"; do
    [ "${pair%%=*}" = "$1" ] && { printf '%s' "${pair#*=}"; return 0; }
  done
  return 1
}

# Where the instance answers on loopback: the first of ASPNETCORE_URLS, a wildcard host read as 127.0.0.1.
instance_url() {
  local url
  url="$(env_value ASPNETCORE_URLS)" || die "instance-$1.env sets no ASPNETCORE_URLS."
  url="${url%%;*}"
  url="${url%/}"
  printf '%s' "$url" | sed -E 's#://(\*|\+|0\.0\.0\.0|\[::\])(:|$)#://127.0.0.1\2#'
}

instance_pidfile() { echo "$state/run/instance-$1.pid"; }

# Starts instance $1 unless it runs already with the same build and environment; leaves its URL in started_url.
start_instance() { # name republished
  local name="$1" pidfile log url port fingerprint
  pidfile="$(instance_pidfile "$name")"
  log="$state/logs/instance-$name.log"
  read_env "$name"
  url="$(instance_url "$name")"
  fingerprint="$( (printf '%s\n' "${env_vars[@]}"; cat "$(app_dir)/.published") | sha256sum | cut -d' ' -f1)"
  started_url="$url"

  if alive "$pidfile" LoanHub.Web.dll; then
    if [ "$2" = "0" ] && [ "$(cat "$state/run/instance-$name.env.sha256" 2>/dev/null)" = "$fingerprint" ]; then
      say "Instance $name is running (pid $(cat "$pidfile"), $url)."
      return 0
    fi
    end_process "$pidfile" LoanHub.Web.dll 30 "instance $name (its build or environment changed)"
  fi

  port="$(printf '%s' "$url" | sed -nE 's#.*:([0-9]+)$#\1#p')"
  if [ -n "$port" ] && port_taken "$port"; then
    die "port $port of instance $name is taken by another program (ss -ltnp 'sport = :$port')."
  fi

  say "Starting instance $name at $url (log: $log)..."
  # A clean environment but for what dotnet itself needs: what the instance sees is its env file.
  local base=(PATH="$PATH" HOME="${HOME:-/root}" LANG=C.UTF-8)
  [ -n "${DOTNET_ROOT:-}" ] && base+=(DOTNET_ROOT="$DOTNET_ROOT")
  [ -n "${TMPDIR:-}" ] && base+=(TMPDIR="$TMPDIR")
  # The content root is the working directory: appsettings.json and scorecard.json are read from the app folder.
  # setsid: the instance outlives this script and its terminal; exec keeps the pid that is recorded.
  (cd "$(app_dir)" && exec setsid env -i "${base[@]}" "${env_vars[@]}" dotnet LoanHub.Web.dll >>"$log" 2>&1 </dev/null) &
  echo $! >"$pidfile"
  echo "$fingerprint" >"$state/run/instance-$name.env.sha256"
}

# Waits for a /healthz to answer 200; gives up when the process behind it ends or the time is out.
wait_healthy() { # url pidfile what log
  local i
  for ((i = 0; i < timeout; i++)); do
    if curl -fsS -m 5 -o /dev/null "$1/healthz" 2>/dev/null; then
      say "  $3 is healthy ($1/healthz)."
      return 0
    fi
    if [ -n "$2" ] && ! alive "$2" "${5:-LoanHub.Web.dll}"; then
      tail -n 40 "$4" >&2
      die "$3 ended before it was healthy (log: $4)."
    fi
    sleep 1
  done
  tail -n 40 "$4" >&2
  die "$3 was not healthy within $timeout s (log: $4)."
}

stop_instances() {
  local name
  for name in "${instances[@]}"; do
    end_process "$(instance_pidfile "$name")" LoanHub.Web.dll 30 "instance $name"
  done
}

# --- nginx ----------------------------------------------------------------------------------------------------------

nginx_prefix() { echo "$state/nginx"; }
# -e (nginx 1.19.5+) moves the log written before nginx.conf is read off the build's default, /var/log/nginx.
nginx_cmd() {
  local early=()
  nginx -h 2>&1 | grep -q -- '-e filename' && early=(-e logs/error.log)
  nginx -c "$deploy_dir/nginx.conf" -p "$(nginx_prefix)/" "${early[@]}" "$@"
}
nginx_pidfile() { echo "$(nginx_prefix)/logs/nginx.pid"; }

start_nginx() {
  mkdir -p "$(nginx_prefix)/logs" "$(nginx_prefix)/temp"
  nginx_cmd -t -q || die "nginx refuses $deploy_dir/nginx.conf."
  if alive "$(nginx_pidfile)" nginx; then
    say "Reloading nginx (pid $(cat "$(nginx_pidfile)"))..."
    nginx_cmd -s reload
  else
    port_taken 8080 && die "port 8080 is taken by another program (ss -ltnp 'sport = :8080')."
    say "Starting nginx at $proxy_url (logs: $(nginx_prefix)/logs)..."
    nginx_cmd
  fi
}

stop_nginx() {
  local i
  if alive "$(nginx_pidfile)" nginx; then
    say "Stopping nginx (pid $(cat "$(nginx_pidfile)"))..."
    nginx_cmd -s quit || true
    for ((i = 0; i < 100; i++)); do
      alive "$(nginx_pidfile)" nginx || break
      sleep 0.1
    done
    end_process "$(nginx_pidfile)" nginx 5 nginx
  fi
}

# --- the admin's authenticator code ---------------------------------------------------------------------------------

# RFC 6238 (SHA-1, 30 s, 6 digits), as authenticator apps compute it.
totp_code() { # base32-secret
  local key counter mac offset bin
  key="$(printf '%s' "$1" | base32 -d | od -An -v -tx1 | tr -d ' \n')"
  counter="$(printf '%016x' $(($(date +%s) / 30)))"
  mac="$(printf '%b' "$(printf '%s' "$counter" | sed 's/../\\x&/g')" \
    | openssl dgst -sha1 -mac HMAC -macopt "hexkey:$key" -binary | od -An -v -tx1 | tr -d ' \n')"
  offset=$((0x${mac:39:1} * 2))
  bin=$(((0x${mac:offset:8}) & 0x7fffffff))
  printf '%06d\n' $((bin % 1000000))
}

# --- commands -------------------------------------------------------------------------------------------------------

cmd_start() {
  local republished=0 name
  install_missing
  prepare_state
  load_secrets
  make_certificate
  start_postgres

  if needs_publish; then
    # A running instance would read half-replaced files: stop them first.
    stop_instances
    publish
    republished=1
  fi

  if [ "${LOANHUB_DEPLOY_TOGETHER:-0}" = "1" ]; then
    declare -A urls
    for name in "${instances[@]}"; do
      start_instance "$name" "$republished"
      urls[$name]="$started_url"
    done
    for name in "${instances[@]}"; do
      wait_healthy "${urls[$name]}" "$(instance_pidfile "$name")" "instance $name" "$state/logs/instance-$name.log"
    done
  else
    # One after the other: the first migrates and seeds (under an advisory lock), the next finds it all done.
    for name in "${instances[@]}"; do
      start_instance "$name" "$republished"
      wait_healthy "$started_url" "$(instance_pidfile "$name")" "instance $name" "$state/logs/instance-$name.log"
    done
  fi

  start_nginx
  wait_healthy "$proxy_url" "$(nginx_pidfile)" "nginx" "$(nginx_prefix)/logs/error.log" nginx

  local email urls_text=""
  for name in "${instances[@]}"; do
    read_env "$name"
    urls_text+="${urls_text:+, }$name $(instance_url "$name")"
  done
  email="$(env_value LoanHub__Seed__AdminEmail || echo admin@loanhub.local)"
  say ""
  say "LoanHub: $proxy_url  (instances: $urls_text; PostgreSQL 127.0.0.1:$PG_PORT)"
  say "Sign in as $email with password $ADMIN_PASSWORD"
  say "  and the authenticator code from: deploy/start.sh code   (now: $(totp_code "$ADMIN_TOTP_SECRET"))"
  say "  or add the key to an authenticator app: otpauth://totp/LoanHub:$email?secret=$ADMIN_TOTP_SECRET&issuer=LoanHub"
  say "Which instance served you: curl -sI $proxy_url/healthz | grep -i x-loanhub"
  say "Stop everything: deploy/start.sh stop"
}

cmd_stop() {
  [ -d "$state" ] || { say "Nothing to stop: no state folder at $state."; return 0; }
  state="$(cd "$state" && pwd)"
  stop_nginx
  stop_instances
  stop_postgres
  say "Stopped."
}

cmd_status() {
  [ -d "$state" ] || { say "No state folder at $state."; return 0; }
  state="$(cd "$state" && pwd)"
  local name
  if pg_running; then say "PostgreSQL: running on 127.0.0.1:$(pg_port_running)"; else say "PostgreSQL: stopped"; fi
  for name in "${instances[@]}"; do
    if alive "$(instance_pidfile "$name")" LoanHub.Web.dll; then
      say "instance $name: running, pid $(cat "$(instance_pidfile "$name")")"
    else
      say "instance $name: stopped"
    fi
  done
  if alive "$(nginx_pidfile)" nginx; then say "nginx: running, pid $(cat "$(nginx_pidfile)"), $proxy_url"; else say "nginx: stopped"; fi
}

cmd_code() {
  [ -f "$state/secrets.env" ] || die "no state folder with secrets at $state: run deploy/start.sh first."
  # shellcheck disable=SC1091
  . "$state/secrets.env"
  totp_code "$ADMIN_TOTP_SECRET"
}

case "${1:-start}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  code) cmd_code ;;
  -h | --help | help) sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' ;;
  *) die "unknown command '$1' (start, stop, status, code)." ;;
esac
