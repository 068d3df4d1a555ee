#!/usr/bin/env bash
# Installs every system package the build, the demo and the tests need, on a fresh Debian machine.
# Idempotent: packages already present are skipped, so it is cheap to call from every entry script.
set -euo pipefail
packages=(
  openjdk-17-jdk-headless maven gcc libc6-dev make   # build: Java 17, Maven, the C layer
  iproute2 iptables nftables conntrack procps psmisc # pods as namespaces, redirect rules, cleanup
  libpcap0.8                                          # the sniffer (pcap4j loads libpcap.so.0.8)
  dnsmasq-base                                        # the harness cluster's DNS server
  python3 nodejs curl socat util-linux                # real programs under the layer; unshare/nsenter
  golang-go                                           # a Go program under the layer
  libjemalloc2 libtcmalloc-minimal4 libmimalloc2.0    # allocators loaded beside the layer (deadlock guard)
  nghttp2-server                                      # nghttpd: a Debian program linked to jemalloc
  chromium                                            # the operator status page in a real headless browser
  wrk haproxy iperf3                                  # bench/run-all.sh --smoke, which a test runs
  fontconfig fonts-dejavu-core                        # the benchmark report's charts (Java 2D text)
  podman containerd runc mmdebstrap                   # the agent image (conf/agent-image/build.sh) and
                                                      # the container tests: real runtimes, no registry
)
# Benchmarks only (bench/): HTTP load generator, the HAProxy anchor, the tunnel's throughput client and
# server, startup timing. `install-deps.sh --bench` adds them.
if [[ "${1:-}" == "--bench" ]]; then
  packages+=(hyperfine)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# A JDK or node installed outside dpkg (image-provided) is fine.
if command -v javac >/dev/null && javac -version 2>&1 | grep -q ' 17'; then
  missing=("${missing[@]/openjdk-17-jdk-headless}")
fi
command -v mvn >/dev/null && missing=("${missing[@]/maven}")
command -v node >/dev/null && missing=("${missing[@]/nodejs}")
command -v python3 >/dev/null && missing=("${missing[@]/python3}")
read -r -a missing <<< "${missing[*]}"
if (( ${#missing[@]} )); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "install-deps: need root to install: ${missing[*]} (re-run with sudo)" >&2
    exit 1
  fi
  echo "install-deps: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
