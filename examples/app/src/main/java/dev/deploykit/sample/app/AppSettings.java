package dev.deploykit.sample.app;

import dev.deploykit.sample.common.Env;
import dev.deploykit.sample.common.Jdbc;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * The app's settings, from its environment:
 *
 * <ul>
 *   <li>{@code APP_VERSION}: the release name baked into the image (default {@code dev});
 *   <li>{@code DEPLOYKIT_RELEASE}: the release id deploykit sets, shown by {@code /version};
 *   <li>{@code PORT}: the port to listen on (default 8080);
 *   <li>{@code DB_URL} (default {@code jdbc:postgresql://db:5432/app}), {@code DB_USER} (default
 *       {@code app}), {@code DB_PASSWORD}; {@code DB_POOL_SIZE} (default 8);
 *   <li>{@code STOP_TIMEOUT}: how long in-flight requests may take to finish after SIGTERM
 *       (default 20s; keep it below the container's stop grace period);
 *   <li>{@code SAMPLE_FAULT}: a deliberate defect, see {@link Fault}.
 * </ul>
 *
 * <p>{@link #toString()} leaves the password out.
 */
record AppSettings(
    String version,
    @Nullable String release,
    int port,
    String dbUrl,
    String dbUser,
    @Nullable String dbPassword,
    int poolSize,
    Duration stopTimeout,
    Fault fault) {

  AppSettings {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(dbUrl, "dbUrl");
    Objects.requireNonNull(dbUser, "dbUser");
    Objects.requireNonNull(stopTimeout, "stopTimeout");
    Objects.requireNonNull(fault, "fault");
    if (port < 1 || port > 65534) {
      throw new IllegalArgumentException("PORT must be 1..65534, was " + port);
    }
    if (poolSize < 1) {
      throw new IllegalArgumentException("DB_POOL_SIZE must be at least 1, was " + poolSize);
    }
  }

  /**
   * Reads the settings from an environment map.
   *
   * @throws IllegalArgumentException naming the variable that is wrong
   */
  static AppSettings fromEnvironment(Map<String, String> env) {
    String stopTimeout = Env.textOrNull(env, "STOP_TIMEOUT");
    return new AppSettings(
        Env.text(env, "APP_VERSION", "dev"),
        Env.textOrNull(env, "DEPLOYKIT_RELEASE"),
        Env.integer(env, "PORT", 8080),
        Env.text(env, "DB_URL", "jdbc:postgresql://db:5432/app"),
        Env.text(env, "DB_USER", "app"),
        env.get("DB_PASSWORD"),
        Env.integer(env, "DB_POOL_SIZE", 8),
        stopTimeout == null ? Duration.ofSeconds(20) : Fault.duration("STOP_TIMEOUT", stopTimeout),
        Fault.parse(env.get(Fault.ENV)));
  }

  /** The port the app really listens on: one above {@link #port()} under the wrong-port fault. */
  int listenPort() {
    return fault instanceof Fault.WrongPort ? port + 1 : port;
  }

  /** The JDBC properties: user, password and a timeout on every network step. */
  Properties jdbcProperties() {
    return Jdbc.properties(dbUser, dbPassword, "deploykit-sample-app " + version);
  }

  /** The database URL without its query string, which may hold credentials. */
  String dbUrlForLogs() {
    return Jdbc.urlForLogs(dbUrl);
  }

  @Override
  public String toString() {
    return "AppSettings[version=" + version + ", release=" + release + ", port=" + port
        + ", db=" + dbUrlForLogs() + ", dbUser=" + dbUser + ", dbPassword="
        + (dbPassword == null ? "(none)" : "(set)") + ", poolSize=" + poolSize
        + ", stopTimeout=" + stopTimeout + ", fault=" + fault + "]";
  }
}
