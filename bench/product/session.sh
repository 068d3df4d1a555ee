#!/usr/bin/env bash
# The program bench/product/run.sh starts under `mirrord run` once per build:
#   session.sh PORT CLUSTER_IP
# It runs the local node app (the stolen requests' destination) on PORT, and the outgoing clients
# on request, as its own children, so they inherit the layer: one session (and one agent) per build
# for the whole benchmark instead of one per measurement. Requests come as lines on stdin:
#   SEQ iperf3 STREAMS SECONDS      iperf3 -c CLUSTER_IP:5201
#   SEQ pingpong SECONDS            pingpong.py against CLUSTER_IP's echo (7007) and sink (7009)
# and each answer is framed by "@@begin SEQ" / "@@end SEQ" lines on stdout. EOF on stdin ends it.
set -u
here="$(cd "$(dirname "$0")" && pwd)"
port=$1 cluster=$2
node "$here/app.js" local 0.0.0.0 "$port" &
app=$!
trap 'kill "$app" 2>/dev/null' EXIT
number() { [[ "$1" =~ ^[0-9]{1,3}$ ]]; }
while read -r seq cmd a b; do
  echo "@@begin $seq"
  case "$cmd" in
    iperf3) number "$a" && number "$b" &&
      iperf3 -c "$cluster" -p 5201 -f m --connect-timeout 10000 -P "$a" -t "$b" 2>&1 ;;
    pingpong) number "$a" && python3 "$here/pingpong.py" "$cluster" 7007 7009 "$a" 2>&1 ;;
    *) echo "unknown request: $cmd" ;;
  esac
  echo "@@end $seq"
done
