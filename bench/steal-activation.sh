#!/usr/bin/env bash
# B10 steal activation: new connections at a steady rate (default 2000/s, 6 s) to a pod's app while
# a steal starts and stops six times with flush_connections on; every request must be answered.
# Runs StealActivationTest (agent module) at the given rate; its summary line has sent/ok/failed.
# The load client is asyncio python in a client namespace: check "sent" against rate x 6 s to see
# whether this machine reached the rate. Needs root; bounded (6 s of load, 60 s at most to drain).
#
#   bench/steal-activation.sh [RATE]
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
rate="${1:-2000}"
cd "$root"
report=agent/target/surefire-reports/dev.mirrordj.agent.incoming.StealActivationTest-output.txt
rm -f "$report"
status=0
CI=true mvn -B -q -o -pl agent -am test -Dtest=StealActivationTest \
  -Dsurefire.failIfNoSpecifiedTests=false -Dmirrordj.stealActivation.rate="$rate" >/tmp/steal-activation.$$.log 2>&1 \
  || status=$?
# the summary line goes to the console or, when surefire redirects test output, to the report file
grep -hE "^steal activation:" /tmp/steal-activation.$$.log "$report" 2>/dev/null || true
[[ $status -eq 0 ]] || echo "steal activation at $rate/s failed: see /tmp/steal-activation.$$.log" >&2
exit $status
