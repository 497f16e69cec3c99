CREATE TABLE orders (id bigint PRIMARY KEY, item text NOT NULL, price numeric(8, 2) NOT NULL);
INSERT INTO orders VALUES (1, 'tea', 3.50), (2, 'scone', 2.75);
