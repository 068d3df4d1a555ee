#!/usr/bin/env bash
# The demo: a local program run "inside" a local demo pod. Needs root (namespaces, a local agent).
#  1. installs what is missing and builds the fat jar if needed;
#  2. starts a demo pod on the pod harness: its own network, mount and UTS namespaces, an environment
#     variable, a pod-only file, and a "cluster" next to it with a DNS server and an echo service that
#     only the pod can reach;
#  3. runs conf/demo/demo_app.py twice: plainly (it sees this machine) and under
#     `mirrord run` with target pid/<pod pid> (it sees the pod);
#  4. tears everything down, whatever happened.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")"
if [[ $(id -u) -ne 0 ]]; then
  echo "demo.sh: needs root (network namespaces and a local agent); run: sudo $0" >&2
  exit 1
fi
./scripts/install-deps.sh
if [[ ! -f cli/target/mirrord-fat.jar || -n "${DEMO_REBUILD:-}" ]]; then
  echo "demo: building (mvn -B -q -DskipTests package) ..." >&2
  mvn -B -q -DskipTests package
fi

work="$(mktemp -d /tmp/mirrord-demo.XXXXXX)"
owner=""
cleanup() {
  if [[ -n "$owner" ]]; then scripts/pod-harness.sh down --owner "$owner" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

scripts/pod-harness.sh up --state "$work/pod.env" --name demo \
  --env 'DEMO_POD_GREETING=hello from inside the demo pod' \
  --file '/srv/demo/message.txt=this file exists only in the demo pod' \
  >"$work/harness.log" 2>&1 &
owner=$!
for _ in $(seq 1 600); do
  [[ -s "$work/pod.env" ]] && break   # written atomically once the pod and its cluster are up
  if ! kill -0 "$owner" 2>/dev/null; then
    echo "demo: the demo pod failed to start:" >&2; cat "$work/harness.log" >&2; exit 1
  fi
  sleep 0.1
done
# shellcheck disable=SC1091
. "$work/pod.env"

cat >"$work/mirrord.json" <<JSON
{
  "target": "pid/${pod_pid}",
  "feature": {
    "env": { "include": "DEMO_*" },
    "fs": { "mode": "read", "read_only": "^/srv/demo(/|\$)" },
    "network": { "incoming": "off", "outgoing": true, "dns": true }
  }
}
JSON

app=(python3 conf/demo/demo_app.py /srv/demo/message.txt "${http_name}" "${http_port}")
echo
echo "=== without mirrord: the program sees this machine"
DEMO_LOCAL_ONLY=1 "${app[@]}" || true
echo
echo "=== with mirrord (target pid/${pod_pid}): the program sees the demo pod"
MIRRORD_PROGRESS_MODE="${MIRRORD_PROGRESS_MODE:-simple}" bin/mirrord run -f "$work/mirrord.json" -- "${app[@]}"
