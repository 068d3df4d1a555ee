#!/usr/bin/env bash
# Every benchmark of the user's path in one command, and the report people look at.
#
#   sudo bench/run-all.sh [--smoke|--quick|--long] [--out DIR] [--jar NAME=PATH]...
#
#   --smoke  one short round of B1 (16 connections, 50 % matched) and B5 (one stream): checks the
#            chain from the benchmarks to the report (the tests use it); figures mean little
#   --quick  (default) bench/product --quick (B1, B5) and B6/B7 under both layers; ~10 minutes
#   --long   5 rounds of 5 s, and the agent-level breakdown (bench/run.sh)
#   --out    where the report goes (default bench/report); the results are DIR/results.jsonl
#   --jar    builds to compare (passed to bench/product/run.sh; default: this tree's jar)
#
# Prints one JSON line per result on stdout (as each benchmark finishes), logs on stderr, and writes
# DIR/index.html with PNG charts (JFreeChart, the bench module). Benchmarks the report names but no
# script here measures yet are listed in the report as "not measured in this run".
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
log() { echo "[bench/run-all $(date -u +%T)] $*" >&2; }
die() { log "ERROR: $*"; exit 2; }

MODE=quick OUT="$root/bench/report" JARS=()
while (($#)); do
  case "$1" in
    --smoke) MODE=smoke ;;
    --quick) MODE=quick ;;
    --long) MODE=long ;;
    --out) [[ $# -ge 2 ]] || die "--out needs a directory"; OUT=$2; shift ;;
    --jar) [[ $# -ge 2 ]] || die "--jar needs NAME=PATH"; JARS+=(--jar "$2"); shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
  shift
done
[[ $(id -u) -eq 0 ]] || die "needs root (network namespaces, iptables through the agent)"
mkdir -p "$OUT"
OUT=$(readlink -f "$OUT")
RESULTS="$OUT/results.jsonl"
: >"$RESULTS"

if [[ ! -f "$root/cli/target/mirrord-fat.jar" || ! -f "$root/bench/target/mirrordj-bench-report.jar" ]]; then
  log "building the fat jar and the report"
  (cd "$root" && mvn -B -q -DskipTests package -pl cli,bench -am >&2)
fi

# each step's JSON lines go to stdout and into the results file as they come
record() { tee -a "$RESULTS"; }

case $MODE in
  smoke) PRODUCT=(--rounds 1 --seconds 1 --mixes 50 --conns 16 --streams 1) ;;
  quick) PRODUCT=(--quick) ;;
  long) PRODUCT=() ;;
esac
log "B1, B5 through run (bench/product/run.sh ${PRODUCT[*]})"
"$root/bench/product/run.sh" "${PRODUCT[@]}" "${JARS[@]}" | record

if [[ $MODE != smoke ]]; then
  log "B6, B7 under the LD_PRELOAD and the seccomp layer (LayerOnPodBenchmark)"
  (cd "$root" && CI=true mvn -B -q -pl test/e2e -am verify -Dtest=LayerOnPodBenchmark \
    -Dsurefire.failIfNoSpecifiedTests=false >&2)
  record <"$root/test/e2e/target/layer-on-pod-benchmark.jsonl" >/dev/null
  cat "$root/test/e2e/target/layer-on-pod-benchmark.jsonl"
fi
if [[ $MODE == long ]]; then
  log "agent-level breakdown (bench/run.sh)"
  "$root/bench/run.sh" --rounds 3 | record
  log "B11 soak: no script measures it yet; the report lists it as not measured"
fi

commit=$(git -C "$root" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
git -C "$root" diff --quiet HEAD 2>/dev/null || commit="$commit-dirty"
java -Djava.awt.headless=true -jar "$root/bench/target/mirrordj-bench-report.jar" \
  --out "$OUT" --commit "$commit" --title "mirrordj benchmarks ($MODE)" "$RESULTS" >&2
log "report: $OUT/index.html"
