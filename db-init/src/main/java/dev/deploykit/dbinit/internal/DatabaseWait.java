package dev.deploykit.dbinit.internal;

import dev.deploykit.dbinit.DbInitException;
import dev.deploykit.dbinit.DbInitException.Step;
import dev.deploykit.health.wait.Await;
import dev.deploykit.health.wait.AwaitResult;
import dev.deploykit.health.wait.Backoff;
import dev.deploykit.health.wait.Deadline;
import dev.deploykit.health.wait.Observed;
import java.sql.Connection;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits until PostgreSQL accepts the owner role on the database, over TCP, with the health
 * module's {@link Await}: connection failures, "starting up" and "database does not exist" are
 * retried with backoff until the deadline; a refused password or role ends the wait at once.
 *
 * <p>Waiting as the real role on the real database, rather than with {@code pg_isready}, is what
 * sees through the official image's first start: its temporary init server listens on the Unix
 * socket only, and the database and role appear only once the init scripts ran.
 */
public final class DatabaseWait {
  private static final Logger log = LoggerFactory.getLogger(DatabaseWait.class);

  /** An open connection and what it took to get it. */
  public record Ready(Connection connection, int attempts, Duration waited) {}

  private final Connections owner;
  private final Duration connectTimeout;
  private final Duration readTimeout;
  private final Backoff backoff;

  /**
   * @param connectTimeout bound of one connection attempt
   * @param readTimeout bound of each read on the connection once open: it is kept for the role
   *     and verification steps, whose statements may wait for a lock behind someone else's
   *     transaction, so it is longer than a connection attempt
   */
  public DatabaseWait(Connections owner, Duration connectTimeout, Duration readTimeout,
      Backoff backoff) {
    this.owner = owner;
    this.connectTimeout = connectTimeout;
    this.readTimeout = readTimeout;
    this.backoff = backoff;
  }

  /**
   * Waits until the owner can connect, or the deadline passes.
   *
   * @throws DbInitException when the deadline passes, or the server refuses the credentials
   * @throws InterruptedException if the thread is interrupted while waiting
   */
  public Ready await(Deadline deadline) throws InterruptedException {
    Target target = owner.target();
    AwaitResult<Connection> result = Await.atMost(deadline.remaining())
        .timeSource(deadline.timeSource())
        .backoff(backoff)
        .retryIf(SqlStates::isTransient)
        .listener((attempt, observed, next) -> log.debug(
            "PostgreSQL at {} not ready (attempt {}: {}), next try in {} ms", target.describe(),
            attempt, observed.describe(), next.toMillis()))
        .call(d -> owner.open(shorter(connectTimeout, d.remaining()), readTimeout));
    return switch (result) {
      case AwaitResult.Satisfied<Connection> s -> {
        log.info("PostgreSQL at {} accepted the connection after {} ms ({} attempt(s))",
            target.describe(), s.elapsed().toMillis(), s.attempts());
        yield new Ready(s.value(), s.attempts(), s.elapsed());
      }
      case AwaitResult.Aborted<Connection> a -> {
        String state = SqlStates.of(a.cause());
        throw new DbInitException(Step.WAIT, "PostgreSQL refused role " + target.user()
            + " on database " + target.database() + ": " + SqlStates.explain(state)
            + "; not retried, it will not heal by itself", target.describe(), last(a), state,
            a.cause());
      }
      case AwaitResult.TimedOut<Connection> t -> {
        Throwable cause = t.last() instanceof Observed.Failure<Connection> f ? f.error() : null;
        String state = SqlStates.of(cause);
        throw new DbInitException(Step.WAIT, "PostgreSQL did not accept role " + target.user()
            + " on database " + target.database() + " within " + t.elapsed().toMillis()
            + " ms (" + t.attempts() + " attempts): " + SqlStates.explain(state),
            target.describe(), last(t), state, cause);
      }
    };
  }

  /** The last observation, with the root cause when the driver wrapped one (unknown host). */
  private static String last(AwaitResult<?> r) {
    String described = r.last().describe();
    if (r.last() instanceof Observed.Failure<?> f) {
      Throwable root = f.error();
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      if (root != f.error()) {
        described += " (" + root.getClass().getSimpleName()
            + (root.getMessage() == null ? "" : ": " + root.getMessage().strip()) + ")";
      }
    }
    return described;
  }

  private static Duration shorter(Duration a, @Nullable Duration b) {
    return b == null || a.compareTo(b) <= 0 ? a : b;
  }
}
