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
 *       store: local          # or host: kept in a volume on the stack's host
 *       volume: shop-backups  # default deploykit-<stack>-backups (store: host)
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
 * @param store where new backups go: {@link Store#LOCAL} (the folder) or {@link Store#HOST} (the
 *     volume)
 * @param volume the backup volume on the host, or null for {@link #defaultVolume(String)}
 * @param keep how many backups of the stack are kept (the newest), at least 1
 * @param maxAge backups older than this are removed (the newest is always kept), or null for no
 *     age limit
 */
public record BackupSettings(boolean beforeMigrations, boolean required, @Nullable Path folder, Store store,
    @Nullable String volume, int keep, @Nullable Duration maxAge) {
  /** Where a backup is kept. */
  public enum Store {
    /** Streamed to a folder on the operator's machine (the default). */
    LOCAL,
    /** Kept on the stack's host, in a Docker volume: the dump never crosses the connection. */
    HOST;

    /** {@code local} or {@code host}, as the setting and the flag spell it. */
    public String spelling() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The store spelled {@code local} or {@code host}.
     *
     * @throws IllegalArgumentException for anything else, naming both
     */
    public static Store parse(String text) {
      return switch (text.strip().toLowerCase(java.util.Locale.ROOT)) {
        case "local" -> LOCAL;
        case "host" -> HOST;
        default -> throw new IllegalArgumentException("must be local (a folder on this machine) or host (a volume"
            + " on the stack's host), found \"" + text.strip() + "\"");
      };
    }
  }

  /** How many backups are kept unless {@code keep} says otherwise. */
  public static final int DEFAULT_KEEP = 10;

  /**
   * Validates the settings.
   *
   * @throws IllegalArgumentException when {@code keep} is below 1 or {@code maxAge} is not positive
   */
  public BackupSettings {
    java.util.Objects.requireNonNull(store, "store");
    if (volume != null && !volume.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]*")) {
      throw new IllegalArgumentException("volume must be a Docker volume name ([a-zA-Z0-9][a-zA-Z0-9_.-]*), was "
          + volume);
    }
    if (keep < 1) {
      throw new IllegalArgumentException("keep must be at least 1, was " + keep);
    }
    if (maxAge != null && (maxAge.isNegative() || maxAge.isZero())) {
      throw new IllegalArgumentException("max_age must be positive, was " + maxAge);
    }
  }

  /** Settings that keep backups in the local folder. */
  public BackupSettings(boolean beforeMigrations, boolean required, @Nullable Path folder, int keep,
      @Nullable Duration maxAge) {
    this(beforeMigrations, required, folder, Store.LOCAL, null, keep, maxAge);
  }

  /** The backup volume of a stack when {@code volume} names none: {@code deploykit-STACK-backups}. */
  public static String defaultVolume(String stack) {
    return "deploykit-" + stack + "-backups";
  }

  /** The backup volume of the stack: the setting's, else {@link #defaultVolume(String)}. */
  public String volumeOf(String stack) {
    return volume != null ? volume : defaultVolume(stack);
  }

  /** On: back up before migrations, refuse the release when that fails, keep 10, no age limit. */
  public static BackupSettings defaults() {
    return new BackupSettings(true, true, null, DEFAULT_KEEP, null);
  }

  /** A copy that does or does not back up before migrations. */
  public BackupSettings withBeforeMigrations(boolean beforeMigrations) {
    return new BackupSettings(beforeMigrations, required, folder, store, volume, keep, maxAge);
  }

  /** A copy writing to another folder (null: the default). */
  public BackupSettings withFolder(@Nullable Path folder) {
    return new BackupSettings(beforeMigrations, required, folder, store, volume, keep, maxAge);
  }

  /** A copy keeping new backups in another store, and volume (null: the default). */
  public BackupSettings withStore(Store store, @Nullable String volume) {
    return new BackupSettings(beforeMigrations, required, folder, store, volume, keep, maxAge);
  }

  /**
   * A copy with other retention.
   *
   * @throws IllegalArgumentException as the constructor
   */
  public BackupSettings withRetention(int keep, @Nullable Duration maxAge) {
    return new BackupSettings(beforeMigrations, required, folder, store, volume, keep, maxAge);
  }
}
