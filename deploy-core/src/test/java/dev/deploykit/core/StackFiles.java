package dev.deploykit.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A stack file written to a test's folder and loaded, for the tests of x-deploykit blocks. */
final class StackFiles {
  /** The smallest services block a stack file needs. */
  static final String SERVICES = "services:\n  app:\n    image: app:1\n";

  private StackFiles() {}

  /** Writes {@code yaml} to {@code dir/compose.yaml} and loads it with an empty environment. */
  static Stack load(Path dir, String yaml) throws IOException {
    Path file = dir.resolve("compose.yaml");
    Files.writeString(file, yaml);
    return ComposeFile.of(file).environment(Map.of()).load();
  }
}
