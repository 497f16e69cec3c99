# Sourced by bench/deploy.sh, bench/backup.sh and bench/backup-ssh.sh: the preamble they share, so
# it lives once.
#   bench_java [JVM options...] MAIN [args...]   builds the bench module with its reactor (nothing
#   installed into ~/.m2) and writes its runtime classpath, then execs MAIN on a JDK 21+ (found as
#   ./mvnw finds one) with -Ddeploykit.repository.root set to the checkout.
#   bench_build [MODULES [SCOPE]]   that build alone: MODULES (default bench) with their reactor,
#   each one's SCOPE (default runtime) class path written to its target/classpath.txt.
#   bench_classpath   the bench module's class path once built.
bench_here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bench_root="$(cd "$bench_here/.." && pwd)"
. "$bench_root/tools/jdk.sh"
JAVA_HOME="$(deploykit_find_jdk javac)" || { echo "bench/$(basename "$0"): no JDK 21+ found" >&2; exit 1; }
export JAVA_HOME

bench_build() {
  (cd "$bench_root" && ./mvnw -B -ntp -q -pl "${1:-bench}" -am -DskipTests package dependency:build-classpath \
    -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope="${2:-runtime}")
}

bench_classpath() {
  echo "$bench_here/target/classes:$(cat "$bench_here/target/classpath.txt")"
}

bench_java() {
  bench_build
  exec "$JAVA_HOME/bin/java" -Ddeploykit.repository.root="$bench_root" -cp "$(bench_classpath)" "$@"
}
