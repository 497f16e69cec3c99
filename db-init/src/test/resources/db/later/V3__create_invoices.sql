CREATE TABLE invoices (id bigint PRIMARY KEY, order_id bigint NOT NULL REFERENCES orders (id));
INSERT INTO orders VALUES (1, 'tea', 3.50);
INSERT INTO invoices VALUES (10, 1);
