#!/usr/bin/env bash
# Fault scenarios that do not belong in CI (long, or touching the host's loopback firewall or a
# cgroup): F3 agent memory cap, F6 partition of the run<->agent tunnel (5 s, a long one, 30 % loss),
# F9 mirror overload, F12 chaos loop (random SIGKILL of the agent worker, run or the local program).
# Each runs through `mirrord run` on a harness pod under open-loop load (30 req/s, 50 % matching a
# header filter) and ends by checking the pod invariants (no rule of ours, no agent left, the pod's
# app answers). Writes bench/faults/faults.jsonl (one JSON line per scenario) and faults.md.
#
#   bench/faults.sh [--seconds S] [--long-partition S] [--only "F3 F6 F9 F12"] [--short]
#
# --seconds: load phase per scenario (default 20; F12 runs 3x that). --long-partition: the long
# link-down of F6 (default 60). --short: --seconds 10 --long-partition 30. Needs root and
# cli/target/mirrord-fat.jar (mvn -B -q -DskipTests package). Bounded: every phase has its time.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
seconds=20
long=60
only="F3 F6 F9 F12"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --long-partition) long="$2"; shift 2 ;;
    --only) only="$2"; shift 2 ;;
    --short) seconds=10; long=30; shift ;;
    *) echo "usage: $0 [--seconds S] [--long-partition S] [--only \"F3 F6 F9 F12\"] [--short]" >&2; exit 2 ;;
  esac
done
[[ $(id -u) -eq 0 ]] || { echo "bench/faults.sh needs root (namespaces, iptables, cgroups)" >&2; exit 1; }
[[ -f "$root/cli/target/mirrord-fat.jar" ]] || { echo "build first: mvn -B -q -DskipTests package" >&2; exit 1; }
out="$root/bench/faults"
mkdir -p "$out"
cd "$root"
log=/tmp/faults-bench.$$.log
status=0
CI=true timeout $(( (seconds * 8 + long + 600) )) mvn -B -q -o -pl test/e2e -am test -Dtest=FaultBench \
  -Dsurefire.failIfNoSpecifiedTests=false -Dmirrordj.faults.seconds="$seconds" \
  -Dmirrordj.faults.longPartition="$long" -Dmirrordj.faults.only="$only" \
  -Dmirrordj.faults.out="$out" >"$log" 2>&1 || status=$?
cat "$out/faults.md" 2>/dev/null || true
[[ $status -eq 0 ]] || echo "the fault bench did not finish cleanly: see $log" >&2
exit $status
