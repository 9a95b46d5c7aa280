#!/usr/bin/env bash
# Installs what a fresh Debian machine lacks for LoanHub's tests, then runs them all: once on SQLite, and the
# integration tests again on PostgreSQL.
#   ./test.sh            # everything: unit, integration and browser (Chromium) tests on SQLite, integration on PostgreSQL
#   ./test.sh --filter X # extra arguments go to both `dotnet test` runs (the PostgreSQL run adds its own filter)
# LOANHUB_TEST_POSTGRES (a connection string with the right to create databases) names a server to use; without it a
# throwaway cluster is started on a loopback port for the run and deleted afterwards.
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v dotnet >/dev/null 2>&1; then
  echo "The .NET 10 SDK is required (https://dot.net); install it and run ./test.sh again." >&2
  exit 1
fi

sudo_cmd=""
[ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"

chromium_path="${LOANHUB_CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium_path" ]; then
  echo "Installing Debian's chromium for the browser tests..."
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium >/dev/null
fi

nginx_path="${LOANHUB_NGINX:-/usr/sbin/nginx}"
if [ ! -x "$nginx_path" ]; then
  echo "Installing Debian's nginx for the test of two instances behind deploy/nginx.conf..."
  $sudo_cmd apt-get update -qq
  # The test runs its own nginx on a loopback port; the package's default site, if it starts, is not used.
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq nginx >/dev/null
fi

postgres_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

if [ -z "${LOANHUB_TEST_POSTGRES:-}" ]; then
  if [ -z "$(postgres_bin)" ]; then
    echo "Installing Debian's postgresql for the PostgreSQL run..."
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq postgresql >/dev/null
  fi
  pg_bin="$(postgres_bin)"
  pg_dir="$(mktemp -d)"
  # initdb refuses to run as root: as root the cluster belongs to the postgres user the package made.
  pg_as=()
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres "$pg_dir"
    pg_as=(runuser -u postgres --)
  fi
  stop_postgres() {
    "${pg_as[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$pg_dir"
  }
  trap stop_postgres EXIT
  "${pg_as[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -U postgres --auth=trust -E UTF8 --no-locale >/dev/null
  # The first free port from 55432 (other worktrees may run their own cluster). A test cluster needs no crash
  # safety, so it skips fsync; the product's durability is PostgreSQL's default, tested by the crash tests on SQLite.
  pg_port=55432
  while (echo >"/dev/tcp/127.0.0.1/$pg_port") 2>/dev/null; do pg_port=$((pg_port + 1)); done
  "${pg_as[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -o \
    "-c listen_addresses=127.0.0.1 -p $pg_port -k $pg_dir -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null
  export LOANHUB_TEST_POSTGRES="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres"
fi

dotnet tool restore >/dev/null

# The second run writes its results beside the first one's, in a postgres/ folder, and keeps to the integration
# tests: not the browser journeys (Playwright, all of them named *Browser* or *Journey*) nor the component tests.
postgres_filter="FullyQualifiedName~LoanHub.Tests.Web.&FullyQualifiedName!~Browser&FullyQualifiedName!~Journey&FullyQualifiedName!~LoanHub.Tests.Web.Components."
sqlite_args=("$@")
postgres_args=()
filtered=""
while [ $# -gt 0 ]; do
  case "$1" in
    --results-directory) postgres_args+=("$1" "$2/postgres"); shift 2 ;;
    --filter) postgres_args+=("$1" "($2)&$postgres_filter"); filtered=1; shift 2 ;;
    *) postgres_args+=("$1"); shift ;;
  esac
done
[ -z "$filtered" ] && postgres_args+=(--filter "$postgres_filter")

status=0
echo "== SQLite: every test"
env -u LOANHUB_TEST_PROVIDER dotnet test LoanHub.sln "${sqlite_args[@]}" || status=$?
echo "== PostgreSQL: the integration tests"
LOANHUB_TEST_PROVIDER=Postgres dotnet test LoanHub.sln --no-build "${postgres_args[@]}" || status=$?
exit "$status"
