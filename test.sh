#!/usr/bin/env bash
# The test command: installs what is missing, builds everything, runs every test (unit, harness pods,
# end-to-end with real programs). Root-only tests skip with one line outside CI; with CI=true they must run.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")"
./scripts/install-deps.sh
exec mvn -B verify "$@"
