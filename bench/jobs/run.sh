#!/usr/bin/env bash
# Runs the job-system benchmark against the AppHost's system (Postgres, Redis, 1 Api, 2 workers) and
# Hangfire.PostgreSql on the same Postgres, printing a Markdown table. Extra args pass through, e.g. --burn-down 50000.
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p bench/results
dotnet build -c Release bench/jobs -v quiet -nologo
out="bench/results/jobs-$(date -u +%Y%m%dT%H%M%SZ).md"
dotnet bench/jobs/bin/Release/net10.0/Bench.Jobs.dll "$@" | tee "$out"
echo "results: $out"
