#!/usr/bin/env bash
# Incoming-traffic benchmarks B1 (filtered steal, keep-alive, 0/50/100 % matching), B3 (pass-through
# overhead: same port non-matching, steal on another port) and B4 (mirror completeness at rising load).
# Direct path (P), HAProxy doing the same routing (A) and ours (S) run in the same invocation, and the
# ratios are printed as JSON lines (ratios, not absolute numbers, are what compares across machines).
#
#   sudo bench/incoming/run.sh [DURATION_SECONDS=5] [CONNECTIONS=32]
#   (env: MIXES="0 50 100" match percentages for B1; ONLY="B1 B3 B4" which benchmarks to run)
#
# Everything runs in two throw-away network namespaces ("pod" and "client", veth between them):
# no traffic leaves the machine. Needs root, wrk, node, haproxy (optional) and a compiled agent
# module (the script compiles it offline). The agent side measured here has no client tunnel: the
# "local program" is a server on the pod's loopback, so these numbers are the agent's steal path.
set -euo pipefail
"$(dirname "$(readlink -f "$0")")/../../scripts/install-deps.sh" --bench   # wrk, haproxy
cd "$(dirname "$(readlink -f "$0")")/../.."
DUR=${1:-5}
CONNS=${2:-32}
ID=$(head -c3 /dev/urandom | od -An -tx1 | tr -d ' \n')
POD=mdjbp$ID; CLI=mdjbc$ID; POD_IP=10.252.$((RANDOM % 200 + 1)).1; CLI_IP=${POD_IP%.1}.2
PIDS=()
cleanup() {
  for p in "${PIDS[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  ip netns del "$POD" 2>/dev/null || true
  ip netns del "$CLI" 2>/dev/null || true
}
trap cleanup EXIT

# test-compile: the benchmark driver BenchAgent lives in the agent's test sources, not in the product jar;
# the dependency plugin is pinned (the default 2.8 is not resolvable on a fresh machine)
mvn -B -q -pl agent -am test-compile org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
  -Dmdep.outputFile=/tmp/mirrordj-bench-cp.$ID >/dev/null
CP="agent/target/classes:agent/target/test-classes:$(cat /tmp/mirrordj-bench-cp.$ID)"; rm -f /tmp/mirrordj-bench-cp.$ID

ip netns add "$POD"; ip netns add "$CLI"
ip link add "vp$ID" type veth peer name "vc$ID"
ip link set "vp$ID" netns "$POD"; ip link set "vc$ID" netns "$CLI"
ip -n "$POD" addr add "$POD_IP/24" dev "vp$ID"; ip -n "$CLI" addr add "$CLI_IP/24" dev "vc$ID"
for ns in "$POD" "$CLI"; do ip -n "$ns" link set lo up; done
ip -n "$POD" link set "vp$ID" up; ip -n "$CLI" link set "vc$ID" up

ip netns exec "$POD" node bench/incoming/app.js pod 0.0.0.0 8080 & PIDS+=($!)
ip netns exec "$POD" node bench/incoming/app.js local 127.0.0.1 9090 & PIDS+=($!)
HAVE_HAPROXY=0
if command -v haproxy >/dev/null; then
  ip netns exec "$POD" haproxy -q -f bench/incoming/haproxy.cfg & PIDS+=($!); HAVE_HAPROXY=1
fi
PORTS="8080 9090"; [ $HAVE_HAPROXY = 1 ] && PORTS="$PORTS 8081"
for port in $PORTS; do
  for _ in $(seq 100); do
    ip netns exec "$POD" bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" 2>/dev/null && continue 2
    sleep 0.1
  done
  echo "nothing listens on $port in the pod after 10 s" >&2; exit 1
done

# wrk → "rps p50_us p99_us requests errors"
load() { # url match_percent [connections]
  MATCH_PERCENT=$2 ip netns exec "$CLI" wrk -t2 -c"${3:-$CONNS}" -d"${DUR}s" --latency -s bench/incoming/mix.lua "$1" | awk '
    function us(v) { if (v ~ /us$/) return v+0; if (v ~ /ms$/) return (v+0)*1000; if (v ~ /s$/) return (v+0)*1000000; return v }
    /Requests\/sec/ { rps=$2 } / 50%/ { p50=us($2) } / 99%/ { p99=us($2) }
    /requests in/ { n=$1 } /Non-2xx|Socket errors/ { err=err" "$0 }
    END { printf "%s %d %d %d %s\n", rps, p50, p99, n, (err==""?"0":"1") }'
}

warmup() { # url match_percent: 2 s of the same load, unmeasured (JIT, connection set-up)
  MATCH_PERCENT=$2 ip netns exec "$CLI" wrk -t2 -c"$CONNS" -d2s -s bench/incoming/mix.lua "$1" >/dev/null 2>&1 || true
}

start_agent() { # args for BenchAgent; waits for "ready"
  coproc AGENT { exec java -Xmx256m -Dlogback.configurationFile=bench/incoming/logback.xml -cp "$CP" dev.mirrordj.agent.incoming.bench.BenchAgent "$@" 2>/tmp/mirrordj-bench-agent.$ID.log; }
  PIDS+=($AGENT_PID)
  read -r line <&"${AGENT[0]}"; [ "$line" = ready ] || { echo "agent failed: $line" >&2; cat /tmp/mirrordj-bench-agent.$ID.log >&2; exit 1; }
}
stop_agent() { exec {AGENT[1]}>&-; wait "$AGENT_PID" 2>/dev/null || true; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a / b; else printf "null" }'; }

NS_PATH=/run/netns/$POD
MIXES=${MIXES:-0 50 100}
ONLY=${ONLY:-B1 B3 B4}
want() { [[ " $ONLY " == *" $1 "* ]]; }
want B1 && for pct in $MIXES; do
  read -r P P50 P99 _ PERR <<<"$(load "http://$POD_IP:8080/" "$pct")"
  A=0; A50=0; A99=0
  if [ $HAVE_HAPROXY = 1 ]; then warmup "http://$POD_IP:8081/" "$pct"; read -r A A50 A99 _ _ <<<"$(load "http://$POD_IP:8081/" "$pct")"; fi
  start_agent steal "$NS_PATH" 8080 9090 '^x-user: alice$'
  warmup "http://$POD_IP:8080/" "$pct"
  read -r S S50 S99 _ SERR <<<"$(load "http://$POD_IP:8080/" "$pct")"
  stop_agent
  echo "{\"id\":\"B1\",\"variant\":\"steal-h1-keepalive-$pct\",\"P\":$P,\"A\":$A,\"S\":$S,\"ratio_S_P\":$(ratio "$S" "$P"),\"ratio_S_A\":$(ratio "$S" "$A"),\"added_p50_us\":$((S50 - P50)),\"added_p99_us\":$((S99 - P99)),\"A_p99_us\":$A99,\"errors\":$SERR,\"connections\":$CONNS,\"seconds\":$DUR}"
done

# B3: stealing another port must leave this one alone
if want B3; then
read -r P P50 P99 _ _ <<<"$(load "http://$POD_IP:8080/" 0)"
start_agent steal "$NS_PATH" 8082 9090
warmup "http://$POD_IP:8080/" 0
read -r S S50 S99 _ SERR <<<"$(load "http://$POD_IP:8080/" 0)"
stop_agent
echo "{\"id\":\"B3\",\"variant\":\"passthrough-other-port\",\"P\":$P,\"S\":$S,\"ratio_S_P\":$(ratio "$S" "$P"),\"added_p99_us\":$((S99 - P99)),\"errors\":$SERR}"
echo "{\"id\":\"B3\",\"variant\":\"passthrough-same-port\",\"note\":\"see B1 steal-h1-keepalive-0 (same port, filter matches nothing)\"}"
fi

# B4: mirror completeness while the pod answers, rising closed-loop load
want B4 || exit 0
start_agent mirror "$NS_PATH" 8080 "vp$ID"
sleep 1 # the capture filter is applied asynchronously after "ready"
before=0
# open loop at fixed rates first (the gate is 100 % at <= 10 % of the app's max), then closed loop
for rate in 500 1000 2000; do
  read -r sent_kv late_kv <<<"$(ip netns exec "$CLI" python3 bench/incoming/paced.py "$POD_IP" 8080 "$rate" "$DUR" 8)"
  SENT=${sent_kv#sent=}
  sleep 3 # longer than the capture's hole timeout, so every loss is counted before we look
  echo count >&"${AGENT[1]}"; read -r counters <&"${AGENT[0]}"
  mirrored=$(sed 's/.*mirrored=\([0-9]*\).*/\1/' <<<"$counters")
  got=$((mirrored - before)); before=$mirrored
  echo "{\"id\":\"B4\",\"variant\":\"mirror-open-${rate}rps\",\"sent\":$SENT,\"${late_kv%%=*}\":${late_kv#*=},\"mirrored\":$got,\"completeness\":$(ratio "$got" "$SENT"),\"counters\":\"$counters\"}"
done
for c in 2 4 16 64; do # wrk needs connections >= threads (2)
  read -r P P50 P99 SENT _ <<<"$(load "http://$POD_IP:8080/" 0 "$c")"
  sleep 3 # longer than the capture's hole timeout, so every loss is counted before we look
  echo count >&"${AGENT[1]}"; read -r counters <&"${AGENT[0]}"
  mirrored=$(sed 's/.*mirrored=\([0-9]*\).*/\1/' <<<"$counters")
  got=$((mirrored - before)); before=$mirrored
  echo "{\"id\":\"B4\",\"variant\":\"mirror-c$c\",\"rps\":$P,\"sent\":$SENT,\"mirrored\":$got,\"completeness\":$(ratio "$got" "$SENT"),\"counters\":\"$counters\"}"
done
stop_agent
