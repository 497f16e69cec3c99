/**
 * deploykit db-init: prepares a PostgreSQL database for a release (database, owner, read-only
 * role, Flyway migrations) through one entry point, {@code dev.deploykit.dbinit.DbInit}. {@code
 * dev.deploykit.dbinit.internal} is not exported.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.deploykit.dbinit {
  exports dev.deploykit.dbinit;

  // DbInit.Builder takes health's TimeSource and Backoff.
  requires transitive dev.deploykit.health;
  requires static transitive org.jspecify;

  // pgjdbc names itself (Automatic-Module-Name). Flyway 13 publishes no module name (neither a
  // module-info nor an Automatic-Module-Name): these two names are derived from the jar file
  // names and would change with them.
  requires flyway.core;
  requires flyway.database.postgresql;
  requires java.sql;
  requires org.postgresql.jdbc;
  requires org.slf4j;
}
