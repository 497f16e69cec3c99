# Finds a JDK (or JRE) 21 or newer for the build and the command. POSIX sh, sourced by ./mvnw,
# ./deploykit and .ci/run, so the rule lives once:
#   JAVA_HOME when it names one that is new enough, else the newest under /usr/lib/jvm, else the
#   java on the PATH. Machines of this project's kind carry JDK 17 as the default and a newer JDK
#   beside it; the build needs 21 (maven.compiler.release).
#
#   deploykit_java_major DIR   prints the Java feature version of DIR/bin/java (empty if none)
#   deploykit_find_jdk [javac] prints the home of a Java 21+ (with javac when asked), or fails

deploykit_java_major() {
  [ -x "$1/bin/java" ] || return 0
  # The JDK's release file says it without starting a JVM (a tenth of a second or more).
  if [ -r "$1/release" ] && grep -q '^JAVA_VERSION=' "$1/release"; then
    sed -n 's/^JAVA_VERSION="\{0,1\}\([0-9.]*\).*/\1/p' "$1/release" | sed 's/^1\.//; s/\..*//'
    return 0
  fi
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java.specification.version = //p' | sed 's/^1\.//; s/\..*//'
}

deploykit_find_jdk() {
  _dk_need_javac="${1:-}"
  _dk_on_path=""
  if command -v java >/dev/null 2>&1; then
    _dk_on_path="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
  fi
  # Newest first under /usr/lib/jvm (version-sorted names, reversed).
  _dk_candidates="$(find /usr/lib/jvm -mindepth 1 -maxdepth 1 2>/dev/null | sort -rV)"
  for _dk_home in "${JAVA_HOME:-}" $_dk_candidates "$_dk_on_path"; do
    [ -n "$_dk_home" ] || continue
    if [ -n "$_dk_need_javac" ] && [ ! -x "$_dk_home/bin/javac" ]; then
      continue
    fi
    _dk_major="$(deploykit_java_major "$_dk_home")"
    if [ -n "$_dk_major" ] && [ "$_dk_major" -ge 21 ] 2>/dev/null; then
      printf '%s\n' "$_dk_home"
      return 0
    fi
  done
  return 1
}
