package dev.deploykit.core.backup;

import java.time.Duration;

/**
 * How {@link DatabaseBackups#restore} treats the target and the services using it.
 *
 * <p>Thread safety: immutable.
 *
 * @param clean replace what the database holds (else a database with tables is refused)
 * @param web what the web services do while the restore runs (workers are always stopped and
 *     started again)
 * @param timeout how long the restore may take
 */
public record RestoreOptions(boolean clean, WebDuringRestore web, Duration timeout) {
  /** What the stack's web services do during a restore. */
  public enum WebDuringRestore {
    /** They keep serving (and may see the tables change under them). */
    SERVE,
    /** They are stopped for the restore and started again after it. */
    STOP
  }

  /**
   * Validates the options.
   *
   * @throws IllegalArgumentException when the timeout is not positive
   */
  public RestoreOptions {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, was " + timeout);
    }
  }

  /** Into an empty database, web services serving, one hour at most. */
  public static RestoreOptions defaults() {
    return new RestoreOptions(false, WebDuringRestore.SERVE, Duration.ofHours(1));
  }

  /** A copy that does or does not replace what the database holds. */
  public RestoreOptions withClean(boolean clean) {
    return new RestoreOptions(clean, web, timeout);
  }

  /** A copy with another treatment of the web services. */
  public RestoreOptions withWeb(WebDuringRestore web) {
    return new RestoreOptions(clean, web, timeout);
  }
}
