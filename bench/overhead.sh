#!/usr/bin/env bash
# ServiceDefaults overhead: the same endpoint (the Api's `GET /`) served without and with ServiceDefaults fully on
# (OTLP/gRPC export of traces, metrics and logs to a local sink, JSON console logs, access log, redaction, request
# ids, security headers, auth registered), driven by wrk on loopback. Rounds alternate the modes; the median of each
# is reported with p99 latency, the service's CPU time and bytes allocated per request, and the throughput ratio
# (target >= 0.95). CPU and bytes per request are the figures to trust when other work shares the machine.
#
# Placement on a 2-core machine: the service runs alone on CPU 0; wrk and the OTLP sink (which stands in for a
# collector on another host) share CPU 1, so the sink's work never lands on the service's core.
#
# Steady state: a service starts on tier-0 and ReadyToRun code and the runtime's tiering thread recompiles hot methods
# in the background; on a loaded machine that thread is starved and takes tens of seconds, during which the service
# runs slow code and the JIT's own CPU time is billed to it. Each run is warmed up until a whole warm-up chunk compiles
# (almost) no new method (the runtime's JitInfo count, read from the service; at most WARMUP_MAX seconds); the tiering
# thread's CPU still inside the measured window is reported, and CPU per request is also given without it.
#
# Usage: bench/overhead.sh [duration-seconds=15] [rounds=3] [connections=32] [modes="bare defaults"]
#   A mode is `bare`, `defaults`, or `defaults:NAME=VALUE,NAME=VALUE` (defaults plus extra environment, for ablations),
#   e.g. "bare defaults defaults:Logging__LogLevel__AccessLog=Warning defaults:OTEL_TRACES_SAMPLER=always_off".
#   WARMUP_MAX=seconds caps the warm-up; ALLOCATION_PROFILE=1 also writes the sampled allocations by type of each
#   measured window to bench/results/overhead-STAMP-allocations.txt.
set -euo pipefail

DURATION=${1:-15}
ROUNDS=${2:-3}
CONNECTIONS=${3:-32}
read -r -a MODES <<<"${4:-bare defaults}"
WARMUP_CHUNK=5
WARMUP_MAX=${WARMUP_MAX:-90}
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
HZ=$(getconf CLK_TCK)

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
SINK_PORT=$(free_port)
APP_PORT=$(free_port)
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

wait_http() {
  for _ in $(seq 1 400); do
    if curl -fsS "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.05
  done
  echo "no answer from $*" >&2; return 1
}

# CPU ticks (user + system) of a process, or of its threads whose name starts with $2.
cpu_ticks() { cut -d')' -f2 "/proc/$1/stat" | awk '{print $12 + $13}'; }
thread_ticks() {
  local pid=$1 name=$2 total=0 t
  for t in /proc/"$pid"/task/*; do
    if [[ $(cat "$t/comm" 2>/dev/null) == "$name"* ]]; then total=$((total + $(cut -d')' -f2 "$t/stat" | awk '{print $12 + $13}'))); fi
  done
  echo "$total"
}
# "bytes_allocated methods_compiled jit_ms" so far, from the service itself (monotonic, unlike per-thread ticks:
# the tiering thread exits when idle and a starved one looks idle).
stats() { curl -fsS "http://127.0.0.1:$APP_PORT/bench/stats"; echo; }
load1() { cut -d' ' -f1 /proc/loadavg; }

taskset -c 1 dotnet "$DLL" sink --urls "http://127.0.0.1:$SINK_PORT" >/dev/null 2>&1 &
PIDS+=($!)
wait_http --http2-prior-knowledge "http://127.0.0.1:$SINK_PORT/count"

# Runs one mode; prints "requests_per_second p99_ms cpu_us_per_request cpu_us_per_request_without_jit bytes_per_request
# jit_ms warmup_s load".
# CPU time (the service process's user+system over the measured window) and bytes allocated per request hold steady
# when other work shares the machine; throughput and p99 do not.
run_mode() {
  local mode=${1%%:*} extra=""
  [[ $1 == *:* ]] && extra=${1#*:}
  local -a env=(ASPNETCORE_ENVIRONMENT=Production DOTNET_ENVIRONMENT=Production)
  if [[ $mode == defaults ]]; then
    env+=(OTEL_SERVICE_NAME=overhead OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$SINK_PORT" OTEL_EXPORTER_OTLP_PROTOCOL=grpc
          Auth__ApiKeys__0=bench-key-0123456789abcdefghij)
  fi
  if [[ -n $extra ]]; then IFS=',' read -r -a more <<<"$extra"; env+=("${more[@]}"); fi
  [[ -n ${ALLOCATION_PROFILE:-} ]] && env+=(BENCH_ALLOCATION_PROFILE=1)
  env "${env[@]}" taskset -c 0 dotnet "$DLL" "$mode" --urls "http://127.0.0.1:$APP_PORT" --contentRoot "$ROOT/bench/overhead" >/dev/null 2>&1 &
  local pid=$!
  # run_mode runs in its own subshell (process substitution), which has no EXIT trap of the script's: stop the service
  # even when a step fails.
  trap 'kill "$pid" 2>/dev/null || true' EXIT
  wait_http "http://127.0.0.1:$APP_PORT/"
  # Warm until a whole chunk compiles (almost) no new method versions: on a loaded machine the tiering thread is
  # starved and a fixed warm-up would measure tier-0 code and bill the JIT to the requests.
  local warm=0 methods0 methods1 _
  while ((warm < WARMUP_MAX)); do
    read -r _ methods0 _ < <(stats)
    taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d"${WARMUP_CHUNK}s" "http://127.0.0.1:$APP_PORT/" >/dev/null
    warm=$((warm + WARMUP_CHUNK))
    read -r _ methods1 _ < <(stats)
    ((methods1 - methods0 > 20)) || break
  done
  local result cpu0 cpu1 load alloc0 alloc1 jit0 jit1
  [[ -n ${ALLOCATION_PROFILE:-} ]] && curl -fsS "http://127.0.0.1:$APP_PORT/bench/allocation-profile" >/dev/null
  read -r alloc0 _ _ < <(stats)
  # JIT in the window: the tiering thread's CPU (JitInfo's compilation time is wall-clock, inflated under load).
  jit0=$(thread_ticks "$pid" ".NET Tiered")
  cpu0=$(cpu_ticks "$pid")
  result=$(taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency "http://127.0.0.1:$APP_PORT/")
  cpu1=$(cpu_ticks "$pid")
  jit1=$(thread_ticks "$pid" ".NET Tiered")
  read -r alloc1 _ _ < <(stats)
  if [[ -n ${ALLOCATION_PROFILE:-} ]]; then
    { echo "== $1"; curl -fsS "http://127.0.0.1:$APP_PORT/bench/allocation-profile"; } >>"$OUT/overhead-$STAMP-allocations.txt"
  fi
  load=$(load1)
  kill "$pid"; wait "$pid" 2>/dev/null || true
  local rps p99 requests
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$result")
  p99=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000}; print v}' <<<"$result")
  requests=$(awk '/requests in/ {print $1}' <<<"$result")
  # The tiering thread can exit when idle, taking its ticks with it: a negative difference counts as none.
  awk -v t=$((cpu1 - cpu0)) -v j=$((jit1 - jit0)) -v a=$((alloc1 - alloc0)) -v hz="$HZ" -v n="$requests" -v r="$rps" -v p="$p99" -v w="$warm" -v l="$load" \
    'BEGIN {j = (j > 0 ? j : 0); printf "%s %s %.1f %.1f %.0f %d %d %s\n", r, p, t * 1000000 / hz / n, (t - j) * 1000000 / hz / n, a / n, j * 1000 / hz, w, l}'
}

declare -A RPS P99 CPU CPUNJ ALLOC
ROWS=()
for round in $(seq 1 "$ROUNDS"); do
  for mode in "${MODES[@]}"; do
    read -r rps p99 cpu cpunj alloc jit warm load < <(run_mode "$mode")
    RPS[$mode]+="$rps "; P99[$mode]+="$p99 "; CPU[$mode]+="$cpu "; CPUNJ[$mode]+="$cpunj "; ALLOC[$mode]+="$alloc "
    ROWS+=("| $round | \`$mode\` | $rps | $p99 | $cpu | $cpunj | $alloc | $jit | $warm | $load |")
    echo "round $round $mode: $rps req/s, p99 $p99 ms, $cpu us CPU/request ($cpunj without JIT), $alloc B/request (JIT ${jit} ms in window, warm-up ${warm} s, load $load)" >&2
  done
done
EXPORTS=$(curl -fsS --http2-prior-knowledge "http://127.0.0.1:$SINK_PORT/count")

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
# shellcheck disable=SC2086
{
  echo "Run $STAMP on $(nproc) cores ($(uname -r)), .NET $(dotnet --version), wrk -t1 -c$CONNECTIONS -d${DURATION}s, $ROUNDS rounds of ${MODES[*]}, medians:"
  echo
  echo "| Mode | Requests/s | p99 (ms) | CPU µs/request | CPU µs/request without JIT | bytes allocated/request | ratio to bare (req/s) | ratio to bare (CPU/request without JIT) |"
  echo "|---|---|---|---|---|---|---|---|"
  B_RPS=$(median ${RPS[bare]:-0}); B_CPU=$(median ${CPUNJ[bare]:-0})
  for mode in "${MODES[@]}"; do
    m_rps=$(median ${RPS[$mode]}); m_cpu=$(median ${CPUNJ[$mode]})
    awk -v m="$mode" -v r="$m_rps" -v p="$(median ${P99[$mode]})" -v c="$(median ${CPU[$mode]})" -v cn="$m_cpu" -v a="$(median ${ALLOC[$mode]})" -v br="$B_RPS" -v bc="$B_CPU" \
      'BEGIN {printf "| `%s` | %.0f | %s | %.1f | %.1f | %.0f | %s | %s |\n", m, r, p, c, cn, a, (br > 0 ? sprintf("%.3f", r / br) : "–"), (bc > 0 ? sprintf("%.3f", bc / cn) : "–")}'
  done
  echo
  echo "Per round (load = 1-minute load average when the round ended; JIT = tiering-thread CPU inside the measured window):"
  echo
  echo "| Round | Mode | Requests/s | p99 (ms) | CPU µs/request | without JIT | bytes/request | JIT ms | warm-up s | load |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${ROWS[@]}"
  echo
  echo "OTLP export requests received by the sink: $EXPORTS."
} | tee "$REPORT"
echo "written to $REPORT" >&2
