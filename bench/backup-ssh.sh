#!/usr/bin/env bash
# Database backup and restore throughput over SSH: bench/backup.sh's measurement
# (dev.deploykit.bench.backup.BackupThroughput) against a test droplet on this machine
# (dev.deploykit.it.support.BenchDroplet: the suite's TestDroplet, its own dockerd behind sshd on
# 127.0.0.1, host key pinned in a known_hosts file). deploykit's dump streams through the SSH
# connection to a folder here and back; pg_dump / pg_restore run directly on the droplet; a backup
# kept in the droplet's volume (store: host) is measured too. The droplet is removed at the end,
# whatever happens. Prints figures only.
#
# Needs what bench/backup.sh needs, and the test droplet's image (built by the images module's
# recipes on first use, as the IT suite does). Not part of the CI suite.
#
# Usage: bench/backup-ssh.sh [SIZE_MB, default 1100] [ROUNDS, default 1]
set -euo pipefail

. "$(cd "$(dirname "$0")" && pwd)/lib.sh"
bench_build bench,it-tests test
it="$bench_root/it-tests/target"
# As it-tests/pom.xml sets them for the suite: no registry serves Ryuk, and the engine is this machine's.
export TESTCONTAINERS_RYUK_DISABLED="${TESTCONTAINERS_RYUK_DISABLED:-true}"
export TESTCONTAINERS_HOST_OVERRIDE="${TESTCONTAINERS_HOST_OVERRIDE:-localhost}"
coproc DROPLET { exec "$JAVA_HOME/bin/java" -cp "$it/test-classes:$it/classes:$(cat "$it/classpath.txt")" \
  dev.deploykit.it.support.BenchDroplet; }
droplet_pid=$DROPLET_PID
# SIGTERM makes it remove itself (so does its stdin closing, should this shell die); wait until it has.
trap 'kill "$droplet_pid" 2>/dev/null; wait "$droplet_pid" || true' EXIT
address="" identity="" known_hosts=""
while [[ -z "$known_hosts" ]] && IFS= read -r line <&"${DROPLET[0]}"; do
  case "$line" in
    address=*) address="${line#address=}" ;;
    identity=*) identity="${line#identity=}" ;;
    known_hosts=*) known_hosts="${line#known_hosts=}" ;;
  esac
done
[[ -n "$known_hosts" ]] || { echo "bench/backup-ssh.sh: the test droplet did not start" >&2; exit 1; }
"$JAVA_HOME/bin/java" -Ddeploykit.repository.root="$bench_root" -cp "$(bench_classpath)" \
  dev.deploykit.bench.backup.BackupThroughput "${1:-1100}" "${2:-1}" \
  --host "$address" --identity "$identity" --known-hosts "$known_hosts"
