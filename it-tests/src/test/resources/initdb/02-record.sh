#!/usr/bin/env bash
# Runs once, after 01-schema.sql, as the official image runs executable init scripts.
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -c "INSERT INTO init_runs (source) VALUES ('sh')"
