package dev.deploykit.core.backup;

import java.time.Instant;

/**
 * A restore that did not finish, as the marker it left in the database container says.
 *
 * <p>Thread safety: immutable.
 *
 * @param backup the backup's id
 * @param startedAt when it started
 * @param owner who ran it
 * @param stillRunning whether its {@code pg_restore} still runs in the database
 */
public record InterruptedRestore(String backup, Instant startedAt, String owner, boolean stillRunning) {
  /** What state the database is in and how to finish, in one line. */
  public String describe() {
    if (stillRunning) {
      return "a restore of backup " + backup + " started " + startedAt + " by " + owner
          + " is still running in the database; wait for it to end, then check with `deploykit db backups`";
    }
    return "a restore of backup " + backup + " started " + startedAt + " by " + owner + " did not finish;"
        + " it runs in one transaction, so the database holds what it held before that restore;"
        + " finish it with `deploykit db restore --clean " + backup + "`";
  }
}
