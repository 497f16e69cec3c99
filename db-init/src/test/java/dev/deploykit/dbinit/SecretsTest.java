package dev.deploykit.dbinit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.deploykit.dbinit.PgServer.TestDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

/** Passwords appear in no log line, no exception (message, cause or stack) and no toString. */
@ExtendWith(PgServer.Extension.class)
class SecretsTest {
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private Logger root;
  private Level rootLevel;

  @BeforeEach
  void captureEverything() {
    root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    rootLevel = root.getLevel();
    root.setLevel(Level.TRACE);
    for (String name : List.of("dev.deploykit", "org.flywaydb", "org.postgresql")) {
      ((Logger) LoggerFactory.getLogger(name)).setLevel(Level.TRACE);
    }
    logs.start();
    root.addAppender(logs);
  }

  @AfterEach
  void stopCapturing() {
    root.detachAppender(logs);
    root.setLevel(rootLevel);
    ((Logger) LoggerFactory.getLogger("org.flywaydb")).setLevel(Level.INFO);
    ((Logger) LoggerFactory.getLogger("org.postgresql")).setLevel(null);
  }

  @Test
  void noPasswordInLogsExceptionsOrToString(PgServer pg) throws SQLException {
    TestDatabase db = pg.newDatabase();
    List<String> seen = new ArrayList<>();
    DbInit good = db.builder().locations("classpath:db/ok")
        .readOnlyRole(db.readOnly(), db.readOnlyPassword()).build();
    seen.add(good.toString());
    seen.add(good.newBuilder().toString());

    DbInitResult created = good.run();
    seen.add(created.toString());
    seen.add(good.newBuilder().readOnlyRole(db.readOnly(), "rotated-ro-password-3321").build()
        .run().toString());
    seen.add(good.run().toString());

    List<DbInitException> failures = new ArrayList<>();
    failures.add(catchThrowableOfType(DbInitException.class, () -> good.newBuilder()
        .owner(db.owner(), "wrong-owner-password-7777").build().run()));
    failures.add(catchThrowableOfType(DbInitException.class, () -> good.newBuilder()
        .locations("classpath:db/bad").build().run()));
    failures.add(catchThrowableOfType(DbInitException.class, () -> good.newBuilder()
        .locations("classpath:db/changed").build().run()));
    failures.add(catchThrowableOfType(DbInitException.class, () -> good.newBuilder()
        .expectedTables("missing_table").build().run()));
    for (DbInitException e : failures) {
      assertThat(e).isNotNull();
      StringWriter trace = new StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      seen.add(trace.toString());
    }
    for (ILoggingEvent event : logs.list) {
      seen.add(event.getFormattedMessage());
      if (event.getThrowableProxy() != null) {
        seen.add(ThrowableProxyUtil.asString(event.getThrowableProxy()));
      }
    }

    assertThat(logs.list).as("the capture works").isNotEmpty();
    assertThat(String.join("\n", seen))
        .doesNotContain(db.ownerPassword())
        .doesNotContain(db.readOnlyPassword())
        .doesNotContain("rotated-ro-password-3321")
        .doesNotContain("wrong-owner-password-7777")
        .contains("****");
  }

  @Test
  void aFailedStatementShowsPlaceholdersByNameNotTheirValues(PgServer pg) throws SQLException {
    TestDatabase db = pg.newDatabase();

    DbInitException e = catchThrowableOfType(DbInitException.class, () -> db.builder()
        .locations("classpath:db/secret")
        .placeholders(java.util.Map.of("apiKey", "placeholder-secret-4242")).build().run());

    assertThat(e.getMessage()).contains("INSERT INTO missing_table VALUES ('${apiKey}')")
        .doesNotContain("placeholder-secret-4242");
    StringWriter trace = new StringWriter();
    e.printStackTrace(new PrintWriter(trace));
    assertThat(trace.toString()).doesNotContain("placeholder-secret-4242");
  }
}
