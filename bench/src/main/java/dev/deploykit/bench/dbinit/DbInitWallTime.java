package dev.deploykit.bench.dbinit;

import dev.deploykit.dbinit.DbInit;
import dev.deploykit.dbinit.DbInitResult;
import dev.deploykit.dbinit.RoleChange;
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
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * Wall time of one db-init run from "server ready" to "verified": 10 migrations, the read-only
 * role, and the verification of the 10 tables, against embedded PostgreSQL 18.1 (zonky, no
 * Docker) that requires SCRAM passwords over TCP as a real server does. Target: at most 1.5 s.
 *
 * <p>The server is started once, before any timing. Each run gets a fresh, empty database and a
 * fresh owner role (made before the clock starts), so every run does the whole job: connect,
 * create Flyway's history table, apply the 10 migrations, create the role with its default
 * privileges, verify. The clock starts right before {@link DbInit#run()} and stops when it
 * returns. Run 1 is also the first in the JVM, so it pays for loading Flyway, pgjdbc and db-init's
 * classes, as a deploy that starts a fresh JVM does; it is reported on its own line and in the
 * figures over all runs.
 *
 * <p>Run it from the repository root with JAVA_HOME on a JDK 21 or newer (nothing is installed into
 * ~/.m2):
 *
 * <pre>
 * ./mvnw -B -q -pl bench -am package dependency:build-classpath \
 *     -Dmdep.outputFile=target/classpath.txt -DskipTests
 * "$JAVA_HOME/bin/java" -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
 *     dev.deploykit.bench.dbinit.DbInitWallTime [runs, default 10]
 * </pre>
 */
public final class DbInitWallTime {
  private static final int MIGRATIONS = 10;
  private static final double TARGET_MS = 1500;

  private DbInitWallTime() {}

  public static void main(String[] args) throws Exception {
    // Quiet the backend before any logger exists: the figures, not Flyway's progress, matter.
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    Path migrations = writeMigrations();
    // zonky starts PostgreSQL with fsync and synchronous_commit off, as suits unit tests; a real
    // server commits durably, and db-init commits once per migration, so turn them back on.
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder()
        .setServerConfig("fsync", "on")
        .setServerConfig("synchronous_commit", "on")
        .setServerConfig("full_page_writes", "on")
        .start()) {
      requirePasswords(pg);
      System.out.println("server: " + serverSettings(pg));
      List<Double> millis = new ArrayList<>();
      for (int run = 1; run <= runs; run++) {
        String db = "bench" + run;
        String owner = "bench_owner" + run;
        String ownerPassword = "bench-owner-pw-" + run;
        try (Connection c = admin(pg)) {
          execute(c, "CREATE ROLE " + owner + " LOGIN CREATEROLE PASSWORD '" + ownerPassword + "'");
          execute(c, "CREATE DATABASE " + db + " OWNER " + owner);
        }
        DbInit init = DbInit.builder().host("localhost").port(pg.getPort()).database(db)
            .owner(owner, ownerPassword)
            .locations("filesystem:" + migrations)
            .readOnlyRole("bench_ro" + run, "bench-ro-pw-" + run)
            .build();

        long cpuStart = processCpuNanos();
        long start = System.nanoTime();
        DbInitResult result = init.run();
        double ms = (System.nanoTime() - start) / 1e6;
        double cpuMs = (processCpuNanos() - cpuStart) / 1e6;

        if (result.migrations().applied().size() != MIGRATIONS
            || result.role().change() != RoleChange.CREATED
            || result.tablesVerified().size() != MIGRATIONS) {
          throw new IllegalStateException("run " + run + " did not do the whole job:\n" + result);
        }
        millis.add(ms);
        System.out.printf(Locale.ROOT, "run %2d: %7.1f ms wall, %7.1f ms CPU in this JVM%s%n", run,
            ms, cpuMs, run == 1 ? "  (first in this JVM: includes class loading)" : "");
      }
      report(millis);
    }
  }

  private static void report(List<Double> millis) {
    List<Double> all = sorted(millis);
    List<Double> warm = sorted(millis.subList(1, millis.size()));
    System.out.printf(Locale.ROOT, "%nserver ready -> verified, %d migrations + read-only role +"
        + " verification, PostgreSQL 18.1 embedded (fsync on), %d runs, %s %s, %d CPUs%n",
        MIGRATIONS,
        millis.size(), System.getProperty("java.vm.name"), System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors());
    System.out.printf(Locale.ROOT, "all runs : min %7.1f ms  median %7.1f ms  max %7.1f ms%n",
        all.getFirst(), median(all), all.getLast());
    if (!warm.isEmpty()) {
      System.out.printf(Locale.ROOT, "runs 2..%d: min %7.1f ms  median %7.1f ms  max %7.1f ms%n",
          millis.size(), warm.getFirst(), median(warm), warm.getLast());
    }
    System.out.printf(Locale.ROOT, "load average (1, 5, 15 min) at the end: %s%n", loadAverage());
    System.out.printf(Locale.ROOT, "target <= %.0f ms: %s (worst run %.1f ms)%n", TARGET_MS,
        all.getLast() <= TARGET_MS ? "met" : "NOT met", all.getLast());
  }

  /**
   * CPU time of the whole JVM (all its threads, JIT and GC included; not the server's), which a
   * loaded machine stretches less than wall time: on an idle machine the wall time of a run is
   * about this plus the server's share.
   */
  private static long processCpuNanos() {
    if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return 0;
  }

  /** The machine is shared: the load says how much the figures were disturbed. */
  private static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return parts[0] + ", " + parts[1] + ", " + parts[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private static List<Double> sorted(List<Double> values) {
    List<Double> copy = new ArrayList<>(values);
    copy.sort(Comparator.naturalOrder());
    return copy;
  }

  private static double median(List<Double> sorted) {
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /** Ten migrations of the usual kind: a table, an index, a few rows. */
  private static Path writeMigrations() throws IOException {
    Path dir = Files.createTempDirectory("db-init-bench-migrations");
    dir.toFile().deleteOnExit();
    for (int i = 1; i <= MIGRATIONS; i++) {
      Path file = dir.resolve("V" + i + "__create_table_" + i + ".sql");
      Files.writeString(file, """
          CREATE TABLE table_%1$d (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            name text NOT NULL,
            created_at timestamptz NOT NULL DEFAULT now()
          );
          CREATE INDEX table_%1$d_name ON table_%1$d (name);
          INSERT INTO table_%1$d (name) SELECT 'row ' || g FROM generate_series(1, 100) g;
          """.formatted(i));
      file.toFile().deleteOnExit();
    }
    return dir;
  }

  /** TCP logins with SCRAM passwords, as a real server asks; the superuser keeps trust. */
  private static void requirePasswords(EmbeddedPostgres pg) throws SQLException, IOException {
    try (Connection c = admin(pg); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW hba_file")) {
      rs.next();
      Files.writeString(Path.of(rs.getString(1)), """
          local all all trust
          host all postgres 127.0.0.1/32 trust
          host all postgres ::1/128 trust
          host all all 127.0.0.1/32 scram-sha-256
          host all all ::1/128 scram-sha-256
          """);
      execute(c, "SELECT pg_reload_conf()");
    }
  }

  private static String serverSettings(EmbeddedPostgres pg) throws SQLException {
    try (Connection c = admin(pg); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT 'PostgreSQL ' || current_setting('server_version')"
            + " || ', fsync ' || current_setting('fsync') || ', synchronous_commit '"
            + " || current_setting('synchronous_commit') || ', password_encryption '"
            + " || current_setting('password_encryption')")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static Connection admin(EmbeddedPostgres pg) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", "postgres");
    return DriverManager.getConnection("jdbc:postgresql://localhost:" + pg.getPort() + "/postgres",
        props);
  }

  private static void execute(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
