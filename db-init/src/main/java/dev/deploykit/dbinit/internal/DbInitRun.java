package dev.deploykit.dbinit.internal;

import dev.deploykit.dbinit.DbInitException;
import dev.deploykit.dbinit.DbInitException.Step;
import dev.deploykit.dbinit.DbInitResult;
import dev.deploykit.dbinit.MigrationReport;
import dev.deploykit.dbinit.RoleReport;
import dev.deploykit.health.wait.Backoff;
import dev.deploykit.health.wait.Deadline;
import dev.deploykit.health.wait.TimeSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One run of db-init: wait, migrate, role, verify. */
public final class DbInitRun {
  private static final Logger log = LoggerFactory.getLogger(DbInitRun.class);

  private final Settings settings;
  private final TimeSource time;
  private final Backoff backoff;

  public DbInitRun(Settings settings, TimeSource time, Backoff backoff) {
    this.settings = settings;
    this.time = time;
    this.backoff = backoff;
  }

  public DbInitResult run() {
    long start = time.nanoTime();
    Deadline deadline = Deadline.after(settings.timeout(), time);
    Connections owner = new Connections(settings.target(), settings.ownerPassword());
    DatabaseWait.Ready ready = awaitDatabase(owner, deadline);
    Connection c = ready.connection();
    try {
      MigrationReport migrations = new Migrator(settings, owner).migrate(deadline.remaining());
      RoleReport role = settings.readOnlyRole() == null ? RoleReport.notConfigured()
          : new ReadOnlyRole(settings, owner).apply(c);
      List<String> tables = new TableVerifier(settings, settings.target()).verify(c);
      DbInitResult result = new DbInitResult(settings.target().describe(), ready.waited(),
          ready.attempts(), migrations, role, tables,
          Duration.ofNanos(time.nanoTime() - start));
      log.info("{}", result);
      return result;
    } finally {
      closeQuietly(c);
    }
  }

  /** Waits for the database, then lists the migrations a run would apply. */
  public List<String> pending() {
    Deadline deadline = Deadline.after(settings.timeout(), time);
    Connections owner = new Connections(settings.target(), settings.ownerPassword());
    DatabaseWait.Ready ready = awaitDatabase(owner, deadline);
    try {
      return new Migrator(settings, owner).pending();
    } finally {
      closeQuietly(ready.connection());
    }
  }

  private DatabaseWait.Ready awaitDatabase(Connections owner, Deadline deadline) {
    try {
      return new DatabaseWait(owner, settings.connectTimeout(),
          longer(settings.connectTimeout(), settings.timeout()), backoff).await(deadline);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DbInitException(Step.WAIT, "interrupted while waiting for PostgreSQL",
          settings.target().describe(), null, null, e);
    }
  }

  private static Duration longer(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      // The work is done (or has failed with its own exception); a failed close adds nothing.
      log.debug("Closing the connection to {} failed", settings.target().describe(), e);
    }
  }
}
