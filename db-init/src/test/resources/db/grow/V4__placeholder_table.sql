CREATE TABLE ${tableName} (id int);
