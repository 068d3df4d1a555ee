#!/usr/bin/env bash
# Starts or stops a demo pod on the local pod harness (pods = Linux namespaces; see test/harness).
#
#   scripts/pod-harness.sh up [--state FILE] [--name demo] [--env K=V]... [--file /PATH=CONTENT]... [--http-port 80]
#       runs in the foreground; prints KEY=VALUE lines (pod_pid, pod_ip, ...) then "ready"; SIGTERM/SIGINT
#       tears the pod and its cluster down. Typical use from a script:
#         scripts/pod-harness.sh up --state /tmp/pod.env & owner=$!
#         until [ -f /tmp/pod.env ]; do sleep 0.2; done; . /tmp/pod.env   # $pod_pid, $pod_ip, ...
#         ...; scripts/pod-harness.sh down --owner "$owner"
#   scripts/pod-harness.sh down [--owner PID]
#       stops that "up" process (waiting for its cleanup) and sweeps leftovers of crashed runs.
# Needs root. Compiles the harness module if its classes are missing.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
cp_file="$root/test/harness/target/runtime-classpath.txt"
if [[ ! -d "$root/test/harness/target/classes/dev" || ! -s "$cp_file" ]]; then
  # with the reactor (-am), so the project's own modules resolve to their target/classes and
  # nothing needs to be installed in ~/.m2; the harness is built last, so its classpath is the
  # one left in $cp_file
  (cd "$root" && mvn -B -q -pl test/harness -am compile org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
         -Dmdep.includeScope=runtime -Dmdep.outputFile="$cp_file" >&2)
fi
exec java -Dlogback.configurationFile="$root/test/harness/target/classes/dev/mirrordj/harness/cli-logback.xml" \
  -cp "$root/test/harness/target/classes:$(cat "$cp_file")" dev.mirrordj.harness.HarnessMain "$@"
