#!/bin/sh
# Builds the agent's AppCDS archive (run once at image build, with the image's own JVM):
#   make-cds-archive.sh /opt/mirrordj/lib/mirrord-fat.jar /opt/mirrordj/lib/mirrord-agent.jsa
# A training run of the agent worker (targetless, no client: it exits after 1 s) records the classes
# it loads; -Xshare:dump then archives them with the JDK's own. The archive is valid only for this
# jar path and this JVM; the launcher maps it with -Xshare:auto, so a mismatch only costs memory.
set -eu
JAR="$1"
OUT="$2"
LIST="$(mktemp)"
trap 'rm -f "$LIST"' EXIT
# the worker exits when stdin closes (its guard is gone); `sleep` keeps stdin open for the run.
# The worker exits 1 (no client within --communication-timeout): expected.
sleep 5 | java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:DumpLoadedClassList="$LIST" \
  -jar "$JAR" agent --worker --targetless --listen 127.0.0.1 --port 0 --communication-timeout 1 \
  >/dev/null 2>&1 || true
if [ ! -s "$LIST" ]; then
  echo "make-cds-archive: the training run recorded no classes" >&2
  exit 1
fi
java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:dump -XX:SharedClassListFile="$LIST" \
  -XX:SharedArchiveFile="$OUT" -Xlog:cds=error -jar "$JAR" >/dev/null
echo "make-cds-archive: wrote $OUT ($(wc -l < "$LIST") classes listed)"
