#!/usr/bin/env bash
# Runs once, on the image's temporary socket-only server, before the real server starts: it makes
# the first-start init take a few seconds, as a real dump restore would, and leaves a marker.
set -euo pipefail
sleep 3
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -c "CREATE SCHEMA bootstrap" \
  -c "CREATE TABLE bootstrap.init_marker (done_at timestamptz NOT NULL DEFAULT now())" \
  -c "INSERT INTO bootstrap.init_marker DEFAULT VALUES"
