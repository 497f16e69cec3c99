CREATE TABLE refunds (id bigint PRIMARY KEY);
