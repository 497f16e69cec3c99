CREATE TABLE config (k text PRIMARY KEY, v text);
INSERT INTO config VALUES ('api', '${apiKey}');
INSERT INTO missing_table VALUES ('${apiKey}');
