-- Runs once, on the first start of an empty data directory.
CREATE TABLE init_runs (source text NOT NULL, ran_at timestamptz NOT NULL DEFAULT now());
INSERT INTO init_runs (source) VALUES ('sql');
CREATE TABLE notes (body text NOT NULL);
