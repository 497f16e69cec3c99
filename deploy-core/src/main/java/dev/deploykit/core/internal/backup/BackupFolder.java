package dev.deploykit.core.internal.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.deploykit.core.backup.Backup;
import dev.deploykit.core.backup.BackupException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The folder of a stack's backups on the operator's machine: {@code ID.dump} ({@code pg_dump}
 * custom format) and beside it {@code ID.json}, its metadata. A dump without metadata is a
 * partial one and is not listed.
 */
public final class BackupFolder {
  private static final Logger log = LoggerFactory.getLogger(BackupFolder.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path folder;

  public BackupFolder(Path folder) {
    this.folder = folder;
  }

  public Path path() {
    return folder;
  }

  Path dump(String id) {
    return folder.resolve(id + ".dump");
  }

  Path partial(String id) {
    return folder.resolve(id + ".dump.partial");
  }

  private Path metadata(String id) {
    return folder.resolve(id + ".json");
  }

  /** The metadata file's bytes of a backup. */
  static byte[] metadata(Backup b) {
    ObjectNode o = JSON.createObjectNode();
    o.put("id", b.id());
    o.put("stack", b.stack());
    o.put("service", b.service());
    o.put("database", b.database());
    o.put("createdAt", b.createdAt().toString());
    o.put("sizeBytes", b.sizeBytes());
    o.put("sha256", b.sha256());
    o.put("liveRelease", b.liveRelease());
    o.put("serverVersion", b.serverVersion());
    o.put("reason", b.reason());
    o.put("file", b.file().getFileName().toString());
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(o);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes the metadata (atomically: a reader never sees half of it). */
  void save(Backup b) {
    try {
      Path tmp = folder.resolve(b.id() + ".json.tmp");
      Files.write(tmp, metadata(b));
      Files.move(tmp, metadata(b.id()), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new BackupException(BackupException.Reason.FAILED, "Could not write the metadata of backup "
          + b.id() + " in " + folder + ": " + e.getMessage(), e);
    }
  }

  /** The stack's backups, newest first. */
  public List<Backup> list(String stack) {
    if (!Files.isDirectory(folder)) {
      return List.of();
    }
    List<Backup> backups = new ArrayList<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".json")).toList()) {
        read(f).filter(b -> b.stack().equals(stack)).ifPresent(backups::add);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not list " + folder, e);
    }
    backups.sort(Comparator.comparing(Backup::createdAt).reversed().thenComparing(Backup::id, Comparator.reverseOrder()));
    return backups;
  }

  /** The backup by its id, or by its dump's file name or path. */
  public Optional<Backup> find(String stack, String idOrFile) {
    String id = idOf(idOrFile);
    Path dir = idOrFile.contains("/") ? Path.of(idOrFile).toAbsolutePath().getParent() : folder;
    Path meta = dir.resolve(id + ".json");
    return Files.isRegularFile(meta) ? read(meta).filter(b -> b.stack().equals(stack)) : Optional.empty();
  }

  /** The id in a backup's id, dump or metadata name or path. */
  static String idOf(String idOrFile) {
    String name = Path.of(idOrFile).getFileName().toString();
    return name.endsWith(".dump") || name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
  }

  private Optional<Backup> read(Path meta) {
    try {
      return parse(JSON.readTree(meta.toFile()), meta);
    } catch (IOException | RuntimeException e) {
      log.warn("Skipping {}: not a backup's metadata ({})", meta, e.toString());
      return Optional.empty();
    }
  }

  /** The backup a metadata document describes; its dump is named relative to {@code meta}. */
  static Optional<Backup> parse(JsonNode o, Path meta) {
    try {
      return Optional.of(new Backup(o.path("id").asText(), o.path("stack").asText(), o.path("service").asText(),
          o.path("database").asText(), Instant.parse(o.path("createdAt").asText()), o.path("sizeBytes").asLong(),
          o.path("sha256").asText(), o.hasNonNull("liveRelease") ? o.path("liveRelease").asText() : null,
          o.path("serverVersion").asText(), o.path("reason").asText(""),
          meta.resolveSibling(o.path("file").asText(o.path("id").asText() + ".dump"))));
    } catch (RuntimeException e) {
      log.warn("Skipping {}: not a backup's metadata ({})", o.path("id").asText("?"), e.toString());
      return Optional.empty();
    }
  }

  /**
   * Keeps the newest {@code keep} backups of the stack and removes those older than {@code
   * maxAge}; the newest one always stays.
   *
   * @return the ids removed
   */
  public List<String> retain(String stack, int keep, @org.jspecify.annotations.Nullable Duration maxAge, Instant now) {
    List<String> removed = new ArrayList<>();
    for (Backup b : expired(list(stack), keep, maxAge, now)) {
      remove(b);
      removed.add(b.id());
    }
    return removed;
  }

  /**
   * Those of {@code all} (newest first) that retention removes: beyond the newest {@code keep},
   * or older than {@code maxAge}; never the newest.
   */
  static List<Backup> expired(List<Backup> all, int keep, @org.jspecify.annotations.Nullable Duration maxAge,
      Instant now) {
    List<Backup> expired = new ArrayList<>();
    for (int i = 1; i < all.size(); i++) {
      Backup b = all.get(i);
      boolean tooMany = i >= keep;
      boolean tooOld = maxAge != null && b.createdAt().isBefore(now.minus(maxAge));
      if (tooMany || tooOld) {
        expired.add(b);
      }
    }
    return expired;
  }

  void remove(Backup b) {
    try {
      Files.deleteIfExists(metadata(b.id()));
      Files.deleteIfExists(b.file());
    } catch (IOException e) {
      log.warn("Could not remove backup {}: {}", b.id(), e.toString());
    }
  }
}
