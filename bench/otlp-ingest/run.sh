#!/usr/bin/env bash
# Builds the dashboard and this benchmark in Release and runs it; prints the rows of docs/benchmarks.md.
# Usage: bench/otlp-ingest/run.sh [spans=512000] [logs=512000] [concurrency=4]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
dotnet build "$root/Dashboard/Dashboard.csproj" -c Release -v q -nologo
dotnet build "$root/bench/otlp-ingest/otlp-ingest.csproj" -c Release -v q -nologo
mkdir -p "$root/bench/results"
dotnet "$root/bench/otlp-ingest/bin/Release/net10.0/otlp-ingest.dll" "$root/Dashboard/bin/Release/net10.0/Aspire.Dashboard.dll" "$@" \
  | tee "$root/bench/results/otlp-ingest.md"
