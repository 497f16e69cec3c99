#!/usr/bin/env bash
# The redeploy overhead on the local engine (dev.deploykit.bench.deploy.DeployOverhead): the
# sample stack deployed once, then N redeploys that change only the app image. Prints, per
# redeploy, wall time = app gate + worker gate + watch window + deploykit's overhead, and
# healthy-to-switched; then the overhead's p50/p95 against its 1.5 s target, healthy-to-switched's
# distribution against p95 <= 25 ms, and the median gap before each event (where the time goes).
#
# Needs a Docker engine and a JDK 21+ (found as ./mvnw finds one). Builds the bench module with
# its reactor (nothing installed into ~/.m2). About 2 minutes for 20 redeploys with a 3 s watch
# window on 2 cores, plus image builds on a first run.
#
# Usage: bench/deploy.sh [redeploys, default 20]
#   BENCH_WATCH_WINDOW=30s bench/deploy.sh      the sample's own watch window (default here 3 s)
set -euo pipefail

. "$(cd "$(dirname "$0")" && pwd)/lib.sh"
bench_java -Dbench.watchWindow="${BENCH_WATCH_WINDOW:-3s}" dev.deploykit.bench.deploy.DeployOverhead "$@"
