package dev.deploykit.llm.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The models the server holds: GGUF files in one directory, named {@code <model>.gguf} (a name
 * without a tag means {@code :latest}; a {@code /} in a name is stored as {@code %2F}), plus the
 * uploaded blobs under {@code blobs/sha256-<hex>} the way Ollama keeps them.
 *
 * <p>Thread safety: safe for concurrent use; the directory is the truth and is re-read on every
 * listing, with digests cached by file size and modification time.
 */
public final class ModelStore {
  private static final Pattern DIGEST = Pattern.compile("^sha256[:-]([0-9a-fA-F]{64})$");
  private static final Pattern NAME =
      Pattern.compile("^[A-Za-z0-9_][A-Za-z0-9_.\\-/]*(:[A-Za-z0-9_][A-Za-z0-9_.\\-]*)?$");

  private final Path directory;
  private final Path blobs;
  private final Map<Path, Cached> cache = new ConcurrentHashMap<>();

  private record Cached(long size, long modified, String digest, GgufMetadata metadata) {}

  /** A model on disk. */
  public record Entry(String name, Path file, long size, String digest, Instant modifiedAt,
      GgufMetadata metadata) {}

  public ModelStore(Path directory) {
    this.directory = directory;
    this.blobs = directory.resolve("blobs");
    try {
      Files.createDirectories(blobs);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create the models directory " + directory, e);
    }
  }

  public Path directory() {
    return directory;
  }

  /**
   * Ollama's short form of a model name: the default registry and namespace dropped, the tag
   * {@code latest} added when missing.
   */
  public static String normalize(String name) {
    String n = name.strip();
    for (String prefix : List.of("registry.ollama.ai/library/", "registry.ollama.ai/", "library/")) {
      if (n.startsWith(prefix)) {
        n = n.substring(prefix.length());
        break;
      }
    }
    int slash = n.lastIndexOf('/');
    return n.indexOf(':', slash + 1) < 0 ? n + ":latest" : n;
  }

  /** Whether {@code name} is a valid model name. */
  public static boolean validName(String name) {
    return !name.isBlank() && NAME.matcher(name.strip()).matches() && !name.contains("..");
  }

  /** Every model in the directory, by name. */
  public List<Entry> list() {
    List<Entry> entries = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.gguf")) {
      for (Path file : files) {
        entry(file).ifPresent(entries::add);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list the models directory " + directory, e);
    }
    entries.sort(Comparator.comparing(Entry::name));
    return entries;
  }

  /** The model of that name, if present. */
  public Optional<Entry> find(String name) {
    if (!validName(name)) {
      return Optional.empty();
    }
    Path file = fileOf(normalize(name));
    return Files.isRegularFile(file) ? entry(file) : Optional.empty();
  }

  /** Whether a blob with that digest is stored. */
  public boolean hasBlob(String digest) {
    return blobPath(digest).map(Files::isRegularFile).orElse(false);
  }

  /** The hex part of a digest such as {@code sha256:<hex>}, if it is well formed. */
  public static Optional<String> digestHex(String digest) {
    var m = DIGEST.matcher(digest);
    return m.matches() ? Optional.of(m.group(1).toLowerCase(Locale.ROOT)) : Optional.empty();
  }

  /** Result of storing a blob: stored, or the digest that the content really had. */
  public sealed interface BlobResult {
    record Stored() implements BlobResult {}

    record Mismatch(String actual) implements BlobResult {}
  }

  /**
   * Stores {@code content} as the blob {@code digest} if its SHA-256 matches, else keeps nothing.
   *
   * @throws IllegalArgumentException when the digest is malformed
   */
  public BlobResult putBlob(String digest, InputStream content) throws IOException {
    String expected = digestHex(digest).orElseThrow(
        () -> new IllegalArgumentException("invalid digest format"));
    Path temp = Files.createTempFile(blobs, "upload-", ".partial");
    try {
      MessageDigest sha = sha256();
      try (InputStream in = new DigestInputStream(content, sha)) {
        Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
      }
      String actual = HexFormat.of().formatHex(sha.digest());
      if (!actual.equals(expected)) {
        return new BlobResult.Mismatch(actual);
      }
      Files.move(temp, blobs.resolve("sha256-" + expected), StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
      return new BlobResult.Stored();
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** The stored blob of that digest. */
  public Optional<Path> blob(String digest) {
    return blobPath(digest).filter(Files::isRegularFile);
  }

  /**
   * Makes {@code source} (a blob or another model's file) available as model {@code name},
   * replacing a model of that name.
   *
   * @throws IOException when the file is not GGUF or cannot be placed
   */
  public Entry create(String name, Path source) throws IOException {
    GgufMetadata.read(source); // refuse what llama.cpp would refuse, with a reason
    Path target = fileOf(normalize(name));
    Path temp = directory.resolve("." + target.getFileName() + ".creating");
    Files.deleteIfExists(temp);
    try {
      Files.createLink(temp, source);
    } catch (IOException | UnsupportedOperationException e) {
      Files.copy(source, temp, StandardCopyOption.REPLACE_EXISTING);
    }
    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return entry(target).orElseThrow(() -> new IOException("created model vanished: " + target));
  }

  /** Deletes model {@code name}; false when there is none. */
  public boolean delete(String name) throws IOException {
    if (!validName(name)) {
      return false;
    }
    Path file = fileOf(normalize(name));
    cache.remove(file);
    return Files.deleteIfExists(file);
  }

  private Optional<Path> blobPath(String digest) {
    return digestHex(digest).map(hex -> blobs.resolve("sha256-" + hex));
  }

  private Path fileOf(String normalizedName) {
    String file = normalizedName.endsWith(":latest")
        ? normalizedName.substring(0, normalizedName.length() - ":latest".length())
        : normalizedName;
    return directory.resolve(file.replace("/", "%2F") + ".gguf");
  }

  private Optional<Entry> entry(Path file) {
    try {
      long size = Files.size(file);
      long modified = Files.getLastModifiedTime(file).toMillis();
      Cached c = cache.get(file);
      if (c == null || c.size() != size || c.modified() != modified) {
        MessageDigest sha = sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
          in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        c = new Cached(size, modified, HexFormat.of().formatHex(sha.digest()), GgufMetadata.read(file));
        cache.put(file, c);
      }
      String base = file.getFileName().toString();
      String name = normalize(base.substring(0, base.length() - ".gguf".length()).replace("%2F", "/"));
      return Optional.of(new Entry(name, file, size, c.digest(), Instant.ofEpochMilli(modified),
          c.metadata()));
    } catch (IOException e) {
      // A file that is not GGUF (or vanished meanwhile) is not a model.
      return Optional.empty();
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every Java runtime has SHA-256", e);
    }
  }

}
