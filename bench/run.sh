#!/usr/bin/env bash
# Benchmarks of the agent against the direct path, in the same run (ratios, see bench/README.md).
#
#   bench/run.sh [--rounds N] [B5] [B6]        (default: B5 B6, 5 rounds; needs root)
#
# Prints one JSON line per result on stdout: {id, variant, unit, P (direct), S (ours), ratio_S_P (median of
# per-round ratios), rounds, spread [min, max] of the ratio, ...}. Logs go to stderr.
#   B5 outgoing tunnel: bulk TCP MiB/s and 64 B ping-pong RTT to a cluster-only server, direct from the pod's
#      netns (P) vs through the agent (S).
#   B6 remote file read: 1 MiB and 4 KiB read requests, 1,000 whole small files (fetch; open+read+close) through
#      the agent (S) vs the same bytes streamed over plain TCP on the same loopback link (P).
# Builds the fat jar and the test classes first if they are missing. Everything runs in harness namespaces
# and on loopback, bounded in size and time.
set -euo pipefail
"$(dirname "$(readlink -f "$0")")/../scripts/install-deps.sh" --bench   # socat (R1 relay), wrk, haproxy
root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
cd "$root"
if [[ ! -f cli/target/mirrord-fat.jar || ! -d test/e2e/target/test-classes/dev/mirrordj/e2e/bench ]]; then
  mvn -B -q -o -DskipTests package >&2
fi
# The fat jar carries the protocol client, Vert.x and logging; the harness and the benchmark classes come from
# the build's output directories (nothing is installed into ~/.m2).
m2="${MAVEN_REPO:-$HOME/.m2/repository}"
extra="$m2/net/java/dev/jna/jna/5.19.1/jna-5.19.1.jar:$m2/org/junit/jupiter/junit-jupiter-api/5.11.4/junit-jupiter-api-5.11.4.jar:$m2/org/opentest4j/opentest4j/1.3.0/opentest4j-1.3.0.jar"
exec java -Xmx2g -Dlogback.configurationFile="$root/test/harness/target/classes/dev/mirrordj/harness/cli-logback.xml" \
  -cp "test/e2e/target/test-classes:test/harness/target/classes:cli/target/mirrord-fat.jar:$extra" \
  dev.mirrordj.e2e.bench.BenchMain --jar cli/target/mirrord-fat.jar "$@"
