package dev.deploykit.dbinit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One embedded PostgreSQL 18.1 (zonky, no Docker) for the whole test run, injected as a test
 * parameter. TCP logins need a SCRAM password like a real deployment's, except for the
 * {@code postgres} superuser the tests use to set up and inspect; every statement is logged to
 * {@link #serverLog()}, so tests can check what reached the server.
 */
public final class PgServer implements AutoCloseable {
  private final EmbeddedPostgres pg;
  private final Path serverLog;
  private final AtomicInteger next = new AtomicInteger();

  /**
   * Injects the run's one {@link PgServer} into test methods ({@code @ExtendWith}); it lives in
   * the root store, which closes it when the run ends.
   */
  public static final class Extension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
        ExtensionContext.Namespace.create(PgServer.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
      return parameter.getParameter().getType() == PgServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
      return context.getRoot().getStore(NAMESPACE)
          .computeIfAbsent("server", key -> startServer(), PgServer.class);
    }
  }

  private PgServer(EmbeddedPostgres pg, Path serverLog) {
    this.pg = pg;
    this.serverLog = serverLog;
  }

  private static PgServer startServer() {
    try {
      Path log = Files.createTempFile("db-init-test-postgres", ".log");
      EmbeddedPostgres pg = EmbeddedPostgres.builder()
          .setServerConfig("log_statement", "all")
          .setServerConfig("password_encryption", "scram-sha-256")
          .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .start();
      PgServer server = new PgServer(pg, log);
      server.requirePasswords();
      return server;
    } catch (IOException | SQLException e) {
      throw new IllegalStateException("cannot start embedded PostgreSQL", e);
    }
  }

  private void requirePasswords() throws SQLException, IOException {
    try (Connection c = admin()) {
      Path hba = Path.of(queryOne(c, "SHOW hba_file"));
      Files.writeString(hba, """
          local all all trust
          host all postgres 127.0.0.1/32 trust
          host all postgres ::1/128 trust
          host all all 127.0.0.1/32 scram-sha-256
          host all all ::1/128 scram-sha-256
          """);
      queryOne(c, "SELECT pg_reload_conf()::text");
    }
  }

  public int port() {
    return pg.getPort();
  }

  public Path serverLog() {
    return serverLog;
  }

  /** A superuser connection for setting up and inspecting. */
  public Connection admin() throws SQLException {
    return connect("postgres", "postgres", "");
  }

  public Connection admin(String database) throws SQLException {
    return connect(database, "postgres", "");
  }

  public Connection connect(String database, String user, String password) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", user);
    props.setProperty("password", password);
    props.setProperty("connectTimeout", "10");
    return DriverManager.getConnection(
        "jdbc:postgresql://localhost:" + port() + "/" + database, props);
  }

  /**
   * A fresh database owned by a fresh role with CREATEROLE (not a superuser), as a hosting
   * provider or a careful operator would set up the application's owner.
   */
  public TestDatabase newDatabase() throws SQLException {
    int n = next.incrementAndGet();
    String suffix = n + "_" + ProcessHandle.current().pid();
    TestDatabase db = new TestDatabase(this, "app_" + suffix, "owner_" + suffix,
        "owner-secret-" + suffix + "-Zq7", "ro_" + suffix, "ro-secret-" + suffix + "-Xk3");
    try (Connection c = admin()) {
      execute(c, "CREATE ROLE " + db.owner() + " LOGIN CREATEROLE PASSWORD '" + db.ownerPassword()
          + "'");
      execute(c, "CREATE DATABASE " + db.name() + " OWNER " + db.owner());
    }
    return db;
  }

  @Override
  public void close() throws IOException {
    pg.close();
  }

  static void execute(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  static String queryOne(Connection c, String sql) throws SQLException {
    List<String> rows = queryAll(c, sql);
    if (rows.size() != 1) {
      throw new IllegalStateException(sql + " returned " + rows);
    }
    return rows.getFirst();
  }

  static List<String> queryAll(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      List<String> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(rs.getString(1));
      }
      return rows;
    }
  }

  /** One test's database, owner role and read-only role name, with their test passwords. */
  public record TestDatabase(PgServer server, String name, String owner, String ownerPassword,
      String readOnly, String readOnlyPassword) {

    /** A builder aimed at this database as its owner, with short waits for failing cases. */
    public DbInit.Builder builder() {
      return DbInit.builder().host("localhost").port(server.port()).database(name)
          .owner(owner, ownerPassword);
    }

    public Connection asOwner() throws SQLException {
      return server.connect(name, owner, ownerPassword);
    }

    public Connection asReadOnly() throws SQLException {
      return server.connect(name, readOnly, readOnlyPassword);
    }

    public Connection asAdmin() throws SQLException {
      return server.admin(name);
    }

    public List<String> tables() throws SQLException {
      try (Connection c = asAdmin()) {
        return queryAll(c, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            + " ORDER BY tablename");
      }
    }

    public List<String> appliedVersions() throws SQLException {
      try (Connection c = asAdmin()) {
        return queryAll(c, "SELECT version || ':' || success FROM flyway_schema_history"
            + " WHERE version IS NOT NULL ORDER BY installed_rank");
      }
    }
  }
}
