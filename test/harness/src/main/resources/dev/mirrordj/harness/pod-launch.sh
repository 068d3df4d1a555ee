#!/bin/sh
# Builds a pod's private root and execs the pod command in it. Runs as
#   ip netns exec <pod netns> unshare --mount --uts -- /bin/sh pod-launch.sh ROOT STAGE HOSTNAME WORKDIR CMD...
# i.e. already inside the pod's network namespace and fresh (private) mount and UTS namespaces, so every
# mount below is invisible to the host. The process keeps its PID through every exec: the PID the harness
# started is the pod's main process, the one an agent targets.
#
# The root is a tmpfs: host system directories are bind-mounted (read-through, like a container image),
# /etc is a private copy (the pod's own resolv.conf, hosts, hostname), /tmp, /run, /srv, /mnt, /media
# are empty and private, and STAGE/files is copied on top (pod-only files, e.g. /app/...).
set -eu
root=$1 stage=$2 podhost=$3 workdir=$4
shift 4
pod_path=${PATH:-/usr/sbin:/usr/bin:/sbin:/bin}
PATH=/usr/sbin:/usr/bin:/sbin:/bin

mount -t tmpfs -o mode=0755 mdj-pod-root "$root"
for entry in /*; do
  name=${entry#/}
  case "$name" in
    proc|sys|dev) mkdir "$root/$name"; mount --rbind "$entry" "$root/$name" ;;
    tmp) mkdir -m 1777 "$root/tmp" ;;
    run|srv|mnt|media) mkdir "$root/$name" ;;
    etc) cp -a /etc "$root/etc" ;;
    lost+found|old_root) ;;
    *)
      if [ -L "$entry" ]; then
        ln -s "$(readlink "$entry")" "$root/$name"
      elif [ -d "$entry" ]; then
        mkdir "$root/$name"
        mount --rbind "$entry" "$root/$name"
      fi ;;
  esac
done
# The copied /etc may hold symlinks for these (systemd-resolved); the pod's own files replace them.
rm -f "$root/etc/resolv.conf" "$root/etc/hosts" "$root/etc/hostname"
cp -a "$stage/files/." "$root/"
hostname "$podhost"
mkdir -p "$root/.mdj"
: > "$root/.mdj/ready"

PATH=$pod_path
# The shell exported its own PWD; the pod's environment is exactly what the harness passed in.
unset PWD OLDPWD
# /.mdj/ready becomes visible as /proc/<pid>/root/.mdj/ready only after the chroot: the harness waits for it.
# env -C changes directory without a shell, so the command's environment is exactly the pod's (no PWD/OLDPWD).
exec /usr/sbin/chroot "$root" /usr/bin/env -C "$workdir" "$@"
