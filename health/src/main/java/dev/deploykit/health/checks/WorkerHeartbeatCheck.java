package dev.deploykit.health.checks;

import dev.deploykit.health.CheckContext;
import dev.deploykit.health.HealthCheck;
import dev.deploykit.health.HealthResult;
import dev.deploykit.health.internal.KeptConnection;
import dev.deploykit.health.internal.ReportRenderer;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Objects;

/**
 * Checks a worker's heartbeat: a row in PostgreSQL holding the time of its last beat must be
 * younger than a maximum age. The age is computed by the database ({@code clock_timestamp()}
 * minus the beat), so the two hosts' clocks need not agree.
 *
 * <pre>{@code
 * WorkerHeartbeatCheck mailer = WorkerHeartbeatCheck.builder(target,
 *         "select last_beat from worker_heartbeat where worker = ?", "mailer")
 *     .maxAge(Duration.ofSeconds(30))
 *     .build();
 * }</pre>
 *
 * <p>The query takes the worker's name as its only parameter and returns one {@code
 * timestamptz} column. DOWN when no row is found, the beat is older than the maximum age, or the
 * database cannot be reached. Needs the PostgreSQL JDBC driver ({@code org.postgresql:postgresql},
 * an optional dependency of health): without it, DOWN naming that dependency.
 *
 * <p>Thread-safe; close it to close its kept connection.
 */
public final class WorkerHeartbeatCheck implements HealthCheck, AutoCloseable {
  private final PostgresTarget target;
  private final String sql;
  private final String worker;
  private final Duration maxAge;
  private final KeptConnection connection;

  private WorkerHeartbeatCheck(Builder b) {
    this.target = b.target;
    this.sql = "select extract(epoch from clock_timestamp() - hb.beat) from (" + b.query
        + ") as hb(beat)";
    this.worker = b.worker;
    this.maxAge = b.maxAge;
    this.connection = new KeptConnection(target);
  }

  /**
   * A builder: {@code query} selects the last beat of the worker named by its {@code ?}
   * parameter.
   */
  public static Builder builder(PostgresTarget target, String query, String worker) {
    return new Builder(target, query, worker);
  }

  @Override
  public HealthResult check(CheckContext context) throws InterruptedException {
    return connection.check(context, (c, deadline) -> {
        try (PreparedStatement st = c.prepareStatement(sql)) {
          st.setQueryTimeout(KeptConnection.queryTimeoutSeconds(deadline));
          st.setString(1, worker);
          try (ResultSet rs = st.executeQuery()) {
            if (!rs.next() || rs.getObject(1) == null) {
              return HealthResult.down("no heartbeat of worker " + worker);
            }
            double seconds = rs.getDouble(1);
            Duration age = Duration.ofNanos((long) (Math.max(0, seconds) * 1e9));
            HealthResult r = age.compareTo(maxAge) <= 0
                ? HealthResult.up("worker " + worker + " beat " + ReportRenderer.human(age)
                    + " ago")
                : HealthResult.down("worker " + worker + " last beat "
                    + ReportRenderer.human(age) + " ago, more than "
                    + ReportRenderer.human(maxAge));
            return r.withData("ageMs", age.toMillis());
          }
        }
    });
  }

  /** Closes the kept connection. */
  @Override
  public void close() {
    connection.close();
  }

  /**
   * Settings of a {@link WorkerHeartbeatCheck}. Default maximum age: 60 s.
   *
   * <p>Not thread-safe.
   */
  public static final class Builder {
    private final PostgresTarget target;
    private final String query;
    private final String worker;
    private Duration maxAge = Duration.ofSeconds(60);

    private Builder(PostgresTarget target, String query, String worker) {
      this.target = Objects.requireNonNull(target, "target");
      this.query = Objects.requireNonNull(query, "query");
      this.worker = Objects.requireNonNull(worker, "worker");
      if (!query.contains("?")) {
        throw new IllegalArgumentException("query must take the worker name as a ? parameter");
      }
    }

    /**
     * The oldest acceptable beat.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder maxAge(Duration maxAge) {
      if (maxAge.isNegative() || maxAge.isZero()) {
        throw new IllegalArgumentException("maxAge must be positive: " + maxAge);
      }
      this.maxAge = maxAge;
      return this;
    }

    /** The check. */
    public WorkerHeartbeatCheck build() {
      return new WorkerHeartbeatCheck(this);
    }
  }
}
