package dev.deploykit.health.internal;

import dev.deploykit.health.CheckContext;
import dev.deploykit.health.HealthResult;
import dev.deploykit.health.checks.PostgresTarget;
import dev.deploykit.health.wait.Deadline;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * One kept JDBC connection to PostgreSQL, used by one check run at a time, reopened when broken,
 * with connect, login and socket timeouts always set and aborted when the run is cancelled.
 * Thread-safe: a lock hands the connection to one run at a time.
 *
 * <p>The PostgreSQL JDBC driver is an optional dependency of health: without it, every check
 * answers DOWN naming the dependency to add ({@link #DRIVER_ARTIFACT}).
 */
public final class KeptConnection implements AutoCloseable {
  /** The Maven coordinates of the PostgreSQL JDBC driver. */
  public static final String DRIVER_ARTIFACT = "org.postgresql:postgresql";

  private final PostgresTarget target;
  private final @Nullable Driver driver = driverIfPresent();
  private final ReentrantLock lock = new ReentrantLock();
  private @Nullable Connection connection;

  /** A kept connection to {@code target}, opened on first use. */
  public KeptConnection(PostgresTarget target) {
    this.target = target;
  }

  /** Work done on the connection. */
  @FunctionalInterface
  public interface Work<T> {
    /** Uses {@code c}. */
    T apply(Connection c, Deadline deadline) throws SQLException, InterruptedException;
  }

  /**
   * Runs {@code work} on the kept connection (opening it if needed) within the context's
   * deadline; a failure discards the connection so the next run reopens it.
   *
   * @throws SQLException from connecting or from {@code work}
   * @throws InterruptedException if cancelled, or the previous run still holds the connection
   *     when the deadline passes
   */
  public <T> T use(CheckContext context, Work<T> work) throws SQLException, InterruptedException {
    Deadline deadline = context.deadline();
    if (!lock.tryLock(deadline.remaining().toNanos(), TimeUnit.NANOSECONDS)) {
      throw new SQLException("the previous check of " + target.displayName()
          + " still holds the connection", "08000");
    }
    try {
      Connection c = connection;
      if (c == null || c.isClosed()) {
        c = open(deadline);
        connection = c;
      }
      Connection inUse = c;
      context.onCancel(() -> inUse.abort(Runnable::run));
      int millis = deadline.remainingMillisAtLeastOne();
      c.setNetworkTimeout(Runnable::run, millis);
      return work.apply(c, deadline);
    } catch (SQLException | RuntimeException e) {
      discard();
      throw e;
    } finally {
      lock.unlock();
    }
  }

  /**
   * A check on the kept connection: {@code work}'s result, or DOWN with the database's failure
   * in one line ({@link SqlFailures}); a failure caused by the check's cancellation ends it as
   * interrupted instead. Without the driver, DOWN naming {@link #DRIVER_ARTIFACT} (also under the
   * data key {@code missingDependency}).
   *
   * @throws InterruptedException if the check was cancelled
   */
  public HealthResult check(CheckContext context, Work<HealthResult> work) throws InterruptedException {
    if (driver == null) {
      return HealthResult.down(missingDriver()).withData("missingDependency", DRIVER_ARTIFACT);
    }
    try {
      return use(context, work);
    } catch (SQLException e) {
      if (context.isCancelled()) {
        throw new InterruptedException("cancelled");
      }
      return HealthResult.down(SqlFailures.describe(target.displayName(), e));
    }
  }

  /** A JDBC query timeout (whole seconds, at least one) that ends no earlier than {@code deadline}. */
  public static int queryTimeoutSeconds(Deadline deadline) {
    return (int) Math.max(1, (deadline.remaining().toMillis() + 999) / 1000);
  }

  private static @Nullable Driver driverIfPresent() {
    try {
      return new org.postgresql.Driver();
    } catch (NoClassDefFoundError e) {
      // health's dependency on the driver is optional (requires static): a missing driver is a
      // DOWN that names the dependency, not an error thrown out of the check.
      return null;
    }
  }

  private String missingDriver() {
    return "cannot check " + target.displayName() + ": the PostgreSQL JDBC driver is missing;"
        + " add the dependency " + DRIVER_ARTIFACT;
  }

  private Connection open(Deadline deadline) throws SQLException {
    Driver present = driver;
    if (present == null) {
      throw new SQLException(missingDriver());
    }
    Duration budget = deadline.cap(target.connectTimeout());
    // pgjdbc takes these in whole seconds: round up (never down to 0, which means "forever");
    // the runner's deadline cuts anything longer.
    String seconds = Long.toString(Math.max(1, ceilSeconds(budget)));
    Properties p = new Properties();
    p.setProperty("user", target.user());
    p.setProperty("password", target.password());
    p.setProperty("connectTimeout", seconds);
    p.setProperty("loginTimeout", seconds);
    p.setProperty("socketTimeout", Long.toString(Math.max(1, ceilSeconds(deadline.remaining()))));
    p.setProperty("tcpKeepAlive", "true");
    p.setProperty("ApplicationName", "deploykit-health");
    Connection c = present.connect(target.jdbcUrl(), p);
    if (c == null) {
      throw new SQLException("not a PostgreSQL JDBC URL: " + target.displayName());
    }
    return c;
  }

  private static long ceilSeconds(Duration d) {
    long s = d.getSeconds();
    return d.getNano() > 0 ? s + 1 : s;
  }

  private void discard() {
    Connection c = connection;
    connection = null;
    if (c != null) {
      try {
        c.abort(Runnable::run);
      } catch (SQLException | RuntimeException ignored) {
        // Already broken; nothing more to release.
      }
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      Connection c = connection;
      connection = null;
      if (c != null) {
        try {
          c.close();
        } catch (SQLException ignored) {
          // Closing a broken connection fails; it is gone either way.
        }
      }
    } finally {
      lock.unlock();
    }
  }
}
