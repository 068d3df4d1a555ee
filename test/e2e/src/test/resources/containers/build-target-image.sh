#!/usr/bin/env bash
# Builds the image the container tests use as a target: Debian bookworm (minbase) with python3, from
# the apt archive with mmdebstrap, imported into podman (and, with --containerd ADDRESS, into that
# containerd's k8s.io namespace). Cached by content: the tag carries the hash of this script, so a
# second run only prints the reference. Last stdout line: the image reference.
set -euo pipefail
export PATH="/usr/sbin:/usr/bin:/sbin:/bin:$PATH" # system python3 for mmdebstrap helpers, not a shim
REPO=localhost/mirrordj-test-target
HASH="$(sha256sum "$0" | cut -c1-16)"
TAG="$REPO:$HASH"
ADDRESS=""
if [[ "${1:-}" == "--containerd" ]]; then ADDRESS="$2"; fi
if ! podman image exists "$TAG"; then
  WORK="$(mktemp -d /tmp/mirrordj-test-target.XXXXXX)"
  trap 'rm -rf "$WORK"' EXIT
  mmdebstrap --quiet --variant=minbase --mode=root --format=tar --include=python3 \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' \
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin' \
    bookworm "$WORK/rootfs.tar" >&2
  podman import --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["sleep", "infinity"]' "$WORK/rootfs.tar" "$TAG" >/dev/null
  # superseded versions of the test image
  podman images --format '{{.Repository}}:{{.Tag}}' "$REPO" | grep -vx "$TAG" \
    | xargs -r podman rmi >/dev/null 2>&1 || true
fi
if [[ -n "$ADDRESS" ]] && ! ctr --address "$ADDRESS" -n k8s.io images ls -q | grep -qx "$TAG"; then
  ARCHIVE="$(mktemp /tmp/mirrordj-test-target.XXXXXX.tar)"
  podman save --format docker-archive -o "$ARCHIVE" "$TAG" >/dev/null
  ctr --address "$ADDRESS" -n k8s.io images import "$ARCHIVE" >&2
  rm -f "$ARCHIVE"
  ctr --address "$ADDRESS" -n k8s.io images ls -q | grep "^$REPO:" | grep -vx "$TAG" \
    | xargs -r ctr --address "$ADDRESS" -n k8s.io images rm >/dev/null || true
fi
echo "$TAG"
