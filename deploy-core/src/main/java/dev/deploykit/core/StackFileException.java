package dev.deploykit.core;

import java.nio.file.Path;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A stack file that cannot be used: a YAML syntax error, an unknown or mistyped key, a missing
 * required variable, a service without an image, ... The message reads
 * {@code compose.yaml:12: services.app.x-deploykit.helth_path: unknown key (did you mean health_path?)}.
 * Nothing on any host has been touched when it is thrown. Its {@link #reason()} is
 * {@link DeployException.Reason#INVALID_STACK}.
 *
 * <p>Thread safety: immutable.
 */
public final class StackFileException extends DeployException {
  private static final long serialVersionUID = 1L;

  /** The stack file, or null (not serialised). */
  private final transient @Nullable Path file;
  /** The 1-based line, or 0. */
  private final int line;
  /** The dotted key path, or null. */
  private final @Nullable String key;

  /**
   * A problem in a stack file.
   *
   * @param file the stack file, or null for a stack built in Java
   * @param line the 1-based line, or 0 when unknown
   * @param key the dotted key path, for example {@code services.app.image}, or null
   * @param problem what is wrong, and what to do where that is not obvious
   */
  public StackFileException(@Nullable Path file, int line, @Nullable String key, String problem) {
    super(Reason.INVALID_STACK, format(file, line, key, problem));
    this.file = file;
    this.line = line;
    this.key = key;
  }

  /** The stack file, if the stack came from one. */
  public Optional<Path> file() {
    return Optional.ofNullable(file);
  }

  /** The 1-based line of the problem, or 0 when unknown. */
  public int line() {
    return line;
  }

  /** The dotted key path of the problem, if there is one. */
  public Optional<String> key() {
    return Optional.ofNullable(key);
  }

  private static String format(@Nullable Path file, int line, @Nullable String key, String problem) {
    StringBuilder s = new StringBuilder();
    if (file != null) {
      s.append(file);
      if (line > 0) {
        s.append(':').append(line);
      }
      s.append(": ");
    }
    if (key != null) {
      s.append(key).append(": ");
    }
    return s.append(problem).toString();
  }
}
