package dev.deploykit.sample.common;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The class-path entries a sample runs from: what its image carries. */
public final class ClassPath {
  private ClassPath() {}

  /**
   * The class-path entries (jars or class folders) that {@code classes} were loaded from, in
   * order, each once. The image recipes in {@code deploykit-images} copy them into the image.
   *
   * @throws IllegalStateException when a class was not loaded from a jar or class folder
   */
  public static List<Path> of(Class<?>... classes) {
    List<Path> entries = new ArrayList<>();
    for (Class<?> c : classes) {
      try {
        Path p = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (!entries.contains(p)) {
          entries.add(p);
        }
      } catch (URISyntaxException | NullPointerException e) {
        throw new IllegalStateException("Cannot locate the class-path entry of " + c.getName(), e);
      }
    }
    return List.copyOf(entries);
  }
}
