package dev.deploykit.core.internal.backup;

import dev.deploykit.core.DeployException;
import dev.deploykit.core.backup.Backup;
import dev.deploykit.core.backup.BackupException;
import dev.deploykit.core.engine.StreamedExec;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * One backup: {@code pg_dump -Fc} inside the database container, its output streamed into a
 * partial file in the backup folder while its SHA-256 is computed, then moved into place and
 * described by its metadata. A failed or interrupted dump leaves no file behind.
 */
public final class DumpWriter {
  private final ContainerDatabase db;
  private final BackupFolder folder;
  private final Duration timeout;

  public DumpWriter(ContainerDatabase db, BackupFolder folder, Duration timeout) {
    this.db = db;
    this.folder = folder;
    this.timeout = timeout;
  }

  public Backup write(String stack, String id, Instant now, @Nullable String liveRelease, String reason) {
    String version = db.serverVersion();
    long databaseBytes = databaseSize(db);
    Path partial = folder.partial(id);
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
    StreamedExec result;
    try {
      Files.createDirectories(folder.path());
    } catch (IOException e) {
      throw new BackupException(BackupException.Reason.FAILED, "Cannot create the backup folder " + folder.path()
          + ": " + e.getMessage() + "; choose another with --folder or x-deploykit.db_init.backup.folder", e);
    }
    boolean done = false;
    try {
      try (OutputStream out = new DigestOutputStream(new BufferedOutputStream(Files.newOutputStream(partial),
          1 << 20), sha)) {
        List<String> command = new ArrayList<>(List.of("pg_dump", "-Fc"));
        command.addAll(db.connection());
        result = db.run(command, out, timeout);
      } catch (DeployException e) {
        IOException io = ioCause(e);
        if (io != null) {
          throw full(io, partial, databaseBytes, id);
        }
        throw ContainerDatabase.engine("pg_dump of the " + db.describe() + " failed", e);
      } catch (IOException e) {
        throw full(e, partial, databaseBytes, id);
      }
      if (result.exitCode() != 0) {
        throw new BackupException(BackupException.Reason.FAILED, "pg_dump of the " + db.describe() + " failed (exit "
            + result.exitCode() + "): " + ContainerDatabase.firstLine(result.stderr()) + "; nothing was kept");
      }
      Path dump = folder.dump(id);
      long size;
      try {
        size = Files.size(partial);
        Files.move(partial, dump, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        throw new BackupException(BackupException.Reason.FAILED, "Could not keep backup " + id + " in "
            + folder.path() + ": " + e.getMessage(), e);
      }
      Backup backup = new Backup(id, stack, db.service, db.database, now, size, HexFormat.of().formatHex(sha.digest()),
          liveRelease, version, reason, dump);
      folder.save(backup);
      done = true;
      return backup;
    } finally {
      if (!done) {
        try {
          Files.deleteIfExists(partial);
          Files.deleteIfExists(folder.dump(id));
        } catch (IOException e) {
          // Nothing more to do: the message names the folder.
        }
      }
    }
  }

  /** {@code pg_database_size}, or -1 when it cannot be read (a refused password is said). */
  static long databaseSize(ContainerDatabase db) {
    try {
      return Long.parseLong(db.query("select pg_database_size(current_database())").getFirst()[0].strip());
    } catch (RuntimeException e) {
      if (e instanceof BackupException b && b.reason() == BackupException.Reason.PASSWORD_REFUSED) {
        throw b;
      }
      return -1;
    }
  }

  private static @Nullable IOException ioCause(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof IOException io) {
        return io;
      }
    }
    return null;
  }

  private BackupException full(IOException e, Path partial, long databaseBytes, String id) {
    long written = 0;
    long free = -1;
    try {
      written = Files.exists(partial) ? Files.size(partial) : 0;
      free = Files.getFileStore(folder.path()).getUsableSpace();
    } catch (IOException ignored) {
      // The numbers are for the message only.
    }
    String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
    if (message.contains("no space") || message.contains("disk quota") || (free >= 0 && free < (1 << 20))) {
      return diskFull("The disk of " + folder.path(), id, written, databaseBytes, free,
          "or choose another folder (--folder, x-deploykit.db_init.backup.folder)", e);
    }
    return new BackupException(BackupException.Reason.FAILED, "Writing backup " + id + " to " + folder.path()
        + " failed: " + e.getMessage() + "; the partial file was removed", e);
  }

  /**
   * The disk of {@code where} filled up: how much of the dump was written, the database's size
   * (what a dump needs at most, about), what is free, how much to free, and that nothing is left.
   */
  static BackupException diskFull(String where, String id, long written, long databaseBytes, long free,
      String elsewhere, @Nullable Throwable cause) {
    long needed = Math.max(databaseBytes, written) - Math.max(free, 0) + (1 << 20);
    return new BackupException(BackupException.Reason.DISK_FULL, capitalized(where) + " filled up during backup " + id
        + " after " + mb(written) + " of the dump; the database is " + mb(databaseBytes) + " (a dump needs up to about"
        + " that much), " + mb(Math.max(free, 0)) + " are free there: free at least " + mb(needed) + " " + elsewhere
        + "; the partial file was removed", cause);
  }

  private static String capitalized(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  static String mb(long bytes) {
    if (bytes < 0) {
      return "unknown";
    }
    return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
  }
}
