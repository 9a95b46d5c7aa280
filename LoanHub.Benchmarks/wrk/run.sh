#!/usr/bin/env bash
# Durable intake over HTTP with an external load generator (wrk, C): the real app in Release on a fresh
# SQLite file, distinct applicants, 128 connections. Prints wrk's figures and what the store holds after.
#   LoanHub.Benchmarks/wrk/run.sh [seconds=20] [connections=128]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-20}
connections=${2:-128}
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
dotnet build -c Release LoanHub.Web -v q -nologo >/dev/null
store=$(mktemp -d)
port=5055
ConnectionStrings__LoanHub="Data Source=$store/bench.db" \
LoanHub__Seed__File="$PWD/seed/loanhub.example.json" \
LoanHub__Seed__AdminPassword=Bench-Admin-Passw0rd \
LoanHub__Intake__PermitsPerSecondPerSource=1000000 \
LoanHub__DataProtection__AllowUnprotectedKeys=true \
Logging__LogLevel__Default=Warning ASPNETCORE_ENVIRONMENT=Production \
  dotnet LoanHub.Web/bin/Release/net10.0/LoanHub.Web.dll --urls "http://127.0.0.1:$port" --contentRoot "$PWD/LoanHub.Web" >"$store/app.log" 2>&1 &
app=$!
trap 'kill $app 2>/dev/null; rm -rf "$store"' EXIT
for _ in $(seq 60); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.5; done
wrk -t2 -c"$connections" -d5s -s LoanHub.Benchmarks/wrk/intake.lua "http://127.0.0.1:$port" >/dev/null # warm-up
wrk -t2 -c"$connections" -d"${seconds}s" -s LoanHub.Benchmarks/wrk/intake.lua "http://127.0.0.1:$port"
echo "stored applications (incl. warm-up): $(sqlite3 "$store/bench.db" 'select count(*) from Applications' 2>/dev/null || echo '?')"
