#!/usr/bin/env bash
# Database backup and restore throughput on the local engine (dev.deploykit.bench.backup.
# BackupThroughput): a PostgreSQL 18.1 container filled with SIZE_MB of rows, then `deploykit db
# backup` / `db restore --clean` (the library's DatabaseBackups) against pg_dump / pg_restore run
# directly in the same container, ROUNDS times each in turn; before that the time the automatic
# backup adds to a release (a backup of a sample-sized database, 5 times). Prints figures only.
#
# Needs a Docker engine and a JDK 21+ (found as ./mvnw finds one), and about 3 x SIZE_MB of free
# disk (the database, a dump in the container, a dump here). About 10 minutes for 1.1 GB and two
# rounds on 2 cores. Not part of the CI suite.
#
# Usage: bench/backup.sh [SIZE_MB, default 1100] [ROUNDS, default 2]
set -euo pipefail

. "$(cd "$(dirname "$0")" && pwd)/lib.sh"
bench_java dev.deploykit.bench.backup.BackupThroughput "$@"
