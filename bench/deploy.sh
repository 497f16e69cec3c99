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

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
. "$root/tools/jdk.sh"
JAVA_HOME="$(deploykit_find_jdk javac)" || { echo "bench/deploy.sh: no JDK 21+ found" >&2; exit 1; }
export JAVA_HOME

(cd "$root" && ./mvnw -B -ntp -q -pl bench -am -DskipTests package dependency:build-classpath \
  -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime)
exec "$JAVA_HOME/bin/java" -Ddeploykit.repository.root="$root" \
  -Dbench.watchWindow="${BENCH_WATCH_WINDOW:-3s}" \
  -cp "$here/target/classes:$(cat "$here/target/classpath.txt")" \
  dev.deploykit.bench.deploy.DeployOverhead "$@"
