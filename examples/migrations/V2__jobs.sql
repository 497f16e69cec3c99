-- Work for the sample worker: POST /jobs inserts a queued row; a worker claims it with
-- SELECT ... FOR UPDATE SKIP LOCKED, keeps the row locked while it asks the LLM service, then sets
-- status 'done' and commits, so a worker that dies mid-job releases the row for another one.
create table jobs (
  id          bigint generated always as identity primary key,
  prompt      text        not null,
  status      text        not null default 'queued' check (status in ('queued', 'done')),
  result      text,
  model       text,
  claimed_by  text,
  created_at  timestamptz not null default clock_timestamp(),
  done_at     timestamptz
);
-- The claim query's index: the oldest queued jobs first.
create index jobs_queued on jobs (id) where status = 'queued';
