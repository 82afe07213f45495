#!/usr/bin/env bash
# Builds the dashboard and this benchmark in Release and runs it; prints the rows of docs/benchmarks.md.
# Usage: bench/otlp-ingest/run.sh [spans=512000] [logs=512000] [concurrency=4]
#        bench/otlp-ingest/run.sh profile [spans=512000] [logs=512000]   (ingest path in process: CPU and bytes per item)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
dotnet build "$root/Dashboard/Dashboard.csproj" -c Release -v q -nologo
dotnet build "$root/bench/otlp-ingest/otlp-ingest.csproj" -c Release -v q -nologo
mkdir -p "$root/bench/results"
bench="$root/bench/otlp-ingest/bin/Release/net10.0/otlp-ingest.dll"
echo "| load average (1, 5, 15 min) at the start | | $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores |"
if [[ "${1:-}" == "profile" ]]; then
  dotnet "$bench" "$@" | tee "$root/bench/results/otlp-ingest-profile.md"
else
  dotnet "$bench" "$root/Dashboard/bin/Release/net10.0/Aspire.Dashboard.dll" "$@" | tee "$root/bench/results/otlp-ingest.md"
fi
