package dev.deploykit.core.internal.backup;

import dev.deploykit.core.backup.Backup;
import dev.deploykit.core.backup.BackupException;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Checks on a dump before anything touches a database: its SHA-256 against its metadata, and the
 * server version its header records ({@code pg_dump} custom format: {@code PGDMP}, the archive
 * version, then the compression, the creation time, the database's name and the server's version).
 */
public final class DumpFile {
  private DumpFile() {}

  /** Refuses a dump whose bytes are not those its metadata describes. */
  public static void verify(Backup b) {
    if (!Files.isRegularFile(b.file())) {
      throw new BackupException(BackupException.Reason.UNKNOWN_BACKUP, "The dump of backup " + b.id() + " is missing ("
          + b.file() + "); nothing was restored");
    }
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    long size;
    try (InputStream in = new DigestInputStream(Files.newInputStream(b.file()), sha)) {
      size = in.transferTo(OutputStreams.NULL);
    } catch (IOException e) {
      throw new BackupException(BackupException.Reason.FAILED, "Cannot read " + b.file() + ": " + e.getMessage(), e);
    }
    compare(b, size, HexFormat.of().formatHex(sha.digest()));
  }

  /** Refuses a dump of {@code size} bytes with SHA-256 {@code actual} unless its metadata says the same. */
  static void compare(Backup b, long size, String actual) {
    if (!actual.equals(b.sha256()) || size != b.sizeBytes()) {
      throw new BackupException(BackupException.Reason.CHECKSUM_MISMATCH, "Backup " + b.id() + " is corrupted or"
          + " truncated: " + b.location() + " has " + size + " bytes with SHA-256 " + actual.substring(0, 12)
          + "..., its metadata says " + b.sizeBytes() + " bytes, " + b.sha256().substring(0, Math.min(12,
          b.sha256().length())) + "...; nothing was restored, the database is untouched; use another backup"
          + " (`deploykit db backups`)");
    }
  }

  /** The server version the dump's header names ({@code 18.1}), if the header can be read. */
  public static Optional<String> serverVersion(java.nio.file.Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return serverVersion(in);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The server version in the dump's header read from {@code dump}, if it can be read. */
  static Optional<String> serverVersion(InputStream dump) {
    try {
      DataInputStream in = new DataInputStream(dump);
      byte[] magic = in.readNBytes(5);
      if (!"PGDMP".equals(new String(magic, StandardCharsets.US_ASCII))) {
        return Optional.empty();
      }
      int major = in.readUnsignedByte();
      int minor = in.readUnsignedByte();
      in.readUnsignedByte();
      int intSize = in.readUnsignedByte();
      in.readUnsignedByte();
      in.readUnsignedByte();
      if (major != 1 || minor < 14) {
        return Optional.empty();
      }
      if (minor >= 15) {
        in.readUnsignedByte();
      } else {
        readInt(in, intSize);
      }
      for (int i = 0; i < 7; i++) {
        readInt(in, intSize);
      }
      readString(in, intSize);
      return Optional.of(readString(in, intSize));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static int readInt(DataInputStream in, int intSize) throws IOException {
    int sign = in.readUnsignedByte();
    int value = 0;
    for (int i = 0; i < intSize; i++) {
      int b = in.readUnsignedByte();
      if (i < 4) {
        value |= b << (8 * i);
      }
    }
    return sign == 0 ? value : -value;
  }

  private static String readString(DataInputStream in, int intSize) throws IOException {
    int length = readInt(in, intSize);
    if (length < 0) {
      return "";
    }
    if (length > 1024) {
      throw new IOException("not a version string");
    }
    return new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }

  /** Discards what it is given. */
  static final class OutputStreams {
    static final java.io.OutputStream NULL = java.io.OutputStream.nullOutputStream();

    private OutputStreams() {}
  }
}
