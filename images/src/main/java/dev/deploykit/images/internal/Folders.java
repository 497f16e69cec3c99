package dev.deploykit.images.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Removing the temporary folders a build leaves (build contexts, root file systems). */
public final class Folders {
  private static final Logger log = LoggerFactory.getLogger(Folders.class);

  private Folders() {}

  /**
   * Deletes {@code root} and everything below it, without following links. A failure is logged,
   * not thrown: a leftover temporary folder breaks nothing.
   */
  public static void deleteQuietly(Path root) {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      log.warn("Could not delete {}: {}", root, e.getMessage());
    }
  }
}
