#!/usr/bin/env bash
# ServiceDefaults overhead: the same Api endpoints served without and with ServiceDefaults fully on (OTLP/gRPC export
# of traces, metrics and logs to a local sink, JSON console logs, access log, redaction, request ids, security headers,
# API-key authentication where the Api asks for it), driven by wrk on loopback. Two endpoints:
#   root  the Api's `GET /` (a small JSON object: the framework's floor, ~19 µs of CPU per request bare)
#   job   the Api's `GET /api/v1/jobs/{id}`: the JobStore read of one job row by id from a real PostgreSQL that this
#         script starts (initdb/pg_ctl, 127.0.0.1, a free port, data under /tmp, stopped on exit); with ServiceDefaults
#         it requires an API key with the jobs:read scope, as in the Api, and wrk sends one in both modes. Both modes
#         use a pool of DB_POOL_SIZE connections (default 4): PostgreSQL has one core here, and with Npgsql's default
#         (up to 100) its CPU per request doubled and swung between windows (112–248 µs) as 30-odd backends took
#         turns on that core, so the ratio measured PostgreSQL's scheduling rather than ServiceDefaults.
# Every mode runs in one service process, started and warmed up before the first measured window; then the modes
# take turns window by window (in reverse order every other round), so the host's slow and fast phases fall on all of
# them alike, and each round's requests/s are compared with bare's of the same round: the ratio reported is the median
# of those paired ratios (target >= 0.95). Medians of p99 latency, the service's CPU time and bytes allocated per
# request go with it; CPU and bytes per request are the figures to trust when other work shares the machine. Each
# window also reports how busy each core was (the one near 100 % bounds the throughput), the service's context
# switches per request, and PostgreSQL's and the sink's CPU per request.
#
# Placement on a 2-core machine: the service runs alone on CPU 0; wrk, PostgreSQL and the OTLP sink (stand-ins for
# clients, a database and a collector on other hosts) share CPU 1, so none of their work lands on the service's core.
#
# Steady state: a service starts on tier-0 and ReadyToRun code and the runtime's tiering thread recompiles hot methods
# in the background; on a loaded machine that thread is starved and takes tens of seconds, during which the service
# runs slow code and the JIT's own CPU time is billed to it. Each service is warmed up (both endpoints) for at least
# WARMUP_MIN seconds and then until a whole warm-up chunk compiles (almost) no new method (the runtime's JitInfo count,
# read from the service; at most WARMUP_MAX seconds) — a starved tiering thread also compiles nothing for a while.
# The tiering thread's CPU still inside the measured window is reported, and CPU per request is also given
# without it.
#
# Usage: bench/overhead.sh [duration-seconds=15] [rounds=3] [connections=32] [modes="bare defaults"] [endpoints="root job"]
#   A mode is `bare`, `defaults`, or `defaults:NAME=VALUE,NAME=VALUE` (defaults plus extra environment, for ablations),
#   e.g. "bare defaults defaults:Logging__LogLevel__AccessLog=Warning defaults:OTEL_TRACES_SAMPLER=always_off"; the sink
#   also takes OTLP/HTTP on another port, which a mode names as SINK_HTTP_PORT:
#   "defaults:OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:SINK_HTTP_PORT,OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf".
#   WARMUP_MIN and WARMUP_MAX bound the warm-up in seconds (defaults 60 and 120); DB_POOL_SIZE sets the job endpoint's
#   connection pool (default 4). A measured window in which the hypervisor stole more than STEAL_MAX % (default 5) of
#   either core (this VM's rounds swing with its host's load) is measured again, up to STEAL_TRIES windows (default 4).
#   ALLOCATION_PROFILE=1 also writes the sampled allocations by type of each measured window to
#   bench/results/overhead-STAMP-allocations.txt.
set -euo pipefail

DURATION=${1:-15}
ROUNDS=${2:-3}
CONNECTIONS=${3:-32}
read -r -a MODES <<<"${4:-bare defaults}"
read -r -a ENDPOINTS <<<"${5:-root job}"
WARMUP_CHUNK=5
WARMUP_MIN=${WARMUP_MIN:-60}
WARMUP_MAX=${WARMUP_MAX:-120}
DB_POOL_SIZE=${DB_POOL_SIZE:-4}
STEAL_MAX=${STEAL_MAX:-5}
STEAL_TRIES=${STEAL_TRIES:-4}
API_KEY=bench-key-0123456789abcdefghij
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT="$ROOT/bench/results"
mkdir -p "$OUT"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
REPORT="$OUT/overhead-$STAMP.md"

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
command -v taskset >/dev/null || { echo "taskset is missing: apt-get install -y util-linux" >&2; exit 1; }
uses_job() { [[ " ${ENDPOINTS[*]} " == *" job "* ]]; }

echo "building bench/overhead (Release)..." >&2
dotnet build -c Release "$ROOT/bench/overhead" -v quiet -nologo >/dev/null
DLL="$ROOT/bench/overhead/bin/Release/net10.0/Bench.Overhead.dll"
HZ=$(getconf CLK_TCK)

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
SINK_PORT=$(free_port)
SINK_HTTP_PORT=$(free_port)
PIDS=()
PGDIR=""
# PostgreSQL refuses to run as root: then its commands run as the postgres user, in a directory that user owns.
as_postgres() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [[ -n $PGDIR ]]; then
    as_postgres "$PG_BIN/pg_ctl" -D "$PGDIR/data" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$PGDIR"
  fi
}
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
# CPU ticks so far of the neighbours on CPU 1: "sink postgres" (this script's PostgreSQL server and its backends, which
# outlive the window; 0 without one).
neighbour_ticks() {
  local pg=0 p postmaster
  if [[ -n $PGDIR ]]; then
    postmaster=$(head -1 "$PGDIR/data/postmaster.pid")
    # The postmaster's children's ticks (fields cutime and cstime) keep the CPU of backends that exited: an idle
    # service's pool closes its connections while another service is measured.
    pg=$(cut -d')' -f2 "/proc/$postmaster/stat" | awk '{print $14 + $15}')
    for p in "$postmaster" $(pgrep -P "$postmaster"); do pg=$((pg + $(cpu_ticks "$p" 2>/dev/null || echo 0))); done
  fi
  echo "$(cpu_ticks "$SINK_PID") $pg"
}
thread_ticks() {
  local pid=$1 name=$2 total=0 t
  for t in /proc/"$pid"/task/*; do
    if [[ $(cat "$t/comm" 2>/dev/null) == "$name"* ]]; then total=$((total + $(cut -d')' -f2 "$t/stat" | awk '{print $12 + $13}'))); fi
  done
  echo "$total"
}
# "bytes_allocated methods_compiled jit_ms" so far, from the service itself (monotonic, unlike per-thread ticks:
# the tiering thread exits when idle and a starved one looks idle).
stats() { curl -fsS "http://127.0.0.1:$1/bench/stats"; echo; } # port
load1() { cut -d' ' -f1 /proc/loadavg; }
# "steal0 steal1 busy0 busy1" ticks of CPU 0 and CPU 1 so far. Steal: time the hypervisor ran another guest (a VM's
# vCPU runs slower then, which inflates CPU per request and lowers throughput of whichever window it falls in); busy:
# user, nice, system, irq and softirq time.
cpu_ticks_by_core() { awk '$1 == "cpu0" || $1 == "cpu1" {steal[$1] = $9; busy[$1] = $2 + $3 + $4 + $7 + $8}
  END {print steal["cpu0"], steal["cpu1"], busy["cpu0"], busy["cpu1"]}' /proc/stat; }
window_percent() { echo $(( ($2 - $1) * 100 / HZ / DURATION )); } # ticks before, ticks after
# Context switches of all the service's threads so far (voluntary: it waited; involuntary: it was preempted).
context_switches() { cat /proc/"$1"/task/*/status 2>/dev/null | awk '/^(non)?voluntary_ctxt_switches/ {n += $2} END {print n + 0}'; }

taskset -c 1 dotnet "$DLL" sink --GrpcPort "$SINK_PORT" --HttpPort "$SINK_HTTP_PORT" >/dev/null 2>&1 &
SINK_PID=$!
PIDS+=("$SINK_PID")
wait_http --http2-prior-knowledge "http://127.0.0.1:$SINK_PORT/count"

DB_ENV=()
JOB_ID=""
if uses_job; then
  PG_BIN=$(dirname "$(command -v initdb || ls /usr/lib/postgresql/*/bin/initdb | tail -1)")
  PGDIR=$(mktemp -d /tmp/overhead-pg.XXXXXX)
  PG_PORT=$(free_port)
  PG_PASSWORD=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
  printf '%s\n' "$PG_PASSWORD" >"$PGDIR/password"
  [[ $(id -u) == 0 ]] && chown -R postgres:postgres "$PGDIR"
  echo "starting PostgreSQL ($("$PG_BIN/postgres" --version)) on 127.0.0.1:$PG_PORT, CPU 1..." >&2
  as_postgres "$PG_BIN/initdb" -D "$PGDIR/data" -U postgres --auth=scram-sha-256 --pwfile="$PGDIR/password" --no-sync >/dev/null
  as_postgres taskset -c 1 "$PG_BIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/postgres.log" -w start \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -c unix_socket_directories=$PGDIR -c max_connections=100" >/dev/null
  DB_ENV=(ConnectionStrings__jobsdb="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Password=$PG_PASSWORD;Database=postgres;Maximum Pool Size=$DB_POOL_SIZE")
  JOB_ID=$(env "${DB_ENV[@]}" taskset -c 1 dotnet "$DLL" seed | tail -1)
fi

endpoint_url() { # endpoint port
  if [[ $1 == job ]]; then echo "http://127.0.0.1:$2/api/v1/jobs/$JOB_ID"; else echo "http://127.0.0.1:$2/"; fi
}
# The key goes to the job endpoint in both modes (bare ignores it), so both send the same bytes.
endpoint_headers() { if [[ $1 == job ]]; then HEADERS=(-H "X-API-Key: $API_KEY"); else HEADERS=(); fi; }
load_run() { # endpoint port seconds [extra wrk args]
  local endpoint=$1 port=$2 seconds=$3 HEADERS; shift 3
  endpoint_headers "$endpoint"
  taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d"${seconds}s" "${HEADERS[@]}" "$@" "$(endpoint_url "$endpoint" "$port")"
}

# Every mode runs in one service process for the whole run, on its own port, started and warmed up before the first
# measured window; only the service being measured gets load (an idle one costs CPU 0 nothing worth counting).
declare -A PORT_OF PID_OF WARM_OF
start_mode() { # mode
  local mode=${1%%:*} extra="" port pid
  [[ $1 == *:* ]] && extra=${1#*:}
  extra=${extra//SINK_HTTP_PORT/$SINK_HTTP_PORT}
  local -a env=(ASPNETCORE_ENVIRONMENT=Production DOTNET_ENVIRONMENT=Production "${DB_ENV[@]}")
  if [[ $mode == defaults ]]; then
    env+=(OTEL_SERVICE_NAME=overhead OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$SINK_PORT" OTEL_EXPORTER_OTLP_PROTOCOL=grpc
          Auth__ApiKeys__0="$API_KEY")
  fi
  if [[ -n $extra ]]; then IFS=',' read -r -a more <<<"$extra"; env+=("${more[@]}"); fi
  [[ -n ${ALLOCATION_PROFILE:-} ]] && env+=(BENCH_ALLOCATION_PROFILE=1)
  port=$(free_port)
  env "${env[@]}" taskset -c 0 dotnet "$DLL" "$mode" --urls "http://127.0.0.1:$port" --contentRoot "$ROOT/bench/overhead" >/dev/null 2>&1 &
  pid=$!
  PIDS+=("$pid")
  PORT_OF[$1]=$port
  PID_OF[$1]=$pid
  wait_http "http://127.0.0.1:$port/"
  local endpoint HEADERS
  for endpoint in "${ENDPOINTS[@]}"; do
    endpoint_headers "$endpoint"
    curl -fsS -o /dev/null "${HEADERS[@]}" "$(endpoint_url "$endpoint" "$port")" \
      || { echo "$1: $endpoint does not answer 2xx" >&2; return 1; }
  done
  # Warm until a whole chunk (every endpoint) compiles (almost) no new method versions: on a loaded machine the
  # tiering thread is starved and a fixed warm-up would measure tier-0 code and bill the JIT to the requests.
  local warm=0 methods0 methods1 _
  while ((warm < WARMUP_MAX)); do
    read -r _ methods0 _ < <(stats "$port")
    for endpoint in "${ENDPOINTS[@]}"; do
      load_run "$endpoint" "$port" "$WARMUP_CHUNK" >/dev/null
      warm=$((warm + WARMUP_CHUNK))
    done
    read -r _ methods1 _ < <(stats "$port")
    # A starved tiering thread also compiles nothing in a chunk: stop early only once tiering can have run its course.
    ((warm < WARMUP_MIN || methods1 - methods0 > 20)) || break
  done
  WARM_OF[$1]=$warm
  echo "$1: warmed up in $warm s" >&2
}

# One measured window of a mode on an endpoint; prints "requests_per_second p99_ms cpu_us_per_request
# cpu_us_per_request_without_jit bytes_per_request jit_ms load steal busy switches neighbours".
# CPU time (the service process's user+system over the window) and bytes allocated per request hold steady when
# other work shares the machine; throughput and p99 do not.
measure() { # mode endpoint
  local pid=${PID_OF[$1]} port=${PORT_OF[$1]} endpoint=$2
  local result cpu0 cpu1 load alloc0 alloc1 jit0 jit1 rps p99 requests steal0a steal1a steal0b steal1b steal0 steal1 busy0a busy1a busy0b busy1b busy0 busy1 cs0 cs1 sink0 sink1 pg0 pg1 try _
  # A window in which the hypervisor took more than STEAL_MAX % of either core is measured again (up to STEAL_TRIES
  # windows; the last one counts whatever its steal).
  for ((try = 1; try <= STEAL_TRIES; try++)); do
    [[ -n ${ALLOCATION_PROFILE:-} ]] && curl -fsS "http://127.0.0.1:$port/bench/allocation-profile" >/dev/null
    read -r alloc0 _ _ < <(stats "$port")
    # JIT in the window: the tiering thread's CPU (JitInfo's compilation time is wall-clock, inflated under load).
    jit0=$(thread_ticks "$pid" ".NET Tiered")
    cpu0=$(cpu_ticks "$pid")
    cs0=$(context_switches "$pid")
    read -r sink0 pg0 < <(neighbour_ticks)
    read -r steal0a steal1a busy0a busy1a < <(cpu_ticks_by_core)
    result=$(load_run "$endpoint" "$port" "$DURATION" --latency)
    read -r steal0b steal1b busy0b busy1b < <(cpu_ticks_by_core)
    cs1=$(context_switches "$pid")
    read -r sink1 pg1 < <(neighbour_ticks)
    cpu1=$(cpu_ticks "$pid")
    jit1=$(thread_ticks "$pid" ".NET Tiered")
    read -r alloc1 _ _ < <(stats "$port")
    steal0=$(window_percent "$steal0a" "$steal0b")
    steal1=$(window_percent "$steal1a" "$steal1b")
    busy0=$(window_percent "$busy0a" "$busy0b")
    busy1=$(window_percent "$busy1a" "$busy1b")
    (((steal0 > STEAL_MAX || steal1 > STEAL_MAX) && try < STEAL_TRIES)) || break
    echo "$1 $endpoint: the hypervisor took ${steal0} % of CPU 0 and ${steal1} % of CPU 1 during the window; measuring again" >&2
  done
  if grep -q "Non-2xx" <<<"$result"; then echo "$1: $endpoint answered errors under load: $(grep Non-2xx <<<"$result")" >&2; return 1; fi
  if [[ -n ${ALLOCATION_PROFILE:-} ]]; then
    { echo "== $endpoint $1"; curl -fsS "http://127.0.0.1:$port/bench/allocation-profile"; } >>"$OUT/overhead-$STAMP-allocations.txt"
  fi
  load=$(load1)
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$result")
  p99=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000}; print v}' <<<"$result")
  requests=$(awk '/requests in/ {print $1}' <<<"$result")
  # The tiering thread can exit when idle, taking its ticks with it: a negative difference counts as none.
  awk -v t=$((cpu1 - cpu0)) -v j=$((jit1 - jit0)) -v a=$((alloc1 - alloc0)) -v hz="$HZ" -v n="$requests" -v r="$rps" -v p="$p99" -v l="$load" \
    -v s="$steal0/$steal1" -v b="$busy0/$busy1" -v cs=$((cs1 - cs0)) -v sk=$((sink1 - sink0)) -v pg=$((pg1 - pg0)) \
    'BEGIN {j = (j > 0 ? j : 0); printf "%s %s %.1f %.1f %.0f %d %s %s %s %.2f %.1f/%.1f\n", r, p, t * 1000000 / hz / n, (t - j) * 1000000 / hz / n, a / n, j * 1000 / hz, l, s, b, cs / n, pg * 1000000 / hz / n, sk * 1000000 / hz / n}'
}

for mode in "${MODES[@]}"; do start_mode "$mode"; done

declare -A RPS P99 CPU CPUNJ ALLOC NORM
ROWS=()
for round in $(seq 1 "$ROUNDS"); do
  # Modes alternate window by window, in reverse order every other round, so a drift of the host's speed falls on
  # both alike; each round's ratio compares windows minutes apart rather than whole runs.
  order=("${MODES[@]}")
  ((round % 2)) || mapfile -t order < <(printf '%s\n' "${MODES[@]}" | tac)
  for endpoint in "${ENDPOINTS[@]}"; do
    for mode in "${order[@]}"; do
      line=$(measure "$mode" "$endpoint")
      read -r rps p99 cpu cpunj alloc jit load steal busy switches neighbours <<<"$line"
      key="$endpoint $mode"
      # The service's CPU per request over PostgreSQL's in the same window: a slower host slows both alike, so this
      # ratio holds still where either alone swings by a third between windows (the job endpoint only).
      norm=$(awk -v c="$cpunj" -v n="$neighbours" 'BEGIN {split(n, x, "/"); print (x[1] > 1 ? sprintf("%.3f", c / x[1]) : "–")}')
      RPS[$key]+="$rps "; P99[$key]+="$p99 "; CPU[$key]+="$cpu "; CPUNJ[$key]+="$cpunj "; ALLOC[$key]+="$alloc "
      [[ $norm == – ]] || NORM[$key]+="$norm "
      ROWS+=("| $round | $endpoint | \`$mode\` | $rps | $p99 | $cpu | $cpunj | $alloc | $jit | ${WARM_OF[$mode]} | $load | $steal | $busy | $switches | $neighbours | $norm |")
      echo "round $round $endpoint $mode: $rps req/s, p99 $p99 ms, $cpu us CPU/request ($cpunj without JIT), $alloc B/request (JIT ${jit} ms in window, load $load, steal $steal %, busy $busy %, $switches context switches/request, PostgreSQL/sink $neighbours us CPU/request)" >&2
    done
  done
done
EXPORTS=$(curl -fsS --http2-prior-knowledge "http://127.0.0.1:$SINK_PORT/count")

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
# The median over rounds of a mode's requests/s divided by bare's in the same round ("–" without a bare mode): both
# lists hold one window per round, in round order.
paired_ratio() { # endpoint mode
  [[ -n ${RPS[$1 bare]:-} ]] || { echo –; return; }
  # shellcheck disable=SC2086
  median $(paste -d' ' <(printf '%s\n' ${RPS[$1 $2]}) <(printf '%s\n' ${RPS[$1 bare]}) | awk '{printf "%.3f\n", $1 / $2}')
}
# shellcheck disable=SC2086
{
  echo "Run $STAMP on $(nproc) cores ($(uname -r)), .NET $(dotnet --version), wrk -t1 -c$CONNECTIONS -d${DURATION}s per endpoint, $ROUNDS rounds of ${MODES[*]}, medians:"
  echo
  echo "| Endpoint | Mode | Requests/s | p99 (ms) | CPU µs/request | CPU µs/request without JIT | bytes allocated/request | CPU ÷ PostgreSQL CPU | ratio to bare (req/s, median of rounds) | ratio to bare (CPU/request without JIT) |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  for endpoint in "${ENDPOINTS[@]}"; do
    B_CPU=$(median ${CPUNJ[$endpoint bare]:-0})
    for mode in "${MODES[@]}"; do
      key="$endpoint $mode"
      m_rps=$(median ${RPS[$key]}); m_cpu=$(median ${CPUNJ[$key]})
      m_norm=$([[ -n ${NORM[$key]:-} ]] && median ${NORM[$key]} || echo –)
      m_paired=$(paired_ratio "$endpoint" "$mode")
      awk -v e="$(endpoint_url "$endpoint" 0 | sed "s|http://127.0.0.1:0||; s|$JOB_ID|{id}|")" -v m="$mode" -v r="$m_rps" -v p="$(median ${P99[$key]})" -v c="$(median ${CPU[$key]})" -v cn="$m_cpu" -v a="$(median ${ALLOC[$key]})" -v nm="$m_norm" -v pr="$m_paired" -v bc="$B_CPU" \
        'BEGIN {printf "| `GET %s` | `%s` | %.0f | %s | %.1f | %.1f | %.0f | %s | %s | %s |\n", e, m, r, p, c, cn, a, nm, (pr == "–" ? pr : sprintf("%.3f", pr)), (bc > 0 ? sprintf("%.3f", bc / cn) : "–")}'
    done
  done
  echo
  echo "Per round (load = 1-minute load average when the window ended; JIT = tiering-thread CPU inside the measured window;"
  echo "steal = % of the window the hypervisor ran something else on CPU 0 (the service) / CPU 1 (wrk, PostgreSQL, the sink);"
  echo "busy = % of the window each core ran anything (the core at ~100 % bounds the throughput); switches = the service's"
  echo "context switches per request, all threads; PostgreSQL / sink = their CPU µs per request, on CPU 1; ÷ PostgreSQL = the"
  echo "service's CPU per request without JIT over PostgreSQL's, which cancels the host's swings between windows):"
  echo
  echo "| Round | Endpoint | Mode | Requests/s | p99 (ms) | CPU µs/request | without JIT | bytes/request | JIT ms | warm-up s | load | steal % | busy % | switches | PostgreSQL / sink µs | ÷ PostgreSQL |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${ROWS[@]}"
  echo
  echo "OTLP export requests received by the sink: $EXPORTS."
} | tee "$REPORT"
echo "written to $REPORT" >&2
