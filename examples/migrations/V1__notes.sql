-- The sample app's notes: what POST /notes writes and GET /notes reads.
-- Migrations here are expand-only (new tables, new nullable or defaulted columns, new indexes), so
-- the release before and the release after a deploy both run against the migrated schema.
create table notes (
  id         bigint generated always as identity primary key,
  body       text        not null,
  written_by text        not null,
  created_at timestamptz not null default clock_timestamp()
);
