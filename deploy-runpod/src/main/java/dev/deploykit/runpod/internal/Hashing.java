package dev.deploykit.runpod.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** A SHA-256 over texts, bytes, files and folder trees (paths sorted), for content tags. */
public final class Hashing {
  private final MessageDigest digest;

  public Hashing() {
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public void text(String text) {
    digest.update(text.getBytes(StandardCharsets.UTF_8));
    digest.update((byte) '\n');
  }

  public void bytes(byte[] bytes) {
    digest.update(bytes);
  }

  public void file(Path file) {
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        digest.update(buffer, 0, n);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file, e);
    }
  }

  /**
   * A file, every file under a folder with its relative path, or a jar's entries (names and
   * contents, not the archive's bytes: a rebuilt jar with the same classes hashes the same).
   */
  public void tree(Path root) {
    if (!Files.isDirectory(root)) {
      if (root.getFileName().toString().endsWith(".jar")) {
        jar(root);
      } else {
        file(root);
      }
      return;
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + root, e);
    }
    for (Path f : files) {
      text(root.relativize(f).toString());
      file(f);
    }
  }

  private void jar(Path jar) {
    try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jar.toFile())) {
      List<? extends java.util.zip.ZipEntry> entries = zip.stream()
          .filter(e -> !e.isDirectory()).sorted(java.util.Comparator.comparing(java.util.zip.ZipEntry::getName))
          .toList();
      for (java.util.zip.ZipEntry e : entries) {
        text(e.getName());
        try (InputStream in = zip.getInputStream(e)) {
          digest.update(in.readAllBytes());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + jar, e);
    }
  }

  public String hex() {
    return HexFormat.of().formatHex(digest.digest());
  }
}
