#!/bin/sh
# Builds the seccomp layer's launcher into $1 (called by the Maven build at compile time). Static:
# it must run before, and without, any shared library or LD_PRELOAD.
set -eu
out="$1"
src="$(dirname "$0")"
mkdir -p "$out"
exec gcc -static -O2 -g0 -s -Wall -Wextra -o "$out/mirrord-seccomp-launch" "$src"/launcher.c
