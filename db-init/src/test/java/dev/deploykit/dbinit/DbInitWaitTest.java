package dev.deploykit.dbinit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.deploykit.dbinit.PgServer.TestDatabase;
import dev.deploykit.health.wait.Backoff;
import dev.deploykit.health.wait.FakeTimeSource;
import java.io.IOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wait step: what it retries, what it refuses at once, and what it reports. Time is fake:
 * the backoff's sleeps only advance a {@link FakeTimeSource}, so a 5 s deadline passes in the few
 * milliseconds real connection attempts take.
 */
@ExtendWith(PgServer.Extension.class)
class DbInitWaitTest {
  private static final Logger log = LoggerFactory.getLogger(DbInitWaitTest.class);
  private static final Backoff BACKOFF = Backoff.exponential(Duration.ofMillis(100),
      Duration.ofSeconds(1));

  @Test
  void aWrongPasswordFailsAtOnceSayingSoWithoutThePassword(PgServer pg) throws SQLException {
    TestDatabase db = pg.newDatabase();
    FakeTimeSource time = new FakeTimeSource();

    DbInitException e = catchThrowableOfType(DbInitException.class, () -> db.builder()
        .owner(db.owner(), "not-the-password-8814").timeSource(time).backoff(BACKOFF)
        .timeout(Duration.ofSeconds(30)).locations("classpath:db/ok").build().run());
    log.info("{}", e.getMessage());

    assertThat(e.step()).isEqualTo(DbInitException.Step.WAIT);
    assertThat(e.sqlState()).isEqualTo("28P01");
    assertThat(e.getMessage()).contains("wrong password").contains("not retried")
        .contains("localhost:" + pg.port() + "/" + db.name() + " as " + db.owner())
        .doesNotContain("not-the-password-8814");
    assertThat(time.sleeps()).as("no retry").isEmpty();
    assertThat(db.tables()).isEmpty();
  }

  @Test
  void anUnknownRoleFailsAtOnce(PgServer pg) throws SQLException {
    TestDatabase db = pg.newDatabase();
    FakeTimeSource time = new FakeTimeSource();

    DbInitException e = catchThrowableOfType(DbInitException.class, () -> db.builder()
        .owner("nobody_here", "whatever-pw").timeSource(time).backoff(BACKOFF)
        .locations("classpath:db/ok").build().run());
    log.info("{}", e.getMessage());

    assertThat(e.step()).isEqualTo(DbInitException.Step.WAIT);
    // With password authentication PostgreSQL does not tell a missing role from a wrong
    // password (28P01 for both); with other methods it says 28000. Both end the wait at once.
    assertThat(e.sqlState()).isIn("28P01", "28000");
    assertThat(e.getMessage()).contains("nobody_here").contains("not retried");
    assertThat(time.sleeps()).isEmpty();
  }

  @Test
  void aMissingDatabaseIsWaitedForUntilTheDeadlineAndNamed(PgServer pg) throws SQLException {
    TestDatabase db = pg.newDatabase();
    FakeTimeSource time = new FakeTimeSource();

    DbInitException e = catchThrowableOfType(DbInitException.class, () -> DbInit.builder()
        .host("localhost").port(pg.port()).database("no_such_db").owner(db.owner(),
            db.ownerPassword())
        .timeSource(time).backoff(BACKOFF).timeout(Duration.ofSeconds(5)).build().run());
    log.info("{}", e.getMessage());

    assertThat(e.step()).isEqualTo(DbInitException.Step.WAIT);
    assertThat(e.sqlState()).isEqualTo("3D000");
    assertThat(e.getMessage()).contains("database does not exist").contains("no_such_db")
        .contains("within 5000 ms").containsPattern("\\(\\d+ attempts\\)")
        .contains("\"no_such_db\" does not exist");
    assertThat(time.sleeps()).hasSizeGreaterThan(2);
    assertThat(time.elapsed()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void aDatabaseCreatedWhileWaitingIsUsedOnceItAppears(PgServer pg) throws SQLException {
    TestDatabase db = pg.newDatabase();
    String late = db.name() + "_late";
    AtomicInteger sleeps = new AtomicInteger();
    // As the official image does on its first start: the database appears a while later.
    FakeTimeSource time = new FakeTimeSource().onSleep(d -> {
      if (sleeps.incrementAndGet() == 3) {
        try (Connection c = pg.admin()) {
          PgServer.execute(c, "CREATE DATABASE " + late + " OWNER " + db.owner());
        } catch (SQLException ex) {
          throw new IllegalStateException(ex);
        }
      }
    });

    DbInitResult result = DbInit.builder().host("localhost").port(pg.port()).database(late)
        .owner(db.owner(), db.ownerPassword()).locations("classpath:db/ok").timeSource(time)
        .backoff(BACKOFF).build().run();

    assertThat(result.attempts()).isEqualTo(4);
    assertThat(result.waited()).isEqualTo(Duration.ofMillis(100 + 200 + 400));
    assertThat(result.toString()).contains("waited 700 ms (4 attempts)");
    assertThat(result.migrations().toVersion()).isEqualTo("2");
  }

  @Test
  void aClosedPortIsRetriedUntilTheDeadline(PgServer pg) throws IOException {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    FakeTimeSource time = new FakeTimeSource();

    DbInitException e = catchThrowableOfType(DbInitException.class, () -> DbInit.builder()
        .host("127.0.0.1").port(closed).database("app").owner("app", "pw-123")
        .timeSource(time).backoff(BACKOFF).timeout(Duration.ofSeconds(3)).build().run());
    log.info("{}", e.getMessage());

    assertThat(e.step()).isEqualTo(DbInitException.Step.WAIT);
    assertThat(e.sqlState()).startsWith("08");
    assertThat(e.where()).isEqualTo("127.0.0.1:" + closed + "/app as app");
    assertThat(e.getMessage()).contains("cannot connect").contains("within 3000 ms")
        .contains("refused");
    assertThat(time.sleeps()).hasSizeGreaterThan(1);
  }

  @Test
  void anUnresolvableHostIsRetriedUntilTheDeadline() {
    FakeTimeSource time = new FakeTimeSource();

    DbInitException e = catchThrowableOfType(DbInitException.class, () -> DbInit.builder()
        .host("db.deploykit-test.invalid").database("app").owner("app", "pw-123")
        .timeSource(time).backoff(BACKOFF).timeout(Duration.ofSeconds(2)).build().run());
    log.info("{}", e.getMessage());

    assertThat(e.step()).isEqualTo(DbInitException.Step.WAIT);
    assertThat(e.sqlState()).startsWith("08");
    assertThat(e.where()).isEqualTo("db.deploykit-test.invalid:5432/app as app");
    assertThat(e.getMessage()).contains("cannot connect");
    assertThat(time.sleeps()).isNotEmpty();
  }

  @Test
  void anInterruptEndsTheWaitAndStaysSet() throws IOException {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    FakeTimeSource time = new FakeTimeSource().onSleep(d -> Thread.currentThread().interrupt());

    DbInitException e = catchThrowableOfType(DbInitException.class, () -> DbInit.builder()
        .host("127.0.0.1").port(closed).database("app").owner("app", "pw-123")
        .timeSource(time).backoff(BACKOFF).build().run());

    assertThat(e.getCause()).isInstanceOf(InterruptedException.class);
    assertThat(Thread.interrupted()).as("interrupt flag restored").isTrue();
  }
}
