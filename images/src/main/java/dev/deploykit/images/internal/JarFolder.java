package dev.deploykit.images.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Class-path entries as jar files: a jar is copied as it is; a class folder is packed into a jar
 * whose bytes depend only on the folder's content (sorted entries, fixed timestamps).
 */
public final class JarFolder {
  /** 2000-01-01T00:00:00Z: a fixed entry time keeps packed jars reproducible. */
  private static final long FIXED_TIME = 946_684_800_000L;

  private JarFolder() {}

  /**
   * The jar's file name in the image: the jar's own name, or for a Maven class folder
   * ({@code <module>/target/classes}) {@code <module>.jar}.
   */
  public static String jarName(Path entry) {
    if (Files.isDirectory(entry)) {
      Path target = entry.toAbsolutePath().normalize().getParent();
      Path module = target == null ? null : target.getParent();
      String name = module != null && target.getFileName().toString().equals("target")
          ? module.getFileName().toString()
          : entry.getFileName().toString();
      return name + "-classes.jar";
    }
    return entry.getFileName().toString();
  }

  /** A SHA-256 over the entry's content: the jar's bytes, or the folder's files and names. */
  public static String contentHash(Path entry) throws IOException {
    MessageDigest digest = Digests.newSha256();
    if (Files.isDirectory(entry)) {
      for (Path file : files(entry)) {
        digest.update(relative(entry, file).getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
        try (InputStream in = Files.newInputStream(file)) {
          digest.update(Digests.sha256(in).getBytes(StandardCharsets.UTF_8));
        }
      }
    } else {
      try (InputStream in = Files.newInputStream(entry)) {
        digest.update(Digests.sha256(in).getBytes(StandardCharsets.UTF_8));
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** Copies a jar, or packs a class folder, to {@code target}. */
  public static void copyAsJar(Path entry, Path target) throws IOException {
    if (!Files.isDirectory(entry)) {
      Files.copy(entry, target, StandardCopyOption.REPLACE_EXISTING);
      return;
    }
    try (OutputStream out = Files.newOutputStream(target);
        ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Path file : files(entry)) {
        ZipEntry e = new ZipEntry(relative(entry, file));
        e.setTime(FIXED_TIME);
        zip.putNextEntry(e);
        Files.copy(file, zip);
        zip.closeEntry();
      }
    }
  }

  private static List<Path> files(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile).sorted().toList();
    }
  }

  private static String relative(Path root, Path file) {
    return root.relativize(file).toString().replace('\\', '/');
  }
}
