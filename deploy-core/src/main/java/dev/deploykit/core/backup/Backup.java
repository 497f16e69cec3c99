package dev.deploykit.core.backup;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One backup of a stack's database, as its metadata file beside the dump records it.
 *
 * <p>Thread safety: immutable.
 *
 * @param id the backup's id, for example {@code 20261202-013012-4f2a}
 * @param stack the stack's name
 * @param service the accessory that runs PostgreSQL
 * @param database the database dumped
 * @param createdAt when the dump started
 * @param sizeBytes the dump's size
 * @param sha256 the dump's SHA-256, in hex
 * @param liveRelease the release that was live then, or null when none was
 * @param serverVersion the server's version ({@code 18.1})
 * @param reason why it was taken: {@code by hand}, {@code before release ...}
 * @param file the dump ({@code pg_dump} custom format): a path on this machine, or for a backup kept
 *     on the host its path inside {@code volume} ({@code ID.dump})
 * @param volume the volume on the stack's host that holds the dump, or null when it is in a folder
 *     on this machine
 */
public record Backup(String id, String stack, String service, String database, Instant createdAt, long sizeBytes,
    String sha256, @Nullable String liveRelease, String serverVersion, String reason, Path file,
    @Nullable String volume) {

  /** A backup in a folder on this machine. */
  public Backup(String id, String stack, String service, String database, Instant createdAt, long sizeBytes,
      String sha256, @Nullable String liveRelease, String serverVersion, String reason, Path file) {
    this(id, stack, service, database, createdAt, sizeBytes, sha256, liveRelease, serverVersion, reason, file, null);
  }

  /** Validates the record. */
  public Backup {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(stack, "stack");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(serverVersion, "serverVersion");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(file, "file");
    if (sizeBytes < 0) {
      throw new IllegalArgumentException("sizeBytes must not be negative, was " + sizeBytes);
    }
  }

  /** Where it is kept: {@link BackupSettings.Store#HOST} when in a volume, else {@code LOCAL}. */
  public BackupSettings.Store store() {
    return volume == null ? BackupSettings.Store.LOCAL : BackupSettings.Store.HOST;
  }

  /** Where it is, for people: {@code volume V on the host} or the dump's path. */
  public String location() {
    return volume == null ? file.toString() : "volume " + volume + " on the host (" + file + ")";
  }

  /** A copy kept in the given volume of the host. */
  public Backup inVolume(String volume) {
    return new Backup(id, stack, service, database, createdAt, sizeBytes, sha256, liveRelease, serverVersion, reason,
        file, volume);
  }

  /** The server's major version ({@code 18} of {@code 18.1}), or 0 when it cannot be read. */
  public int serverMajor() {
    return DatabaseBackups.major(serverVersion);
  }
}
