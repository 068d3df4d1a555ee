#!/bin/bash
# Measures the memory of a targetless agent (guard + worker) started by the image's launcher while it
# serves one client (200 pings + file fetches, session held open). Outside a container; needs the fat jar.
#   conf/agent-image/measure-memory.sh cli/target/mirrord-fat.jar [JAVA_OPTS]
# With an archive beside the jar (make-cds-archive.sh JAR <dir of JAR>/mirrord-agent.jsa) it is used.
# Prints ps RSS (counts shared pages in both), PSS (shares them out) and anonymous memory per process.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
JAR="$(readlink -f "$1")"
if [ $# -ge 2 ]; then export MIRRORD_AGENT_JAVA_OPTS="$2"; fi
PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
OUT=$(mktemp -d)
trap 'exec 3>&- 2>/dev/null || true; kill $GUARD $DRV 2>/dev/null || true; rm -rf "$OUT"' EXIT
MIRRORD_AGENT_JAR="$JAR" sh "$HERE/mirrord-agent" --listen 127.0.0.1 --port "$PORT" --targetless \
  --communication-timeout 60 >"$OUT/out" 2>"$OUT/err" &
GUARD=$!
for _ in $(seq 1 150); do grep -q "agent ready" "$OUT/out" 2>/dev/null && break; sleep 0.2; done
WORKER=$(pgrep -P "$GUARD" | head -1)
mkfifo "$OUT/in"
java -cp "$JAR" "$HERE/MemoryDriver.java" "$PORT" <"$OUT/in" >"$OUT/drv" &
DRV=$!
exec 3>"$OUT/in"
for _ in $(seq 1 300); do grep -q driven "$OUT/drv" 2>/dev/null && break; sleep 0.2; done
grep -q driven "$OUT/drv" || { echo "the client did not finish; agent stderr:" >&2; cat "$OUT/err" >&2; exit 1; }
sleep 2 # let the worker settle after the burst
kib() { awk -v k="$1:" '$1==k{print $2}' "/proc/$2/smaps_rollup"; }
for who in guard worker; do
  pid=$([ $who = guard ] && echo "$GUARD" || echo "$WORKER")
  printf '%-6s pid %-7s rss %6s KiB  pss %6s KiB  anon %6s KiB\n' "$who" "$pid" \
    "$(ps -o rss= -p "$pid" | tr -d ' ')" "$(kib Pss "$pid")" "$(kib Anonymous "$pid")"
done
exec 3>&-
wait "$DRV"
