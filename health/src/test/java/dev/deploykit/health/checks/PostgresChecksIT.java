package dev.deploykit.health.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploykit.health.CheckSpec;
import dev.deploykit.health.ComponentHealth;
import dev.deploykit.health.HealthReport;
import dev.deploykit.health.HealthResult;
import dev.deploykit.health.HealthRunner;
import dev.deploykit.health.HealthStatus;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** PostgreSQL and worker-heartbeat checks against a real PostgreSQL 18.1 (zonky, no Docker). */
class PostgresChecksIT {
  private static final String PASSWORD = "c0rrect-horse";
  private static final Duration DEADLINE = Duration.ofSeconds(5);
  private static EmbeddedPostgres pg;
  private static String url;

  @BeforeAll
  static void start() throws Exception {
    pg = EmbeddedPostgres.builder()
        .setDataDirectoryCustomizer(dir -> {
          try {
            // Password authentication for everyone but the bootstrap superuser.
            Files.writeString(dir.toPath().resolve("pg_hba.conf"), """
                host all postgres 127.0.0.1/32 trust
                host all postgres ::1/128 trust
                host all all 127.0.0.1/32 scram-sha-256
                host all all ::1/128 scram-sha-256
                """);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        })
        .start();
    try (Connection c = pg.getPostgresDatabase().getConnection();
        Statement st = c.createStatement()) {
      st.execute("create role app login password '" + PASSWORD + "'");
      st.execute("create table worker_heartbeat (worker text primary key, last_beat timestamptz)");
      st.execute("grant select on worker_heartbeat to app");
      st.execute("insert into worker_heartbeat values ('fresh', now()),"
          + " ('stale', now() - interval '10 minutes')");
    }
    url = "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres";
  }

  @AfterAll
  static void stop() throws IOException {
    pg.close();
  }

  private static PostgresTarget app(String password) {
    return PostgresTarget.of(url, "app", password);
  }

  @Test
  void upOnAKeptConnectionWithAQuery() throws Exception {
    try (PostgresCheck check = PostgresCheck.builder(app(PASSWORD))
        .query("select count(*) from worker_heartbeat").build()) {
      for (int i = 0; i < 3; i++) {
        HealthResult r = Checks.run(check, DEADLINE);
        assertThat(r.status()).isEqualTo(HealthStatus.UP);
        assertThat(r.detail()).isEqualTo("127.0.0.1:" + pg.getPort() + "/postgres answers the query");
      }
      assertThat(sessionsOf("app")).isEqualTo(1);
    }
  }

  @Test
  void aBrokenConnectionIsReopened() throws Exception {
    try (PostgresCheck check = PostgresCheck.builder(app(PASSWORD)).build()) {
      assertThat(Checks.run(check, DEADLINE).status()).isEqualTo(HealthStatus.UP);
      try (Connection c = pg.getPostgresDatabase().getConnection();
          Statement st = c.createStatement()) {
        st.execute("select pg_terminate_backend(pid) from pg_stat_activity where usename = 'app'");
      }
      // The run that finds the connection dead reports it; the next one reconnects.
      HealthResult afterKill = Checks.run(check, DEADLINE);
      if (afterKill.status() != HealthStatus.UP) {
        afterKill = Checks.run(check, DEADLINE);
      }
      assertThat(afterKill.status()).isEqualTo(HealthStatus.UP);
    }
  }

  @Test
  void wrongPasswordIsDownWithoutThePassword() throws Exception {
    try (PostgresCheck check = PostgresCheck.builder(app("wrong-pw-123")).build()) {
      HealthResult r = Checks.run(check, DEADLINE);
      assertThat(r.status()).isEqualTo(HealthStatus.DOWN);
      assertThat(r.detail()).startsWith("authentication failed at 127.0.0.1:" + pg.getPort())
          .contains("28P01").doesNotContain("wrong-pw-123").doesNotContain(PASSWORD);
      assertThat(check.toString()).doesNotContain("wrong-pw-123");
    }
  }

  @Test
  void aPasswordInTheUrlIsNeverShown() throws Exception {
    try (PostgresCheck check = PostgresCheck.builder(PostgresTarget.of(
        url + "?password=url-secret-9", "app", "x")).build()) {
      HealthResult r = Checks.run(check, DEADLINE);
      assertThat(r.status()).isEqualTo(HealthStatus.DOWN);
      assertThat(r.detail()).doesNotContain("url-secret-9");
      assertThat(check.toString()).doesNotContain("url-secret-9");
    }
  }

  @Test
  void aFailingQueryIsDown() throws Exception {
    try (PostgresCheck check = PostgresCheck.builder(app(PASSWORD))
        .query("select * from no_such_table").build()) {
      HealthResult r = Checks.run(check, DEADLINE);
      assertThat(r.status()).isEqualTo(HealthStatus.DOWN);
      assertThat(r.detail()).contains("no_such_table", "42P01");
    }
  }

  @Test
  void refusedPortAndUnresolvableHost() throws Exception {
    try (PostgresCheck refused = PostgresCheck.builder(PostgresTarget.of(
            "jdbc:postgresql://127.0.0.1:" + LoopbackServers.refusedPort() + "/db", "app", "x"))
            .build();
        PostgresCheck unknown = PostgresCheck.builder(PostgresTarget.of(
            "jdbc:postgresql://db.invalid:5432/db", "app", "x")).build()) {
      HealthResult r = Checks.run(refused, DEADLINE);
      assertThat(r.status()).isEqualTo(HealthStatus.DOWN);
      assertThat(r.detail()).startsWith("connection refused by 127.0.0.1:");
      HealthResult u = Checks.run(unknown, DEADLINE);
      assertThat(u.status()).isEqualTo(HealthStatus.DOWN);
      assertThat(u.detail()).contains("db.invalid");
    }
  }

  @Test
  void aServerThatNeverAnswersTimesOutInTheRunner() throws Exception {
    try (LoopbackServers.Raw silent = new LoopbackServers.Raw(LoopbackServers.Behaviour.SILENT);
        PostgresCheck check = PostgresCheck.builder(PostgresTarget.of(
            "jdbc:postgresql://127.0.0.1:" + silent.port() + "/db", "app", "x")).build();
        HealthRunner runner = HealthRunner.builder()
            .add(CheckSpec.of("db", check).timeout(Duration.ofMillis(300))).build()) {
      ComponentHealth line = runner.run().checks().getFirst();
      assertThat(line.status()).isEqualTo(HealthStatus.DOWN);
      assertThat(line.result().detail()).isEqualTo("timed out after 300ms");
    }
  }

  @Test
  void heartbeatFreshStaleAndMissing() throws Exception {
    String query = "select last_beat from worker_heartbeat where worker = ?";
    try (WorkerHeartbeatCheck fresh = WorkerHeartbeatCheck.builder(app(PASSWORD), query, "fresh")
            .maxAge(Duration.ofMinutes(1)).build();
        WorkerHeartbeatCheck stale = WorkerHeartbeatCheck.builder(app(PASSWORD), query, "stale")
            .maxAge(Duration.ofMinutes(1)).build();
        WorkerHeartbeatCheck missing = WorkerHeartbeatCheck.builder(app(PASSWORD), query, "gone")
            .build();
        HealthRunner runner = HealthRunner.builder()
            .add("fresh", fresh).add("stale", stale).add("missing", missing).build()) {
      HealthReport report = runner.run();
      assertThat(report.check("fresh").orElseThrow().status()).isEqualTo(HealthStatus.UP);
      ComponentHealth s = report.check("stale").orElseThrow();
      assertThat(s.status()).isEqualTo(HealthStatus.DOWN);
      assertThat(s.result().detail()).contains("worker stale last beat", "more than 1m00s");
      assertThat(s.result().data().get("ageMs")).isInstanceOf(Long.class);
      assertThat(report.check("missing").orElseThrow().result().detail())
          .isEqualTo("no heartbeat of worker gone");
    }
  }

  private static int sessionsOf(String user) throws SQLException {
    try (Connection c = pg.getPostgresDatabase().getConnection();
        Statement st = c.createStatement();
        var rs = st.executeQuery("select count(*) from pg_stat_activity where usename = '"
            + user + "'")) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
