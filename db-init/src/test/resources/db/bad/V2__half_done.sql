CREATE TABLE half_done (id int);
INSERT INTO half_done VALUES (1);
INSERT INTO no_such_table VALUES (1);
CREATE TABLE never_reached (id int);
