/**
 * deploykit health: concurrent health checks with per-check deadlines ({@code
 * dev.deploykit.health}), the built-in checks ({@code dev.deploykit.health.checks}) and the
 * project's waiting and retrying ({@code dev.deploykit.health.wait}). {@code
 * dev.deploykit.health.internal} is not exported.
 *
 * <p>The PostgreSQL JDBC driver ({@code org.postgresql:postgresql}) is optional: only {@code
 * PostgresCheck} and {@code WorkerHeartbeatCheck} use it, and without it they answer DOWN naming
 * the missing dependency. Jackson only writes and reads JSON trees and maps here, so no package
 * is opened to it.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.deploykit.health {
  // The automatic modules required here (docker-java, OSHI and pgjdbc) name themselves in their
  // manifests (Automatic-Module-Name): their names are stable.
  exports dev.deploykit.health;
  exports dev.deploykit.health.checks;
  exports dev.deploykit.health.wait;

  // The Docker checks take the caller's DockerClient.
  requires transitive com.github.dockerjava.api;
  requires static transitive org.jspecify;

  requires com.fasterxml.jackson.databind;
  requires com.github.oshi;
  requires java.sql;
  requires okhttp3;
  requires org.slf4j;
  requires static org.postgresql.jdbc;
}
