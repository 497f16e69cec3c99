# Sourced by bench/deploy.sh and bench/backup.sh: the preamble they share, so it lives once.
#   bench_java [JVM options...] MAIN [args...]   builds the bench module with its reactor (nothing
#   installed into ~/.m2) and writes its runtime classpath, then execs MAIN on a JDK 21+ (found as
#   ./mvnw finds one) with -Ddeploykit.repository.root set to the checkout.
bench_here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bench_root="$(cd "$bench_here/.." && pwd)"
. "$bench_root/tools/jdk.sh"
JAVA_HOME="$(deploykit_find_jdk javac)" || { echo "bench/$(basename "$0"): no JDK 21+ found" >&2; exit 1; }
export JAVA_HOME

bench_java() {
  (cd "$bench_root" && ./mvnw -B -ntp -q -pl bench -am -DskipTests package dependency:build-classpath \
    -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=runtime)
  exec "$JAVA_HOME/bin/java" -Ddeploykit.repository.root="$bench_root" \
    -cp "$bench_here/target/classes:$(cat "$bench_here/target/classpath.txt")" "$@"
}
