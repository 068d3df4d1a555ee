#!/usr/bin/env bash
# Builds the agent image without any image registry: a Debian bookworm root filesystem made by
# mmdebstrap from the apt archive (the packages of the Dockerfile's RUN line), the fat jar, the
# launcher and its CDS archive, imported into podman's storage as an OCI image.
#   conf/agent-image/build.sh [--containerd] [--jar PATH]
# --containerd also imports it into containerd's `k8s.io` namespace (where the kubelet looks), at
#   $CONTAINERD_ADDRESS (default /run/containerd/containerd.sock).
# The build is cached by content: the inputs (Dockerfile, this script, launcher, CDS script, the
# jar's entries) hash to a tag `<version>-<hash>`; when podman already has it, nothing is rebuilt. Older content
# tags of the image are removed once the new one exists.
# stdout: `content tag: ...`, `size: ... MiB`, and last the image reference
# `localhost/mirrordj-agent:<version>`. Progress goes to stderr.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
REPO=localhost/mirrordj-agent
JAR="$ROOT/cli/target/mirrord-fat.jar"
CONTAINERD=false
while [[ $# -gt 0 ]]; do
  case "$1" in
    --containerd) CONTAINERD=true ;;
    --jar) JAR="$(readlink -f "$2")"; shift ;;
    *) echo "build.sh: unknown argument '$1' (accepted: --containerd, --jar PATH)" >&2; exit 2 ;;
  esac
  shift
done
log() { echo "build.sh: $*" >&2; }
# mmdebstrap's helpers (mmtarfilter, once per package) are `#!/usr/bin/env python3` scripts: the
# system python first, not a version manager's shim that would cost seconds per package
export PATH="/usr/sbin:/usr/bin:/sbin:/bin:$PATH"
# downloaded .debs are kept here between builds (the apt archive is only asked for what is new)
APT_CACHE="${MIRRORDJ_APT_CACHE:-/var/cache/mirrordj-image-debs}"
for tool in mmdebstrap podman; do
  command -v "$tool" >/dev/null || { log "$tool is missing: run scripts/install-deps.sh"; exit 1; }
done
[[ -r "$JAR" ]] || { log "no fat jar at $JAR: run 'mvn -B -DskipTests package' first"; exit 1; }
[[ $(id -u) -eq 0 ]] || { log "needs root (mmdebstrap root mode, rootful podman storage)"; exit 1; }

VERSION="$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' "$ROOT/pom.xml" | head -1)"
# The one package list lives in the Dockerfile: both builds install exactly the same packages.
PACKAGES="$(sed -n 's/.*apt-get install -y --no-install-recommends \([^&]*\).*/\1/p' "$HERE/Dockerfile" | xargs)"
[[ -n "$PACKAGES" ]] || { log "cannot find the apt-get install line in $HERE/Dockerfile"; exit 1; }
ENTRYPOINT="$(sed -n 's/^ENTRYPOINT //p' "$HERE/Dockerfile")"
# The jar enters the hash by its entries (name, CRC, size), not its bytes: a rebuild of the same
# classes writes new timestamps into the zip but needs no new image.
jar_entries() {
  python3 -c 'import sys, zipfile
for i in sorted(zipfile.ZipFile(sys.argv[1]).infolist(), key=lambda i: i.filename):
    print(i.filename, format(i.CRC, "08x"), i.file_size)' "$JAR"
}
HASH="$( (cat "$HERE/Dockerfile" "$HERE/build.sh" "$HERE/mirrord-agent" "$HERE/make-cds-archive.sh"
  jar_entries) | sha256sum | cut -c1-16)"
CONTENT_TAG="$REPO:$VERSION-$HASH"
TAG="$REPO:$VERSION"

if podman image exists "$CONTENT_TAG"; then
  log "cached: $CONTENT_TAG (inputs unchanged)"
else
  WORK="$(mktemp -d /tmp/mirrordj-agent-image.XXXXXX)"
  trap 'rm -rf "$WORK"' EXIT
  log "building $CONTENT_TAG from Debian bookworm packages: $PACKAGES"
  mkdir -p "$WORK/in"
  cp "$JAR" "$WORK/in/mirrord-fat.jar"
  cp "$HERE/mirrord-agent" "$HERE/make-cds-archive.sh" "$WORK/in/"
  # minbase = what debian:bookworm-slim holds; docs and locales are left out as the slim image
  # does. Man pages stay: the JRE's postinst registers alternatives for them and fails when
  # /usr/share/man/man1 is missing. The customize hooks run with /proc, /sys and /dev mounted in the new root, so the
  # CDS training run uses the image's own JVM at the image's own jar path.
  # shellcheck disable=SC2016 # "$1" is expanded by mmdebstrap's hook shell, not here
  mmdebstrap --variant=minbase --mode=root --format=tar \
    --include="${PACKAGES// /,}" \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
    --dpkgopt='path-exclude=/usr/share/locale/*' \
    --skip=essential/unlink \
    --setup-hook="mkdir -p $APT_CACHE \"\$1\"/var/cache/apt/archives/" \
    --setup-hook="sync-in $APT_CACHE /var/cache/apt/archives/" \
    --customize-hook="sync-out /var/cache/apt/archives $APT_CACHE" \
    --customize-hook='mkdir -p "$1/opt/mirrordj/lib" "$1/opt/mirrordj/bin"' \
    --customize-hook="copy-in $WORK/in/mirrord-fat.jar /opt/mirrordj/lib" \
    --customize-hook="copy-in $WORK/in/mirrord-agent $WORK/in/make-cds-archive.sh /opt/mirrordj/bin" \
    --customize-hook='chmod 0755 "$1/opt/mirrordj/bin/mirrord-agent" "$1/opt/mirrordj/bin/make-cds-archive.sh"' \
    --customize-hook='chroot "$1" /opt/mirrordj/bin/make-cds-archive.sh /opt/mirrordj/lib/mirrord-fat.jar /opt/mirrordj/lib/mirrord-agent.jsa >&2' \
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin "$1"/var/cache/apt/archives/*.deb' \
    bookworm "$WORK/rootfs.tar" >&2
  podman import \
    --change "ENTRYPOINT $ENTRYPOINT" \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change "LABEL dev.mirrordj.inputs=$HASH" \
    --change "LABEL org.opencontainers.image.version=$VERSION" \
    "$WORK/rootfs.tar" "$CONTENT_TAG" >/dev/null
  # older builds of this image are superseded by this one
  podman images --format '{{.Repository}}:{{.Tag}}' "$REPO" | while read -r old; do
    if [[ "$old" != "$CONTENT_TAG" && "$old" != "$TAG" ]]; then
      log "removing superseded $old"
      podman rmi "$old" >/dev/null 2>&1 || log "could not remove $old (still in use?)"
    fi
  done
fi
podman tag "$CONTENT_TAG" "$TAG"

if $CONTAINERD; then
  command -v ctr >/dev/null || { log "ctr is missing: run scripts/install-deps.sh"; exit 1; }
  ADDRESS="${CONTAINERD_ADDRESS:-/run/containerd/containerd.sock}"
  if ctr --address "$ADDRESS" -n k8s.io images ls -q | grep -qx "$CONTENT_TAG"; then
    log "containerd ($ADDRESS) already has $CONTENT_TAG"
  else
    ARCHIVE="$(mktemp /tmp/mirrordj-agent-image.XXXXXX.tar)"
    podman save --format docker-archive -o "$ARCHIVE" "$CONTENT_TAG" >/dev/null
    ctr --address "$ADDRESS" -n k8s.io images import "$ARCHIVE" >&2
    rm -f "$ARCHIVE"
  fi
  ctr --address "$ADDRESS" -n k8s.io images tag --force "$CONTENT_TAG" "$TAG" >/dev/null
  # superseded builds leave containerd too
  ctr --address "$ADDRESS" -n k8s.io images ls -q | grep "^$REPO:" | grep -vx "$CONTENT_TAG" \
    | grep -vx "$TAG" | xargs -r ctr --address "$ADDRESS" -n k8s.io images rm >/dev/null || true
fi

SIZE="$(podman image inspect --format '{{.Size}}' "$CONTENT_TAG")"
echo "content tag: $CONTENT_TAG"
echo "size: $((SIZE / 1024 / 1024)) MiB ($SIZE bytes, uncompressed)"
echo "$TAG"
