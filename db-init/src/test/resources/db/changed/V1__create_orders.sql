CREATE TABLE orders (
  id bigint PRIMARY KEY,
  item text NOT NULL,
  price numeric(10, 2) NOT NULL  -- edited after it was applied
);
