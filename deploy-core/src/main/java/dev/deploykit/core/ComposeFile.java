package dev.deploykit.core;

import dev.deploykit.core.internal.compose.StackReader;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Reads a {@link Stack} from a Compose file: the compose-spec keys people already write, plus
 * deploykit's settings under {@code x-deploykit}.
 *
 * <pre>{@code
 * Stack stack = ComposeFile.load(Path.of("compose.yaml"));
 * }</pre>
 *
 * <pre>{@code
 * # compose.yaml
 * x-deploykit:
 *   proxy_port: 8080              # the host port the proxy publishes (default 80)
 *   retain: 5                     # releases kept for rollback (default 5)
 * services:
 *   app:
 *     image: registry.example.com/shop/app:${APP_VERSION:?set APP_VERSION}
 *     ports: ["8080"]
 *     x-deploykit:
 *       role: web                 # web | worker | accessory (default accessory)
 *       health_path: /up          # required for web
 *       deploy_timeout: 2m
 *       drain_timeout: 30s
 *       watch_window: 30s
 * }</pre>
 *
 * <p>Variables interpolate as in Compose ({@code ${VAR}}, {@code ${VAR:-default}},
 * {@code ${VAR:?error}}, ...), from the given environment and then a {@code .env} file beside the
 * Compose file. Any problem is a {@link StackFileException} that names the file, the line and the
 * key; reading never touches a host. A service without {@code x-deploykit} is an accessory:
 * started once and kept.
 *
 * <p>Thread safety: stateless; {@link #load} may be called from any thread.
 */
public final class ComposeFile {
  private final Path file;
  private final Map<String, String> environment;
  private final @Nullable String projectName;

  private ComposeFile(Path file, Map<String, String> environment, @Nullable String projectName) {
    this.file = file;
    this.environment = environment;
    this.projectName = projectName;
  }

  /**
   * Reads the stack with the process environment for interpolation.
   *
   * @throws StackFileException naming the file, line and key of the first problem
   */
  public static Stack load(Path file) {
    return of(file).load();
  }

  /** A reader for the file, to set the environment or the project name first. */
  public static ComposeFile of(Path file) {
    return new ComposeFile(Objects.requireNonNull(file, "file"), System.getenv(), null);
  }

  /** A copy that interpolates from these variables instead of the process environment. */
  public ComposeFile environment(Map<String, String> environment) {
    return new ComposeFile(file, Map.copyOf(environment), projectName);
  }

  /** A copy that names the stack, overriding the file's {@code name} and its folder's name. */
  public ComposeFile projectName(String projectName) {
    return new ComposeFile(file, environment, Objects.requireNonNull(projectName, "projectName"));
  }

  /**
   * Reads the stack.
   *
   * @throws StackFileException naming the file, line and key of the first problem
   */
  public Stack load() {
    return StackReader.read(file, environment, projectName);
  }
}
