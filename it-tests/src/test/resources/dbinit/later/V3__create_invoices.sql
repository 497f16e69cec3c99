-- Runs after the read-only role exists: it must still be able to read this table.
CREATE TABLE invoices (id bigint PRIMARY KEY, order_id bigint NOT NULL REFERENCES orders (id));
INSERT INTO invoices VALUES (10, 1);
