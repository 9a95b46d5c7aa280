#!/usr/bin/env bash
# Installs what a fresh Debian machine lacks for LoanHub's tests, then runs them all.
#   ./test.sh            # everything: unit, integration (SQLite) and browser (Chromium) tests
#   ./test.sh --filter X # extra arguments go to `dotnet test`
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v dotnet >/dev/null 2>&1; then
  echo "The .NET 10 SDK is required (https://dot.net); install it and run ./test.sh again." >&2
  exit 1
fi

chromium_path="${LOANHUB_CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$chromium_path" ]; then
  echo "Installing Debian's chromium for the browser tests..."
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium >/dev/null
fi

dotnet tool restore >/dev/null
dotnet test LoanHub.sln "$@"
