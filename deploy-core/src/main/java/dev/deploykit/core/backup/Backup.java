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
 * @param file the dump ({@code pg_dump} custom format)
 */
public record Backup(String id, String stack, String service, String database, Instant createdAt, long sizeBytes,
    String sha256, @Nullable String liveRelease, String serverVersion, String reason, Path file) {

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

  /** The server's major version ({@code 18} of {@code 18.1}), or 0 when it cannot be read. */
  public int serverMajor() {
    return DatabaseBackups.major(serverVersion);
  }
}
