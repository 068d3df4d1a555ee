#!/bin/sh
# Builds libmirrord_layer.so into $1 (called by the Maven build at compile time).
set -eu
out="$1"
src="$(dirname "$0")"
mkdir -p "$out"
exec gcc -shared -fPIC -O2 -g0 -Wall -Wextra -Wno-unused-parameter -U_FORTIFY_SOURCE \
  -fvisibility=hidden -ftls-model=initial-exec -o "$out/libmirrord_layer.so" \
  "$src"/*.c -ldl -lpthread
