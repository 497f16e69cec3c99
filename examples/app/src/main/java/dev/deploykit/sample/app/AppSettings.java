package dev.deploykit.sample.app;

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
    return new AppSettings(
        nonBlank(env.get("APP_VERSION"), "dev"),
        blankToNull(env.get("DEPLOYKIT_RELEASE")),
        integer(env, "PORT", 8080),
        nonBlank(env.get("DB_URL"), "jdbc:postgresql://db:5432/app"),
        nonBlank(env.get("DB_USER"), "app"),
        env.get("DB_PASSWORD"),
        integer(env, "DB_POOL_SIZE", 8),
        env.get("STOP_TIMEOUT") == null || env.get("STOP_TIMEOUT").isBlank()
            ? Duration.ofSeconds(20)
            : Fault.duration("STOP_TIMEOUT", env.get("STOP_TIMEOUT").strip()),
        Fault.parse(env.get(Fault.ENV)));
  }

  /** The port the app really listens on: one above {@link #port()} under the wrong-port fault. */
  int listenPort() {
    return fault instanceof Fault.WrongPort ? port + 1 : port;
  }

  /** The JDBC properties: user, password and a timeout on every network step. */
  Properties jdbcProperties() {
    Properties p = new Properties();
    p.setProperty("user", dbUser);
    if (dbPassword != null) {
      p.setProperty("password", dbPassword);
    }
    p.setProperty("connectTimeout", "5");
    p.setProperty("loginTimeout", "10");
    p.setProperty("socketTimeout", "30");
    p.setProperty("tcpKeepAlive", "true");
    p.setProperty("ApplicationName", "deploykit-sample-app " + version);
    return p;
  }

  /** The database URL without its query string, which may hold credentials. */
  String dbUrlForLogs() {
    int q = dbUrl.indexOf('?');
    return q < 0 ? dbUrl : dbUrl.substring(0, q) + "?...";
  }

  @Override
  public String toString() {
    return "AppSettings[version=" + version + ", release=" + release + ", port=" + port
        + ", db=" + dbUrlForLogs() + ", dbUser=" + dbUser + ", dbPassword="
        + (dbPassword == null ? "(none)" : "(set)") + ", poolSize=" + poolSize
        + ", stopTimeout=" + stopTimeout + ", fault=" + fault + "]";
  }

  private static int integer(Map<String, String> env, String name, int otherwise) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      return otherwise;
    }
    try {
      return Integer.parseInt(v.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + "=" + v + " is not a whole number", e);
    }
  }

  private static String nonBlank(@Nullable String v, String otherwise) {
    return v == null || v.isBlank() ? otherwise : v.strip();
  }

  private static @Nullable String blankToNull(@Nullable String v) {
    return v == null || v.isBlank() ? null : v.strip();
  }
}
