-- One row per worker process: its last beat, for deploykit's worker heartbeat check
-- (select last_beat from worker_heartbeats where worker = ?).
create table worker_heartbeats (
  worker     text        primary key,
  version    text        not null,
  state      text        not null check (state in ('running', 'stopping', 'stopped')),
  started_at timestamptz not null,
  last_beat  timestamptz not null,
  jobs_done  bigint      not null default 0
);
