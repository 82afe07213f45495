#!/usr/bin/env bash
# Start-up benchmark: time from launching the built AppHost until every resource is healthy, median of N runs.
# Usage: bench/startup.sh [runs=5]
# Each run launches `dotnet AppHost.dll` (Release build, warm), polls its output for "All N resources are healthy",
# records the wall time, then stops it with SIGTERM outside the measurement (a non-interactive shell starts background
# jobs with SIGINT ignored). One untimed run first creates the
# PostgreSQL volume, as a developer's machine has it after the first `dotnet run`.
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"

dotnet build AppHost -c Release -nologo -v quiet >/dev/null
apphost="AppHost/bin/Release/net10.0/AppHost.dll"
data="$(mktemp -d /tmp/aspire-startup-bench.XXXXXX)"
chmod 755 "$data"
trap 'rm -rf "$data"' EXIT

run_once() {
  local log start end pid
  log="$(mktemp)"
  start=$(date +%s.%N)
  DOTNET_ENVIRONMENT=Development dotnet "$apphost" --Hosting:RandomizePorts=true --Hosting:ConsoleOutput=false \
    --Hosting:DataDirectory="$data" --Hosting:SecretsFile="$data/secrets.json" >"$log" 2>&1 &
  pid=$!
  until grep -q "resources are healthy" "$log"; do
    if ! kill -0 "$pid" 2>/dev/null; then cat "$log" >&2; return 1; fi
    sleep 0.02
  done
  end=$(date +%s.%N)
  kill -TERM "$pid"
  wait "$pid" || true
  reported=$(grep -o "healthy after [0-9.]* s" "$log" | grep -o "[0-9.]*")
  rm -f "$log"
  echo "$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }') $reported"
}

run_once >/dev/null
results=()
for i in $(seq "$runs"); do
  r=$(run_once)
  echo "run $i: launch→healthy $(cut -d' ' -f1 <<<"$r") s (orchestrator: $(cut -d' ' -f2 <<<"$r") s)"
  results+=("$(cut -d' ' -f1 <<<"$r")")
done
median=$(printf '%s\n' "${results[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}')
echo "median of $runs: $median s"
