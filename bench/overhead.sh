#!/usr/bin/env bash
# ServiceDefaults overhead: the same endpoint (the Api's `GET /`) served without and with ServiceDefaults fully on
# (OTLP/gRPC export of traces, metrics and logs to a local sink, JSON console logs, access log, redaction, request
# ids, security headers, auth registered), driven by wrk on loopback. Rounds alternate bare/defaults; the median of
# each is reported with p99 latency and the throughput ratio (target >= 0.95).
#
# Placement on a 2-core machine: the service runs alone on CPU 0; wrk and the OTLP sink (which stands in for a
# collector on another host) share CPU 1, so the sink's work never lands on the service's core.
#
# Usage: bench/overhead.sh [duration-seconds=15] [rounds=3] [connections=32]
set -euo pipefail

DURATION=${1:-15}
ROUNDS=${2:-3}
CONNECTIONS=${3:-32}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT="$ROOT/bench/results"
mkdir -p "$OUT"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
REPORT="$OUT/overhead-$STAMP.md"

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
command -v taskset >/dev/null || { echo "taskset is missing: apt-get install -y util-linux" >&2; exit 1; }

echo "building bench/overhead (Release)..." >&2
dotnet build -c Release "$ROOT/bench/overhead" -v quiet -nologo >/dev/null
DLL="$ROOT/bench/overhead/bin/Release/net10.0/Bench.Overhead.dll"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
SINK_PORT=$(free_port)
APP_PORT=$(free_port)
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

wait_http() {
  for _ in $(seq 1 200); do
    if curl -fsS "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.05
  done
  echo "no answer from $*" >&2; return 1
}

taskset -c 1 dotnet "$DLL" sink --urls "http://127.0.0.1:$SINK_PORT" >/dev/null 2>&1 &
PIDS+=($!)
wait_http --http2-prior-knowledge "http://127.0.0.1:$SINK_PORT/count"

# Runs one mode; prints "requests_per_second p99_ms cpu_us_per_request". CPU time per request (the service
# process's user+system time over the measured window) is steadier than throughput on a shared machine.
run_mode() {
  local mode=$1
  local -a env=(ASPNETCORE_ENVIRONMENT=Production DOTNET_ENVIRONMENT=Production)
  if [[ $mode == defaults ]]; then
    env+=(OTEL_SERVICE_NAME=overhead OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$SINK_PORT" OTEL_EXPORTER_OTLP_PROTOCOL=grpc
          Auth__ApiKeys__0=bench-key-0123456789abcdefghij)
  fi
  env "${env[@]}" taskset -c 0 dotnet "$DLL" "$mode" --urls "http://127.0.0.1:$APP_PORT" --contentRoot "$ROOT/bench/overhead" >/dev/null 2>&1 &
  local pid=$!
  wait_http "http://127.0.0.1:$APP_PORT/"
  taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d5s "http://127.0.0.1:$APP_PORT/" >/dev/null   # warm-up (JIT, tiered compilation)
  local result cpu0 cpu1
  cpu0=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  result=$(taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency "http://127.0.0.1:$APP_PORT/")
  cpu1=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  local rps p99
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$result")
  p99=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000}; print v}' <<<"$result")
  local requests cpu_us
  requests=$(awk '/requests in/ {print $1}' <<<"$result")
  cpu_us=$(awk -v t=$((cpu1 - cpu0)) -v hz="$(getconf CLK_TCK)" -v n="$requests" 'BEGIN {printf "%.1f", t * 1000000 / hz / n}')
  echo "$rps $p99 $cpu_us"
}

declare -a BARE_RPS BARE_P99 BARE_CPU DEF_RPS DEF_P99 DEF_CPU
for round in $(seq 1 "$ROUNDS"); do
  read -r rps p99 cpu < <(run_mode bare);     BARE_RPS+=("$rps"); BARE_P99+=("$p99"); BARE_CPU+=("$cpu")
  echo "round $round bare:     $rps req/s, p99 $p99 ms, $cpu us CPU/request" >&2
  read -r rps p99 cpu < <(run_mode defaults); DEF_RPS+=("$rps"); DEF_P99+=("$p99"); DEF_CPU+=("$cpu")
  echo "round $round defaults: $rps req/s, p99 $p99 ms, $cpu us CPU/request" >&2
done
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
EXPORTS=$(curl -fsS --http2-prior-knowledge "http://127.0.0.1:$SINK_PORT/count")

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
B_RPS=$(median "${BARE_RPS[@]}"); B_P99=$(median "${BARE_P99[@]}"); B_CPU=$(median "${BARE_CPU[@]}")
D_RPS=$(median "${DEF_RPS[@]}");  D_P99=$(median "${DEF_P99[@]}");  D_CPU=$(median "${DEF_CPU[@]}")
RATIO=$(awk -v d="$D_RPS" -v b="$B_RPS" 'BEGIN {printf "%.3f", d/b}')

{
  echo "Run $STAMP on $(nproc) cores ($(uname -r)), .NET $(dotnet --version), wrk -t1 -c$CONNECTIONS -d${DURATION}s, $ROUNDS alternating rounds, medians:"
  echo
  echo "| Mode | Requests/s | p99 (ms) | CPU µs/request |"
  echo "|---|---|---|---|"
  echo "| bare ASP.NET Core | $B_RPS | $B_P99 | $B_CPU |"
  echo "| ServiceDefaults on, OTLP/gRPC export | $D_RPS | $D_P99 | $D_CPU |"
  echo "| ratio (on / bare) | **$RATIO** (target ≥ 0.95) | | |"
  echo
  echo "Per round (bare / on, req/s): $(paste -d/ <(printf '%s\n' "${BARE_RPS[@]}") <(printf '%s\n' "${DEF_RPS[@]}") | paste -sd' ')."
  echo "OTLP export requests received by the sink: $EXPORTS. Load average at the end (other work on the machine): $LOAD."
} | tee "$REPORT"
echo "written to $REPORT" >&2
