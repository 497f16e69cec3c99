#!/usr/bin/env bash
# Runs the health benchmarks in a short, fixed configuration and writes the results:
#   docs/benchmarks/health.json  JMH's JSON
#   docs/benchmarks.md           the "## health" section (table + targets); other sections kept
#
# Configuration (chosen to finish in well under 10 minutes on 2 cores): sample-time mode,
# 3 forks, 3 warm-up iterations of 1 s, 4 measurement iterations of 1 s per fork, one thread.
# Several forks because 2 shared cores are noisy: read the error bars.
#
# Needs: a JDK 21+ (JAVA_HOME or java on PATH); builds bench/target/benchmarks.jar if missing.
# Optional: a Docker engine on /var/run/docker.sock with the image deploykit.local/debian:trixie
# (for the container-inspect check); pg_isready, curl and docker for the shell comparison (each
# missing tool is skipped and named in the output).
#
# Usage: bench/run.sh [extra JMH options, e.g. -f 1 for a quick look]
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
jar="$here/target/benchmarks.jar"

if [[ ! -f "$jar" ]]; then
  (cd "$root" && ./mvnw -B -q -pl bench -am -DskipTests package)
fi

mkdir -p "$root/docs/benchmarks" "$here/target"
json="$root/docs/benchmarks/health.json"
log="$here/target/health-bench.log"
config="3 forks × (3 × 1 s warm-up + 4 × 1 s measurement), sample time, 1 thread"

start=$(date +%s)
load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
"$java" -jar "$jar" 'dev.deploykit.bench.HealthBenchmarks' \
  -f 3 -wi 3 -w 1s -i 4 -r 1s -t 1 -bm sample -tu us \
  -rf json -rff "$json" "$@" 2>&1 | tee "$log"
elapsed=$(( $(date +%s) - start ))

"$java" -cp "$jar" dev.deploykit.bench.BenchReport "$json" "$root/docs/benchmarks.md" "$log" \
  "Configuration: $config; whole run ${elapsed} s; load average (1/5/15 min) at the start: ${load_start}, at the end: $(cut -d' ' -f1-3 /proc/loadavg) (the machine is shared: read the figures with that in mind)."
echo "wrote $root/docs/benchmarks.md and $json (${elapsed} s)"
