CREATE TABLE orders (
  id bigint PRIMARY KEY,
  item text NOT NULL,
  price numeric(8, 2) NOT NULL
);
