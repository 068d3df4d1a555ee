#!/usr/bin/env bash
# Benchmarks of the user's path: traffic through `mirrord run` (its agent, the client tunnel, run's
# proxy and a real program under the layer), side by side with the direct path and an HAProxy anchor,
# for one or more builds of mirrord measured interleaved in the same invocation.
#
#   sudo bench/product/run.sh [--quick] [--jar NAME=PATH]... [--layer NAME=MODE]... [--rounds N] [--seconds S]
#        [--only "B1 B5"] [--mixes "0 50 100"] [--conns "16 64"] [--streams "1 4"] [--no-pingpong]
#        [--raw FILE] [--time-limit SECONDS]
#
# B1  steal, HTTP/1.1 keep-alive: wrk -t1 from the cluster namespace into a pod's port. direct = the
#     pod's node app; haproxy = HAProxy in the pod routing `x-mirror: me` to a stand-in app on the
#     pod's loopback and the rest to the pod's app; ours = `mirrord run` (target pid/<pod app>, steal
#     with header filter ^x-mirror: me$) with a local node app under the layer answering the matched
#     requests, the rest going on to the pod's app.
# B5  outgoing tunnel: iperf3 -c (1 and 4 streams) to an iperf3 server in the cluster namespace, run
#     inside the pod (direct) or as a child of the program under `mirrord run` (ours); and a 64 B
#     ping-pong's p99 idle and while a bulk stream of the same program runs.
#
# --layer NAME=MODE runs build NAME's session with MIRRORD_LAYER_MODE=MODE (auto, preload, seccomp):
# the same jar twice, e.g. --jar ours=J --jar ours-seccomp=J --layer ours-seccomp=seccomp, compares
# the seccomp layer with the LD_PRELOAD layer on one machine in one run.
#
# Every build gets its own identical pod and one `mirrord run` session for the whole invocation;
# rounds interleave the variants and rotate their order. One JSON line per result on stdout, logs and
# a human summary on stderr. Needs root. Everything lives in throw-away namespaces (addresses in
# 10.252.X.0/24, which the host routes as unreachable while we run) and is removed on every exit path.
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "$0")")" && pwd)"
root="$(cd "$here/../.." && pwd)"
log() { echo "[bench/product $(date -u +%T)] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

ROUNDS=5 SECS=5 WARM=3 ONLY="B1 B5" MIXES="0 50 100" CONNS="16 64" STREAMS="1 4" PINGPONG=1 RAW=""
LIMIT=""
JARS=()
LAYER_SPECS=()
declare -A LAYER_MODE=()
while (($#)); do
  case "$1" in
    --quick) ROUNDS=2 SECS=2 WARM=2 ;;
    --jar) JARS+=("$2"); shift ;;
    --layer) LAYER_SPECS+=("$2"); shift ;;
    --rounds) ROUNDS=$2; shift ;;
    --seconds) SECS=$2; shift ;;
    --only) ONLY=$2; shift ;;
    --mixes) MIXES=$2; shift ;;
    --conns) CONNS=$2; shift ;;
    --streams) STREAMS=$2; shift ;;
    --no-pingpong) PINGPONG=0 ;;
    --raw) RAW=$2; shift ;;
    --time-limit) LIMIT=$2; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
  shift
done
[[ $(id -u) -eq 0 ]] || die "needs root (network namespaces, iptables through the agent)"
"$root/scripts/install-deps.sh" --bench >&2
for tool in wrk haproxy iperf3 node python3 curl java; do
  command -v "$tool" >/dev/null || die "$tool is missing (scripts/install-deps.sh --bench)"
done
if ((${#JARS[@]} == 0)); then
  if [[ ! -f "$root/cli/target/mirrord-fat.jar" ]]; then
    log "building cli/target/mirrord-fat.jar"
    (cd "$root" && mvn -B -q -o -DskipTests package >&2)
  fi
  JARS=("worktree=$root/cli/target/mirrord-fat.jar")
fi
NAMES=() PATHS=()
for spec in "${JARS[@]}"; do
  [[ "$spec" == *=* ]] || die "--jar takes NAME=PATH, got '$spec'"
  name=${spec%%=*} path=$(readlink -f "${spec#*=}")
  [[ "$name" =~ ^[A-Za-z0-9_.-]+$ ]] || die "build name '$name': letters, digits, . _ - only"
  [[ -f "$path" ]] || die "jar of build $name not found: ${spec#*=}"
  NAMES+=("$name") PATHS+=("$path")
done
((${#NAMES[@]} <= 4)) || die "at most 4 builds per run"
for spec in "${LAYER_SPECS[@]}"; do
  name=${spec%%=*} mode=${spec#*=}
  [[ "$spec" == *=* && " ${NAMES[*]} " == *" $name "* ]] || die "--layer takes NAME=MODE for a --jar NAME, got '$spec'"
  [[ "$mode" =~ ^(auto|preload|seccomp)$ ]] || die "--layer $name: mode '$mode' is not auto, preload or seccomp"
  LAYER_MODE[$name]=$mode
done
# Bounded in time whatever happens: the watchdog ends the run (and the EXIT trap cleans up).
nvar=$((${#NAMES[@]} + 2))
: "${LIMIT:=$((300 + ROUNDS * nvar * (3 * 2 * (SECS + 2) + 2 * (SECS + 3) + 2 * SECS + 6)))}"

# ---- state and cleanup ----
ID=$(head -c3 /dev/urandom | od -An -tx1 | tr -d ' \n')
WORK=$(mktemp -d "/tmp/mdj-bench-product.$ID.XXXX")
CLI=mdjqc$ID
PODS=() PIDS=() RUNS=() REQUEST_FD=() ROUTE="" WATCHDOG=""
descendants() { # pid: every live descendant, children first
  local kids
  kids=$(ps -e -o pid=,ppid= | awk -v p="$1" '$2 == p { print $1 }')
  for k in $kids; do descendants "$k"; echo "$k"; done
}
stop_run() { # pid: TERM `run` (it stops its agent and program), then KILL whatever is left
  local pid=$1 tree i
  tree=$(descendants "$pid")
  kill -TERM "$pid" 2>/dev/null || return 0
  for i in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  for p in $tree $pid; do kill -KILL "$p" 2>/dev/null || true; done
}
cleanup() {
  local rc=$?
  set +e
  trap - EXIT INT TERM
  [[ -n "$WATCHDOG" ]] && { pkill -P "$WATCHDOG" sleep 2>/dev/null; kill "$WATCHDOG" 2>/dev/null; }
  # closing a session's stdin ends its program, and `run` with it, the way a user's session ends
  for fd in "${REQUEST_FD[@]:-}"; do [[ -n "$fd" ]] && exec {fd}>&-; done
  for r in "${RUNS[@]:-}"; do
    [[ -n "$r" ]] || continue
    for _ in $(seq 150); do kill -0 "$r" 2>/dev/null || break; sleep 0.1; done
    stop_run "$r"
  done
  for p in "${PIDS[@]:-}"; do [[ -n "$p" ]] && kill -KILL "$p" 2>/dev/null; done
  for p in "${PIDS[@]:-}"; do [[ -n "$p" ]] && wait "$p" 2>/dev/null; done
  for ns in "${PODS[@]:-}" "$CLI"; do [[ -n "$ns" ]] && ip netns del "$ns" 2>/dev/null; done
  [[ -n "$ROUTE" ]] && ip route del unreachable "$ROUTE" 2>/dev/null
  if ((rc != 0)); then
    # whatever was measured before the failure or the time limit is still reported
    if [[ -s "${SAMPLES:-}" ]]; then
      log "partial results (the run did not finish):"
      printf 'load_end\t%s\n' "$(cut -d' ' -f1-3 /proc/loadavg)" >>"$META"
      [[ -n "$RAW" ]] && cp "$SAMPLES" "$RAW"
      python3 "$here/report.py" "$META" "$SAMPLES"
    fi
    for f in "$WORK"/run-*.log; do [[ -f "$f" ]] && { log "last lines of $f:"; tail -n 30 "$f" >&2; }; done
  fi
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM
# stdout is not the watchdog's: its sleep would hold a reader's pipe (`run.sh | tee`) open until the
# limit, long after the results are out (and the cleanup ends the sleep with the watchdog)
(sleep "$LIMIT" && log "time limit of ${LIMIT}s reached, stopping" && kill -TERM $$) >/dev/null &
WATCHDOG=$!

# ---- the machine and the builds ----
KERNEL=$(uname -r) CPUS=$(nproc)
JAVA=$(java -version 2>&1 | head -1 | sed 's/"//g')
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
BENCH_COMMIT=$(git -C "$root" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
git -C "$root" diff --quiet HEAD 2>/dev/null || BENCH_COMMIT="$BENCH_COMMIT-dirty"
build_commit() { # jar: the commit it was built from, as far as we can tell
  local dir; dir=$(dirname "$1")
  if [[ -f "$dir/COMMIT" ]]; then head -c 12 "$dir/COMMIT"; return; fi
  local top; top=$(git -C "$dir" rev-parse --show-toplevel 2>/dev/null) || { echo unknown; return; }
  # the last commit that changed what goes into the jar (benchmarks, tests and docs do not)
  local c; c=$(git -C "$top" log -1 --format=%h --abbrev=12 -- . ':!bench' ':!test' ':!docs' ':!*.md')
  git -C "$top" diff --quiet HEAD -- . ':!bench' ':!test' ':!docs' ':!*.md' 2>/dev/null || c="$c-dirty"
  # a jar older than that commit was built from an earlier tree
  (($(stat -c %Y "$1") < $(git -C "$top" log -1 --format=%ct "${c%-dirty}"))) && c="$c-stale-jar"
  echo "$c"
}
layer_sha() { # jar: sha256 prefix of the layer library it embeds (each build brings its own)
  python3 -c 'import hashlib,sys,zipfile; print(hashlib.sha256(zipfile.ZipFile(sys.argv[1]).read("native/libmirrord_layer.so")).hexdigest()[:12])' "$1" 2>/dev/null || echo none
}
META="$WORK/meta.tsv"
printf 'kernel\t%s\njava\t%s\ncpus\t%s\nbench_commit\t%s\nload_start\t%s\n' \
  "$KERNEL" "$JAVA" "$CPUS" "$BENCH_COMMIT" "$LOAD_START" >"$META"
for i in "${!NAMES[@]}"; do
  printf 'build\t%s\t%s\t%s\t%s\n' "${NAMES[$i]}" "$(build_commit "${PATHS[$i]}")" "$(layer_sha "${PATHS[$i]}")" "${PATHS[$i]}" >>"$META"
  log "build ${NAMES[$i]} (layer ${LAYER_MODE[${NAMES[$i]}]:-auto}): ${PATHS[$i]} (commit $(build_commit "${PATHS[$i]}"), layer $(layer_sha "${PATHS[$i]}"))"
done
log "machine: $CPUS cpus, kernel $KERNEL, $JAVA, load average $LOAD_START; rounds $ROUNDS x ${SECS}s; limit ${LIMIT}s"

# ---- namespaces: a cluster namespace, one pod per build plus the direct pod, each pod on its own
# veth pair (a /30: the pod's address and the cluster end); the cluster's servers listen on all of them ----
for _ in $(seq 50); do
  X=$((RANDOM % 200 + 20))
  ip route add unreachable "10.252.$X.0/24" 2>/dev/null && { ROUTE="10.252.$X.0/24"; break; }
done
[[ -n "$ROUTE" ]] || die "no free 10.252.X.0/24 range for the host's unreachable route"
NET=10.252.$X
ip netns add "$CLI"
ip -n "$CLI" link set lo up
add_pod() { # index slot: a namespace whose address is $NET.(4*slot+1), the cluster end .(4*slot+2)
  local ns=mdjqp$ID$1 pod_ip=$NET.$((4 * $2 + 1)) cli_ip=$NET.$((4 * $2 + 2))
  ip netns add "$ns"
  PODS+=("$ns")
  ip link add "qp$ID$1" type veth peer name "qc$ID$1"
  ip link set "qp$ID$1" netns "$ns"
  ip link set "qc$ID$1" netns "$CLI"
  ip -n "$ns" addr add "$pod_ip/30" dev "qp$ID$1"
  ip -n "$CLI" addr add "$cli_ip/30" dev "qc$ID$1"
  ip -n "$ns" link set lo up
  ip -n "$ns" link set "qp$ID$1" up
  ip -n "$CLI" link set "qc$ID$1" up
}
in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }
await_port() { # ns host port what
  for _ in $(seq 300); do
    in_ns "$1" bash -c "exec 3<>/dev/tcp/$2/$3" 2>/dev/null && return 0
    sleep 0.1
  done
  die "$4 does not listen on $2:$3 after 30 s"
}
free_host_port() {
  local p
  for _ in $(seq 100); do
    p=$((RANDOM % 10000 + 20000))
    ss -Hltn "sport = :$p" | grep -q . || { echo "$p"; return; }
  done
  die "no free host port in 20000-29999"
}

# cluster services: iperf3 server, echo + sink for the ping-pong
ip netns exec "$CLI" iperf3 -s -p 5201 >"$WORK/iperf3-server.log" 2>&1 & PIDS+=($!)
ip netns exec "$CLI" python3 "$here/servers.py" 0.0.0.0 7007 7009 >"$WORK/servers.log" 2>&1 & PIDS+=($!)
await_port "$CLI" 127.0.0.1 5201 "iperf3 server"
await_port "$CLI" 127.0.0.1 7007 "echo server"

# the direct pod: its app, the stand-in for the local program and HAProxy doing the routing
POD_D=mdjqp${ID}d DIRECT_IP=$NET.1 DIRECT_CLI_IP=$NET.2
add_pod d 0
ip netns exec "$POD_D" node "$here/app.js" pod 0.0.0.0 8080 >/dev/null & PIDS+=($!)
ip netns exec "$POD_D" node "$here/app.js" local 127.0.0.1 9090 >/dev/null & PIDS+=($!)
sed -e s/HAPROXY_PORT/8081/ -e s/STANDIN_PORT/9090/ -e s/APP_PORT/8080/ "$here/haproxy.cfg" >"$WORK/haproxy.cfg"
ip netns exec "$POD_D" haproxy -q -f "$WORK/haproxy.cfg" & PIDS+=($!)
await_port "$POD_D" 127.0.0.1 8080 "the direct pod's app"
await_port "$POD_D" 127.0.0.1 9090 "the stand-in app"
await_port "$POD_D" 127.0.0.1 8081 "haproxy"
await_port "$CLI" "$DIRECT_IP" 8080 "the direct pod's app (from the cluster namespace)"

# one pod and one `mirrord run` session per build
BUILD_IP=() BUILD_PORT=() BUILD_POD=()
for i in "${!NAMES[@]}"; do
  ip=$NET.$((4 * (i + 1) + 1)) cli_ip=$NET.$((4 * (i + 1) + 2)) port=$(free_host_port)
  add_pod "$i" $((i + 1))
  ip netns exec "mdjqp$ID$i" node "$here/app.js" pod 0.0.0.0 "$port" >/dev/null & pod_pid=$!
  PIDS+=("$pod_pid")
  await_port "$CLI" "$ip" "$port" "pod app of build ${NAMES[$i]} (from the cluster namespace)"
  # the target must be the pod's own process: the agent installs its steal rules in the target's
  # network namespace, and the host's must never get them
  [[ "$(readlink "/proc/$pod_pid/ns/net")" == "$(readlink "/proc/$(sh -c 'echo $PPID')/ns/net")" ]] &&
    die "pod app $pod_pid of build ${NAMES[$i]} is in the host's network namespace"
  [[ "$(readlink "/proc/$pod_pid/ns/net")" == "$(ip netns exec "mdjqp$ID$i" readlink /proc/self/ns/net)" ]] ||
    die "pod app $pod_pid of build ${NAMES[$i]} is not in its pod's network namespace"
  BUILD_IP+=("$ip") BUILD_PORT+=("$port") BUILD_POD+=("mdjqp$ID$i")
  cat >"$WORK/mirrord-$i.json" <<EOF
{"target": "pid/$pod_pid",
 "feature": {"network": {"incoming": {"mode": "steal",
   "http_filter": {"header_filter": "^x-mirror: me\$", "ports": [$port]}}}}}
EOF
  # the session's stdin: a FIFO we hold open, carrying the requests for its outgoing clients
  mkfifo "$WORK/requests-$i"
  exec {fd}<>"$WORK/requests-$i"
  REQUEST_FD+=("$fd")
  # setsid: the session gets its own process group, away from our terminal's signals. It must not
  # inherit our ends of the FIFOs, or closing ours would never give its program EOF.
  (
    for f in "${REQUEST_FD[@]}"; do exec {f}>&-; done
    MIRRORD_PROGRESS_MODE=off MIRRORD_LAYER_MODE=${LAYER_MODE[${NAMES[$i]}]:-auto} exec setsid java -jar "${PATHS[$i]}" run -f "$WORK/mirrord-$i.json" -- \
      "$here/session.sh" "$port" "$cli_ip" <"$WORK/requests-$i" >"$WORK/run-$i.log" 2>&1
  ) &
  RUNS+=($!)
  log "build ${NAMES[$i]}: pod $ip (app pid $pod_pid), run pid ${RUNS[$i]}, local app on :$port"
done
t0=$(date +%s)
deadline=$((t0 + 300))
for i in "${!NAMES[@]}"; do
  while (($(date +%s) < deadline)); do
    kill -0 "${RUNS[$i]}" 2>/dev/null || die "run of build ${NAMES[$i]} ended before it was ready"
    body=$(in_ns "$CLI" curl -s -m 2 -H 'x-mirror: me' "http://${BUILD_IP[$i]}:${BUILD_PORT[$i]}/ready" || true)
    [[ "$body" == local* ]] && break
    sleep 0.5
  done
  [[ "$body" == local* ]] || die "build ${NAMES[$i]}: matched requests do not reach the local app after 300 s"
done
log "all sessions steal (ready after $(($(date +%s) - t0)) s)"

# ---- measurements ----
SAMPLES="$WORK/samples.tsv"
: >"$SAMPLES"
sample() { # id variant build round unit value p50 p99 errors share
  local IFS=$'\t'; echo "$*" >>"$SAMPLES"
}
from_session() { # index max_seconds request...: the answer of the session's outgoing client
  local i=$1 max=$2 SEQ; shift 2
  # callers run this in $(...): the sequence number lives in a file, not in a variable
  SEQ=$(($(cat "$WORK/seq" 2>/dev/null || echo 0) + 1))
  echo "$SEQ" >"$WORK/seq"
  echo "$SEQ $*" >&"${REQUEST_FD[$i]}"
  local end=$(($(date +%s) + max))
  while (($(date +%s) < end)); do
    grep -q "^@@end $SEQ\$" "$WORK/run-$i.log" && break
    kill -0 "${RUNS[$i]}" 2>/dev/null || break
    sleep 0.2
  done
  sed -n "/^@@begin $SEQ\$/,/^@@end $SEQ\$/p" "$WORK/run-$i.log"
}
# The program under `run` is reached the way users reach it: through the pod's port, with the header
# the filter steals (its count and client requests are themselves stolen requests).
to_local() { # index path max_seconds: GET path from the program under `run` of build index
  in_ns "$CLI" curl -s -m "$3" -H 'x-mirror: me' "http://${BUILD_IP[$1]}:${BUILD_PORT[$1]}$2" || true
}
counts() { # variant index: "LOCAL POD", requests served so far by the program that gets the
  # matched ones and by the pod's app (each count request goes to the counted program, uncounted)
  if [[ $1 == haproxy ]]; then
    echo "$(in_ns "$POD_D" curl -s -m 5 http://127.0.0.1:9090/__count || true) $(in_ns "$POD_D" curl -s -m 5 http://127.0.0.1:8080/__count || true)"
  else
    echo "$(to_local "$2" /__count 5) $(in_ns "$CLI" curl -s -m 5 "http://${BUILD_IP[$2]}:${BUILD_PORT[$2]}/__count" || true)"
  fi
}
url_of() { # variant index
  case $1 in
    direct) echo "http://$DIRECT_IP:8080/" ;;
    haproxy) echo "http://$DIRECT_IP:8081/" ;;
    *) echo "http://${BUILD_IP[$2]}:${BUILD_PORT[$2]}/" ;;
  esac
}
wrk_run() { # url pct conns seconds -> "rps p50_us p99_us requests errors"
  MATCH_PERCENT=$2 in_ns "$CLI" timeout $(($4 + 30)) wrk -t1 -c"$3" -d"$4s" --timeout 5s --latency \
    -s "$here/mix.lua" "$1" 2>&1 | awk '
    function us(v) { if (v ~ /us$/) return v + 0; if (v ~ /ms$/) return (v + 0) * 1000; if (v ~ /s$/) return (v + 0) * 1000000; return v + 0 }
    /Requests\/sec/ { rps = $2 } / 50%/ { p50 = us($2) } / 99%/ { p99 = us($2) } /requests in/ { n = $1 }
    /Non-2xx/ { err += $NF } /Socket errors/ { gsub(/,/, ""); err += $4 + $6 + $8 + $10 }
    END { printf "%s %d %d %d %d\n", (rps == "" ? 0 : rps), p50, p99, n, err + (rps == "" ? 1 : 0) }'
}
b1_one() { # variant index round pct conns
  local before=() after=() rps p50 p99 n err share="" build=""
  [[ $1 == ours ]] && build=${NAMES[$2]}
  [[ $1 != direct ]] && read -r -a before <<<"$(counts "$1" "$2")"
  read -r rps p50 p99 n err <<<"$(wrk_run "$(url_of "$1" "$2")" "$4" "$5" "$SECS")"
  if [[ $1 != direct ]]; then
    read -r -a after <<<"$(counts "$1" "$2")"
    # share of the requests the program for matched ones answered: should equal the mix
    share=$(awk -v l0="${before[0]:-x}" -v p0="${before[1]:-x}" -v l1="${after[0]:-x}" -v p1="${after[1]:-x}" '
      BEGIN { if (l0 ~ /^[0-9]+$/ && p0 ~ /^[0-9]+$/ && l1 ~ /^[0-9]+$/ && p1 ~ /^[0-9]+$/ && l1 + p1 > l0 + p0)
                printf "%.3f", (l1 - l0) / (l1 - l0 + p1 - p0) }')
  fi
  sample "B1.steal-h1.c$5.m$4" "$1" "$build" "$3" req/s "$rps" "$p50" "$p99" "$err" "$share"
  log "  B1 c$5 m$4 ${build:-$1}: $rps req/s p50 ${p50}us p99 ${p99}us errors $err${share:+ matched share $share}"
}
iperf_mbits() { awk '/receiver/ { for (i = 2; i <= NF; i++) if ($i == "Mbits/sec") v = $(i - 1) } END { print v + 0 }'; }
b5_one() { # variant index round streams
  local out build="" v err=0
  if [[ $1 == direct ]]; then
    out=$(in_ns "$POD_D" timeout $((SECS + 40)) iperf3 -c "$DIRECT_CLI_IP" -p 5201 -f m --connect-timeout 10000 -P "$4" -t "$SECS" 2>&1 || true)
  else
    build=${NAMES[$2]}
    out=$(from_session "$2" $((SECS + 60)) iperf3 "$4" "$SECS")
  fi
  v=$(iperf_mbits <<<"$out")
  if [[ "$v" == 0 ]]; then err=1; v=""; log "  iperf3 failed (${build:-$1}): $(tail -n 3 <<<"$out" | tr '\n' ' ')"; fi
  local gbit=""
  [[ -n "$v" ]] && gbit=$(awk -v m="$v" 'BEGIN { printf "%.3f", m / 1000 }')
  sample "B5.tunnel-iperf3.P$4" "$1" "$build" "$3" Gbit/s "$gbit" "" "" "$err" ""
  log "  B5 P$4 ${build:-$1}: ${v:-failed} Mbit/s"
}
b5_pingpong() { # variant index round
  local out build="" kv
  if [[ $1 == direct ]]; then
    out=$(in_ns "$POD_D" timeout $((2 * SECS + 40)) python3 "$here/pingpong.py" "$DIRECT_CLI_IP" 7007 7009 "$SECS" 2>&1 || true)
  else
    build=${NAMES[$2]}
    out=$(from_session "$2" $((2 * SECS + 60)) pingpong "$SECS")
  fi
  kv=$(grep -o 'idle_p50_us=.*' <<<"$out" | head -1 || true)
  if [[ -z "$kv" ]]; then
    log "  ping-pong failed (${build:-$1}): $(tail -n 3 <<<"$out" | tr '\n' ' ')"
    sample "B5.pingpong-64B.idle" "$1" "$build" "$3" us "" "" "" 1 ""
    return
  fi
  local idle_p50 idle_p99 bulk_p50 bulk_p99
  idle_p50=$(grep -o 'idle_p50_us=[0-9]*' <<<"$kv" | cut -d= -f2) idle_p99=$(grep -o 'idle_p99_us=[0-9]*' <<<"$kv" | cut -d= -f2)
  bulk_p50=$(grep -o 'bulk_p50_us=[0-9]*' <<<"$kv" | cut -d= -f2) bulk_p99=$(grep -o 'bulk_p99_us=[0-9]*' <<<"$kv" | cut -d= -f2)
  sample "B5.pingpong-64B.idle" "$1" "$build" "$3" us "$idle_p99" "$idle_p50" "$idle_p99" 0 ""
  sample "B5.pingpong-64B.under-bulk" "$1" "$build" "$3" us "$bulk_p99" "$bulk_p50" "$bulk_p99" 0 ""
  sample "B5.pingpong-64B.p99-bulk-over-idle" "$1" "$build" "$3" x \
    "$(awk -v a="$bulk_p99" -v b="$idle_p99" 'BEGIN { if (b > 0) printf "%.2f", a / b }')" "" "" 0 ""
  log "  ping-pong ${build:-$1}: $kv"
}

# variants of a benchmark in a round, rotated by (round + case) so none always goes first
VARIANTS=()
variants_rotated() { # offset [with_haproxy]
  local all=("direct 0") n i
  [[ ${2:-} == haproxy ]] && all+=("haproxy 0")
  for i in "${!NAMES[@]}"; do all+=("ours $i"); done
  n=${#all[@]}
  VARIANTS=()
  for ((i = 0; i < n; i++)); do VARIANTS+=("${all[$(((i + $1) % n))]}"); done
}

want() { [[ " $ONLY " == *" $1 "* ]]; }
log "warm-up: ${WARM}s per variant (JIT, connection set-up), not measured"
variants_rotated 0 haproxy
for v in "${VARIANTS[@]}"; do
  read -r variant idx <<<"$v"
  want B1 && wrk_run "$(url_of "$variant" "$idx")" 50 64 "$WARM" >/dev/null
  if want B5 && [[ $variant == ours ]]; then
    from_session "$idx" 60 iperf3 1 1 >/dev/null
  fi
done

for round in $(seq "$ROUNDS"); do
  log "round $round of $ROUNDS (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  k=0
  if want B1; then
    for conns in $CONNS; do
      for pct in $MIXES; do
        variants_rotated $((round + k)) haproxy; k=$((k + 1))
        for v in "${VARIANTS[@]}"; do read -r variant idx <<<"$v"; b1_one "$variant" "$idx" "$round" "$pct" "$conns"; done
      done
    done
  fi
  if want B5; then
    for streams in $STREAMS; do
      variants_rotated $((round + k)); k=$((k + 1))
      for v in "${VARIANTS[@]}"; do read -r variant idx <<<"$v"; b5_one "$variant" "$idx" "$round" "$streams"; done
    done
    if ((PINGPONG)); then
      variants_rotated $((round + k))
      for v in "${VARIANTS[@]}"; do read -r variant idx <<<"$v"; b5_pingpong "$variant" "$idx" "$round"; done
    fi
  fi
done
for i in "${!NAMES[@]}"; do
  kill -0 "${RUNS[$i]}" 2>/dev/null || die "run of build ${NAMES[$i]} ended during the measurements"
done

printf 'load_end\t%s\n' "$(cut -d' ' -f1-3 /proc/loadavg)" >>"$META"
[[ -n "$RAW" ]] && cp "$SAMPLES" "$RAW"
python3 "$here/report.py" "$META" "$SAMPLES"
