#!/usr/bin/env bash
# The demo: a local program run "inside" a local demo pod. Needs root (namespaces, a local agent).
#  1. installs what is missing and builds the fat jar if needed;
#  2. starts a demo pod on the pod harness: its own network, mount and UTS namespaces, an environment
#     variable, a pod-only file, and a "cluster" next to it with a DNS server and an echo service that
#     only the pod can reach;
#  3. runs conf/demo/demo_app.py twice: plainly (it sees this machine) and under
#     `mirrord run` with target pid/<pod pid> (it sees the pod);
#  4. starts conf/demo/demo_server.py under `mirrord run` in steal mode with a header filter, and
#     sends two requests to the pod from the demo cluster: the one with the header is answered by
#     this machine, the other by the pod;
#  5. tears everything down, whatever happened.
# With --container the demo pod is a real container instead (conf/demo/container-pod.sh): a podman
# container hung on the demo cluster, served by the agent image running as a container the way the
# agent Job runs it, reached through a port-forward; the same program, the same results.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")"
container=""
case "${1:-}" in
  --container) container=1 ;;
  "") ;;
  *) echo "demo.sh: unknown argument '$1' (accepted: --container)" >&2; exit 2 ;;
esac
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
stealer=""
connect_line=""
if [[ -n "$container" ]]; then
  # shellcheck source=conf/demo/container-pod.sh
  . conf/demo/container-pod.sh
fi
cleanup() {
  if [[ -n "$stealer" ]] && kill -0 "$stealer" 2>/dev/null; then
    kill -TERM "$stealer" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$stealer" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$stealer" 2>/dev/null || true
  fi
  if [[ -n "$container" ]]; then container_pod_down; fi
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
if [[ -n "$container" ]]; then
  container_pod_up "$work"
  connect_line="\"connect_tcp\": \"${agent_connect}\","
fi

cat >"$work/mirrord.json" <<JSON
{
  "target": "pid/${pod_pid}",${connect_line}
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

# Part 2: incoming traffic. The local server listens on 18080; port_mapping makes it stand for the
# pod's HTTP port, and the header filter steals only the requests that carry the demo header.
cat >"$work/steal.json" <<JSON
{
  "target": "pid/${pod_pid}",${connect_line}
  "feature": {
    "env": false,
    "fs": "local",
    "network": {
      "incoming": {
        "mode": "steal",
        "http_filter": { "header_filter": "^x-demo-user: me$", "ports": [${pod_http_port}] },
        "port_mapping": [[18080, ${pod_http_port}]]
      },
      "outgoing": false,
      "dns": false
    }
  }
}
JSON

# A request made from the demo cluster (a namespace next to the pod), with or without the header.
ask_pod() {
  ip netns exec "${cluster_netns}" python3 - "$pod_ip" "$pod_http_port" "$@" <<'PY'
import sys, urllib.request
host, port, extra = sys.argv[1], sys.argv[2], sys.argv[3:]
req = urllib.request.Request("http://%s:%s/" % (host, port))
for h in extra:
    name, value = h.split(": ", 1)
    req.add_header(name, value)
print(urllib.request.urlopen(req, timeout=5).read().decode(), end="")
PY
}

echo
echo "=== incoming traffic: a local server under mirrord steals the pod's port ${pod_http_port} for requests with 'X-Demo-User: me'"
MIRRORD_PROGRESS_MODE=off bin/mirrord run -f "$work/steal.json" -- \
  python3 conf/demo/demo_server.py 18080 >"$work/stealer.log" 2>&1 &
stealer=$!
stolen=""
deadline=$((SECONDS + 120))
while (( SECONDS < deadline )); do   # until the steal is in place (bounded: 2 minutes)
  if ! kill -0 "$stealer" 2>/dev/null; then
    echo "demo: the local server under mirrord stopped:" >&2; cat "$work/stealer.log" >&2; exit 1
  fi
  if ask_pod "X-Demo-User: me" 2>/dev/null | grep -q "this machine"; then stolen=1; break; fi
  sleep 0.1
done
if [[ -z "$stolen" ]]; then
  echo "demo: the steal did not start within 2 minutes:" >&2; cat "$work/stealer.log" >&2; exit 1
fi
echo "--- from the demo cluster, with the header 'X-Demo-User: me':"
ask_pod "X-Demo-User: me"
echo "--- from the demo cluster, without it:"
ask_pod
