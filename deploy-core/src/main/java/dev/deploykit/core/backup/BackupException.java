package dev.deploykit.core.backup;

import org.jspecify.annotations.Nullable;

/**
 * A backup or restore that cannot be done, with the facts the user needs in its message (what,
 * where, what to do) and its kind in {@link #reason()}, so that callers never match the text.
 */
public final class BackupException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What went wrong. */
  public enum Reason {
    /** The stack has no {@code x-deploykit.db_init}, so no database to back up. */
    NO_DATABASE,
    /** The database's container does not run. */
    DATABASE_NOT_RUNNING,
    /** No backup of that id or file. */
    UNKNOWN_BACKUP,
    /** The dump's SHA-256 differs from its metadata: corrupted or truncated. */
    CHECKSUM_MISMATCH,
    /** The dump comes from a newer PostgreSQL than the target runs. */
    NEWER_SERVER,
    /** The target database holds tables and the restore was not told to replace them. */
    TARGET_NOT_EMPTY,
    /** The disk filled up while the dump was written. */
    DISK_FULL,
    /** The database refused the password of {@code db_init}. */
    PASSWORD_REFUSED,
    /** {@code pg_dump}, {@code pg_restore} or the drill failed otherwise. */
    FAILED
  }

  private final Reason reason;

  /** A failure of the given kind. */
  public BackupException(Reason reason, String message) {
    this(reason, message, null);
  }

  /** A failure of the given kind, with its cause. */
  public BackupException(Reason reason, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  /** What went wrong. */
  public Reason reason() {
    return reason;
  }
}
