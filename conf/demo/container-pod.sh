# Sourced by demo.sh --container: the demo pod becomes a real container. After pod-harness.sh has
# started the demo cluster (and read its state into pod_* / cluster_* variables), container_pod_up
#  1. builds (or finds in podman's store, cached by content) the agent image with
#     conf/agent-image/build.sh and a python3 target image;
#  2. starts the target as a podman container with the demo's environment variable and file, and
#     hangs it on the demo cluster's bridge the way a CNI plugin would (a veth, an address, the
#     cluster's resolv.conf), serving HTTP on the pod's port;
#  3. starts the agent image as a container the way the agent Job runs it (host PID namespace, its
#     own network namespace, only the Job's capabilities, the Job's memory and CPU limits);
#  4. forwards a local port into the agent container's network namespace, as kubectl port-forward
#     does, and points pod_pid / pod_ip at the container and agent_connect at the forward.
# container_pod_down removes all of it; demo.sh's cleanup calls it on every exit path.
# Needs podman, mmdebstrap and socat (scripts/install-deps.sh installs them).

container_suffix="$$"
container_target="mirrordj-demo-web-$container_suffix"
container_agent="mirrordj-demo-agent-$container_suffix"
container_forward_pid=""
agent_connect=""

# The limits runc applies must not exceed this shell's own hard limits (runc cannot raise them).
container_ulimits() {
  local files procs
  files="$(ulimit -Hn)"
  procs="$(ulimit -Hu)"
  [[ "$files" == unlimited ]] && files=1048576
  [[ "$procs" == unlimited ]] && procs="$(cat /proc/sys/kernel/pid_max)"
  (( procs > $(cat /proc/sys/kernel/pid_max) )) && procs="$(cat /proc/sys/kernel/pid_max)"
  echo "--ulimit nofile=$files:$files --ulimit nproc=$procs:$procs"
}

container_pod_up() {
  local work="$1" agent_image target_image ulimits cpid ip prefix
  echo "demo: building the agent image and a python3 target image (cached by content) ..." >&2
  agent_image="$(conf/agent-image/build.sh 2>"$work/agent-image.log" | sed -n 's/^content tag: //p' || true)"
  [[ -n "$agent_image" ]] || { echo "demo: agent image build failed:" >&2; cat "$work/agent-image.log" >&2; return 1; }
  target_image="$(test/e2e/src/test/resources/containers/build-target-image.sh 2>"$work/target-image.log" | tail -1 || true)"
  [[ -n "$target_image" ]] || { echo "demo: target image build failed:" >&2; cat "$work/target-image.log" >&2; return 1; }
  ulimits="$(container_ulimits)"

  mkdir -p "$work/pod"
  printf 'this file exists only in the demo pod\n' >"$work/pod/message.txt"
  printf 'nameserver %s\nsearch default.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5\n' \
    "$dns_ip" >"$work/pod/resolv.conf"
  cat >"$work/pod/server.py" <<'PY'
import http.server, sys
body = b"hello from the demo pod (a podman container)\n"
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
http.server.ThreadingHTTPServer(("0.0.0.0", int(sys.argv[1])), H).serve_forever()
PY
  # shellcheck disable=SC2086 # ulimits is a list of options on purpose
  podman run -d --name "$container_target" $ulimits --pull never --network none --hostname demo-web \
    -e 'DEMO_POD_GREETING=hello from inside the demo pod (a podman container)' \
    -v "$work/pod/message.txt:/srv/demo/message.txt:ro" -v "$work/pod/server.py:/srv/server.py:ro" \
    -v "$work/pod/resolv.conf:/etc/resolv.conf:ro" \
    "$target_image" python3 /srv/server.py "$pod_http_port" >/dev/null
  cpid="$(podman inspect --format '{{.State.Pid}}' "$container_target")"
  # the harness pod is at .100 of the cluster subnet; the container takes .150
  prefix="${pod_ip%.*}"
  ip="$prefix.150"
  ip netns exec "$cluster_netns" ip link add "vd$container_suffix" type veth peer name eth0 netns "$cpid"
  ip netns exec "$cluster_netns" ip link set "vd$container_suffix" master br0 up
  nsenter --net="/proc/$cpid/ns/net" ip addr add "$ip/24" dev eth0
  nsenter --net="/proc/$cpid/ns/net" ip link set eth0 up
  for _ in $(seq 1 100); do   # until the container's server answers from the cluster (10 s)
    ip netns exec "$cluster_netns" python3 -c "import socket,sys; socket.create_connection(('$ip', $pod_http_port), 1)" \
      2>/dev/null && break
    sleep 0.1
  done

  # the agent Job's container: --pid host, no network but its own, the Job's capabilities only,
  # the default resources (limits 100Mi / 100m); --idle-ttl keeps it for both runs of the demo
  # shellcheck disable=SC2086
  podman run -d --name "$container_agent" $ulimits --pull never --security-opt seccomp=unconfined \
    --network none --pid host --cap-drop all \
    --cap-add NET_ADMIN --cap-add NET_RAW --cap-add SYS_PTRACE --cap-add SYS_ADMIN \
    --memory 104857600 --cpus 0.1 \
    "$agent_image" --port 61000 --communication-timeout 60 --idle-ttl 120 --target-pid "$cpid" >/dev/null
  for _ in $(seq 1 240); do   # the ready line, as the CLI waits for it in a pod's log (2 minutes)
    podman logs "$container_agent" 2>/dev/null | grep -q 'agent ready' && break
    if [[ "$(podman inspect --format '{{.State.Running}}' "$container_agent")" != true ]]; then
      echo "demo: the agent container stopped:" >&2; podman logs "$container_agent" >&2; return 1
    fi
    sleep 0.5
  done
  podman logs "$container_agent" 2>/dev/null | grep -q 'agent ready' \
    || { echo "demo: the agent container never got ready" >&2; return 1; }

  local apid port
  apid="$(podman inspect --format '{{.State.Pid}}' "$container_agent")"
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  printf '#!/bin/sh\nexec nsenter --net=/proc/%s/ns/net socat STDIO TCP:127.0.0.1:61000\n' "$apid" \
    >"$work/port-forward.sh"
  chmod 0700 "$work/port-forward.sh"
  socat "TCP-LISTEN:$port,bind=127.0.0.1,reuseaddr,fork" "EXEC:$work/port-forward.sh" >/dev/null 2>&1 &
  container_forward_pid=$!
  agent_connect="127.0.0.1:$port"
  pod_pid="$cpid"
  pod_ip="$ip"
  echo "demo: target container $container_target (pid $cpid, $ip), agent container $container_agent" \
    "($agent_image), port-forward $agent_connect" >&2
}

container_pod_down() {
  if [[ -n "$container_forward_pid" ]]; then kill "$container_forward_pid" 2>/dev/null || true; fi
  podman rm -f -t 0 "$container_agent" "$container_target" >/dev/null 2>&1 || true
}
