package dev.deploykit.core.backup;

import java.time.Instant;
import java.util.List;

/**
 * A restore that did not finish, as the markers it left in the database container say.
 *
 * <p>Thread safety: immutable.
 *
 * @param backup the backup's id
 * @param startedAt when it started
 * @param owner who ran it
 * @param stillRunning whether its {@code pg_restore} still runs in the database
 * @param restored whether {@code pg_restore} itself succeeded (its run ended before starting the
 *     services it stopped again: a process killed outright)
 * @param leftStopped the services it stopped that no run has started again
 */
public record InterruptedRestore(String backup, Instant startedAt, String owner, boolean stillRunning,
    boolean restored, List<String> leftStopped) {
  /** Copies the list. */
  public InterruptedRestore {
    leftStopped = List.copyOf(leftStopped);
  }

  /** A restore that did not finish and left no service stopped. */
  public InterruptedRestore(String backup, Instant startedAt, String owner, boolean stillRunning) {
    this(backup, startedAt, owner, stillRunning, false, List.of());
  }

  /** What state the database is in and how to finish, in one line. */
  public String describe() {
    String which = "a restore of backup " + backup + " started " + startedAt + " by " + owner;
    String stopped = leftStopped.isEmpty() ? "" : "; the services it stopped (" + String.join(", ", leftStopped)
        + ") are still stopped";
    String finish = "`deploykit db restore --clean " + backup + "`";
    if (stillRunning) {
      return which + " is still running in the database" + stopped + "; wait for it to end, then check with"
          + " `deploykit db backups`";
    }
    if (restored) {
      return which + " restored the database, but its run ended before it started the services it stopped again ("
          + String.join(", ", leftStopped) + "); finish it with " + finish + " (it restores again and starts them)";
    }
    return which + " did not finish; it runs in one transaction, so the database holds what it held before that"
        + " restore" + stopped + "; finish it with " + finish + (leftStopped.isEmpty() ? "" : " (it starts them again)");
  }
}
