package dev.deploykit.core.backup;

import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The {@code backup} setting of the stack's {@code x-deploykit.db_init}: whether a release that
 * will apply pending migrations backs the database up first, whether a failed backup refuses the
 * release, where backups go and how many are kept.
 *
 * <pre>{@code
 * x-deploykit:
 *   db_init:
 *     ...
 *     backup:                 # or `backup: false`
 *       before_migrations: true
 *       required: true        # a failed backup refuses the release
 *       folder: ./backups     # default ~/.local/share/deploykit/backups/<stack>
 *       keep: 10
 *       max_age: 30d
 * }</pre>
 *
 * <p>Thread safety: immutable.
 *
 * @param beforeMigrations back up before a release that applies pending migrations
 * @param required refuse the release when that backup fails (else it is only reported)
 * @param folder where backups are written on the operator's machine, or null for
 *     {@link DatabaseBackups#defaultFolder(String)}
 * @param keep how many backups of the stack are kept (the newest), at least 1
 * @param maxAge backups older than this are removed (the newest is always kept), or null for no
 *     age limit
 */
public record BackupSettings(boolean beforeMigrations, boolean required, @Nullable Path folder, int keep,
    @Nullable Duration maxAge) {
  /** How many backups are kept unless {@code keep} says otherwise. */
  public static final int DEFAULT_KEEP = 10;

  /**
   * Validates the settings.
   *
   * @throws IllegalArgumentException when {@code keep} is below 1 or {@code maxAge} is not positive
   */
  public BackupSettings {
    if (keep < 1) {
      throw new IllegalArgumentException("keep must be at least 1, was " + keep);
    }
    if (maxAge != null && (maxAge.isNegative() || maxAge.isZero())) {
      throw new IllegalArgumentException("max_age must be positive, was " + maxAge);
    }
  }

  /** On: back up before migrations, refuse the release when that fails, keep 10, no age limit. */
  public static BackupSettings defaults() {
    return new BackupSettings(true, true, null, DEFAULT_KEEP, null);
  }

  /** A copy that does or does not back up before migrations. */
  public BackupSettings withBeforeMigrations(boolean beforeMigrations) {
    return new BackupSettings(beforeMigrations, required, folder, keep, maxAge);
  }

  /** A copy writing to another folder (null: the default). */
  public BackupSettings withFolder(@Nullable Path folder) {
    return new BackupSettings(beforeMigrations, required, folder, keep, maxAge);
  }

  /**
   * A copy with other retention.
   *
   * @throws IllegalArgumentException as the constructor
   */
  public BackupSettings withRetention(int keep, @Nullable Duration maxAge) {
    return new BackupSettings(beforeMigrations, required, folder, keep, maxAge);
  }
}
