#!/usr/bin/env bash
# Runs the health benchmarks in a short, fixed configuration and writes the results:
#   docs/benchmarks/health.json       JMH's JSON: each check, deploykit's runner, the peers
#   docs/benchmarks/health-hung.json  JMH's JSON: the suite plus a hung check, every runner
#   docs/benchmarks.md                the "## health" section (tables + targets); others kept
#
# Two latency sets (realistic: PostgreSQL 2 ms, app 5 ms, Ollama 20 ms; zero), the peers
# (Spring Boot Actuator, SmallRye Health, Dropwizard) beside deploykit's runner in the same run.
# Configuration (about 7 minutes on 2 cores): sample time, 1 thread; main run 1 fork x (6 x 1 s
# warm-up + 3 x 1 s measurement) per benchmark and latency; hung-check run 1 fork x (2 + 3 x 1 s),
# realistic latency only. The warm-up is long because on 2 shared cores the JIT is still
# compiling docker-java's and the checks' paths after several seconds (measured with -prof comp);
# shorter warm-ups measure the compiler more than the checks. The 1-minute load average is sampled every 5 s through the run. The
# servers (bench.BenchHost) start once, in their own JVM, for every latency set; the forks reach
# them through the file named in DEPLOYKIT_BENCH_HOST.
#
# Needs: a JDK 21+ (JAVA_HOME or java on PATH); builds bench/target/benchmarks.jar if missing or
# older than the sources. Optional: a Docker engine on /var/run/docker.sock with the image
# deploykit.local/debian:trixie (for the container-inspect check); pg_isready, curl and docker
# for the shell comparison (each missing tool is skipped and named in the output).
#
# Usage: bench/run.sh [extra JMH options for both runs, e.g. -prof gc; not -f/-wi/-i/-w/-r/-p]
#   BENCH_FORKS=2 bench/run.sh               more forks in the main run
#   BENCH_LATENCY=realistic bench/run.sh     one latency set (or postgres=5ms,app=5ms,ollama=5ms)
#   BENCH_WARMUP=0 BENCH_ITERATIONS=1 BENCH_TIME=300ms bench/run.sh   a quick look (both runs)
#   BENCH_SHELL=1 bench/run.sh               also the seed-style shell check (pg_isready, curl)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
jar="$here/target/benchmarks.jar"

# Always with -am: without it Maven shades whatever deploykit-health snapshot sits in ~/.m2, not
# this tree's.
if [[ ! -f "$jar" ]] || [[ -n "$(find "$here/src" "$here/pom.xml" "$root/health/src/main" \
    -newer "$jar" -type f -print -quit)" ]]; then
  (cd "$root" && ./mvnw -B -ntp -q -pl bench -am -DskipTests package)
fi

mkdir -p "$root/docs/benchmarks" "$here/target"
json="$root/docs/benchmarks/health.json"
hung_json="$root/docs/benchmarks/health-hung.json"
log="$here/target/health-bench.log"
loads="$here/target/health-bench.load"
forks="${BENCH_FORKS:-1}"
warmup="${BENCH_WARMUP:-6}"
iterations="${BENCH_ITERATIONS:-3}"
time="${BENCH_TIME:-1s}"
hung_warmup=$(( warmup < 2 ? warmup : 2 ))
latency="${BENCH_LATENCY:-realistic,zero}"
common=(-t 1 -bm sample -tu us -prof dev.deploykit.bench.CpuTimeProfiler)
# The seed-style shell check is not one of the targets; BENCH_SHELL=1 runs it too.
exclude="${BENCH_SHELL:+^\$}"
exclude="${exclude:-shell_check}"

: > "$loads"
(while true; do cut -d' ' -f1 /proc/loadavg >> "$loads"; sleep 5; done) &
sampler=$!
# The servers start once for the whole run, in their own JVM; every fork reads where they are.
endpoints="$here/target/bench-endpoints.properties"
rm -f "$endpoints"
sets="$(tr ',' '\n' <<< "$latency,realistic" | sort -u | tr '\n' ' ')"
# shellcheck disable=SC2086
"$java" -Xmx256m -cp "$jar" dev.deploykit.bench.BenchHost "$endpoints" $sets \
  > "$here/target/bench-host.log" 2>&1 &
host=$!
trap 'kill "$sampler" "$host" 2>/dev/null || true; wait "$host" 2>/dev/null || true' EXIT
for _ in $(seq 1 240); do
  [[ -f "$endpoints" ]] && break
  kill -0 "$host" 2>/dev/null || { cat "$here/target/bench-host.log"; exit 1; }
  sleep 0.5
done
[[ -f "$endpoints" ]] || { echo "bench host did not start in 120 s" >&2; exit 1; }
export DEPLOYKIT_BENCH_HOST="$endpoints"

start=$(date +%s)
load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
"$java" -jar "$jar" 'dev\.deploykit\.bench\.(HealthBenchmarks|PeerBenchmarks)\.' -e "$exclude" \
  -f "$forks" -wi "$warmup" -w "$time" -i "$iterations" -r "$time" "${common[@]}" \
  -p "latency=$latency" \
  -rf json -rff "$json" "$@" 2>&1 | tee "$log"
"$java" -jar "$jar" 'dev\.deploykit\.bench\.HungCheckBenchmarks\.' \
  -f 1 -wi "$hung_warmup" -w "$time" -i "$iterations" -r "$time" "${common[@]}" \
  -p latency=realistic \
  -rf json -rff "$hung_json" "$@" 2>&1 | tee -a "$log"
elapsed=$(( $(date +%s) - start ))
kill "$sampler" "$host" 2>/dev/null || true
wait "$host" 2>/dev/null || true

load_run="$(sort -n "$loads" | awk '{ v[NR] = $1; s += $1 } END {
  if (NR) printf "min %.2f, median %.2f, mean %.2f, max %.2f over %d samples", v[1], v[int((NR + 1) / 2)], s / NR, v[NR], NR }')"
config="Configuration: main run ${forks} fork(s) × (${warmup} × ${time} warm-up + ${iterations} × \
${time} measurement) per benchmark and latency set (${latency}), hung-check run 1 fork × \
(${hung_warmup} × ${time} + ${iterations} × ${time}), realistic latency; sample time, 1 thread; \
whole run ${elapsed} s. Load average (1 min) during the run: \
${load_run}; (1/5/15 min) at the start ${load_start}, at the end $(cut -d' ' -f1-3 /proc/loadavg) \
(2 cores, shared with other builds)."
"$java" -cp "$jar" dev.deploykit.bench.BenchReport "$root/docs/benchmarks.md" "$log" "$config" \
  "$json" "$hung_json"
echo "wrote $root/docs/benchmarks.md, $json and $hung_json (${elapsed} s)"
