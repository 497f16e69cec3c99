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
 *
 * Stack staging = ComposeFile.of(Path.of("compose.yaml"))
 *     .environment(Map.of("APP_VERSION", "1.4.2"))
 *     .projectName("shop-staging")
 *     .load();
 * }</pre>
 *
 * <pre>{@code
 * # compose.yaml
 * x-deploykit:
 *   proxy_port: 8080              # the host port the proxy publishes (default 80)
 *   retain: 5                     # releases kept for rollback (default 5)
 *   host: ssh://deploy@203.0.113.7  # the engine (default: local; --host and DOCKER_HOST win)
 * services:
 *   db:
 *     image: postgres:18.1
 *     x-deploykit:
 *       probe: postgres           # no role: an accessory, started once and kept
 *   app:
 *     image: registry.example.com/shop/app:${APP_VERSION:?set APP_VERSION}
 *     ports: ["8080"]
 *     depends_on: [db]
 *     x-deploykit:
 *       role: web                 # web | worker | accessory (default accessory)
 *       health_path: /up          # required for web
 *       health_port: 8080         # default: the probe's port, else the first of ports
 *       deploy_timeout: 2m
 *       drain_timeout: 30s
 *       watch_window: 30s
 * }</pre>
 *
 * <p>A service's {@code x-deploykit.probe} says how deploykit checks it once it runs:
 * {@code http}, {@code postgres}, {@code ollama}, {@code tcp} or {@code container} (see
 * {@link Probe}; case does not matter). Without it a web service, and any service with a
 * {@code health_path}, is probed over HTTP, every other one by its container's state. A service
 * without {@code x-deploykit} is an accessory: started once and kept.
 *
 * <p>Variables interpolate as in Compose ({@code ${VAR}}, {@code ${VAR:-default}},
 * {@code ${VAR:?error}}, ...), from the given environment and then a {@code .env} file beside the
 * Compose file. That file, and a service's {@code env_file}s, are read as Compose reads them:
 * {@code KEY=value} lines, {@code export}, comments, quoted values that may span lines
 * ({@code "..."} with escapes such as {@code \n}, {@code '...'} literally), {@code ${VAR}} inside
 * values, and a bare {@code KEY} passed through from the environment.
 *
 * <p>Any problem, including a rule of the model such as a web service without a health path or
 * services whose {@code depends_on} form a circle, is a {@link StackFileException} that names the
 * file, the line and the YAML key; reading never touches a host.
 *
 * <p>Thread safety: immutable; {@link #load} may be called from any thread.
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
   * @param file the Compose file; the stack is named after its {@code name} key, else its folder
   * @throws StackFileException naming the file, line and key of the first problem
   */
  public static Stack load(Path file) {
    return of(file).load();
  }

  /**
   * A reader for the file, to set the environment or the project name first; it reads nothing
   * until {@link #load()}.
   *
   * @param file the Compose file; {@code .env} and relative paths resolve against its folder
   */
  public static ComposeFile of(Path file) {
    return new ComposeFile(Objects.requireNonNull(file, "file"), System.getenv(), null);
  }

  /**
   * A copy that interpolates from these variables (copied) instead of the process environment;
   * they still win over the {@code .env} file.
   */
  public ComposeFile environment(Map<String, String> environment) {
    return new ComposeFile(file, Map.copyOf(environment), projectName);
  }

  /**
   * A copy that names the stack, overriding the file's {@code name} and its folder's name.
   *
   * @param projectName lower-case letters, digits, {@code _} and {@code -}, starting with a
   *     letter or digit (checked by {@link #load()})
   */
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
