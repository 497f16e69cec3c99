package dev.deploykit.sample.worker;

import java.net.URI;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * The worker's settings, from its environment:
 *
 * <ul>
 *   <li>{@code APP_VERSION}: the release name baked into the image (default {@code dev});
 *   <li>{@code WORKER_ID}: its name in the heartbeat table (default {@code HOSTNAME}, which
 *       Docker sets to the container's short id);
 *   <li>{@code DB_URL} (default {@code jdbc:postgresql://db:5432/app}), {@code DB_USER} (default
 *       {@code app}), {@code DB_PASSWORD};
 *   <li>{@code OLLAMA_URL} (default {@code http://llm:11434}), {@code OLLAMA_MODEL} (default
 *       {@code tiny}), {@code OLLAMA_NUM_PREDICT} (tokens per answer, default 16),
 *       {@code OLLAMA_TIMEOUT} (one generation, default 60s);
 *   <li>{@code POLL_INTERVAL} (when the queue is empty, default 200ms), {@code HEARTBEAT_INTERVAL}
 *       (default 2s), {@code STOP_TIMEOUT} (how long the job in hand may take after SIGTERM,
 *       default 25s; keep it below the container's stop grace period).
 * </ul>
 *
 * <p>Durations: {@code 500ms}, {@code 10s}, {@code 2m} or ISO-8601. {@link #toString()} leaves
 * the password out.
 */
record WorkerSettings(
    String version,
    String workerId,
    String dbUrl,
    String dbUser,
    @Nullable String dbPassword,
    URI ollamaUrl,
    String model,
    int numPredict,
    Duration ollamaTimeout,
    Duration pollInterval,
    Duration heartbeatInterval,
    Duration stopTimeout) {

  WorkerSettings {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(workerId, "workerId");
    Objects.requireNonNull(dbUrl, "dbUrl");
    Objects.requireNonNull(dbUser, "dbUser");
    Objects.requireNonNull(ollamaUrl, "ollamaUrl");
    Objects.requireNonNull(model, "model");
    if (numPredict < 1) {
      throw new IllegalArgumentException("OLLAMA_NUM_PREDICT must be at least 1, was " + numPredict);
    }
  }

  /**
   * Reads the settings from an environment map.
   *
   * @throws IllegalArgumentException naming the variable that is wrong
   */
  static WorkerSettings fromEnvironment(Map<String, String> env) {
    String url = text(env, "OLLAMA_URL", "http://llm:11434");
    URI ollama;
    try {
      ollama = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("OLLAMA_URL=" + url + " is not a URL", e);
    }
    return new WorkerSettings(
        text(env, "APP_VERSION", "dev"),
        text(env, "WORKER_ID", text(env, "HOSTNAME", "worker")),
        text(env, "DB_URL", "jdbc:postgresql://db:5432/app"),
        text(env, "DB_USER", "app"),
        env.get("DB_PASSWORD"),
        ollama,
        text(env, "OLLAMA_MODEL", "tiny"),
        integer(env, "OLLAMA_NUM_PREDICT", 16),
        duration(env, "OLLAMA_TIMEOUT", Duration.ofSeconds(60)),
        duration(env, "POLL_INTERVAL", Duration.ofMillis(200)),
        duration(env, "HEARTBEAT_INTERVAL", Duration.ofSeconds(2)),
        duration(env, "STOP_TIMEOUT", Duration.ofSeconds(25)));
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
    p.setProperty("ApplicationName", "deploykit-sample-worker " + workerId);
    return p;
  }

  @Override
  public String toString() {
    int q = dbUrl.indexOf('?');
    return "WorkerSettings[version=" + version + ", workerId=" + workerId + ", db="
        + (q < 0 ? dbUrl : dbUrl.substring(0, q) + "?...") + ", dbUser=" + dbUser
        + ", dbPassword=" + (dbPassword == null ? "(none)" : "(set)") + ", ollama=" + ollamaUrl
        + ", model=" + model + ", numPredict=" + numPredict + ", ollamaTimeout=" + ollamaTimeout
        + ", pollInterval=" + pollInterval + ", heartbeatInterval=" + heartbeatInterval
        + ", stopTimeout=" + stopTimeout + "]";
  }

  private static String text(Map<String, String> env, String name, String otherwise) {
    String v = env.get(name);
    return v == null || v.isBlank() ? otherwise : v.strip();
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

  static Duration duration(Map<String, String> env, String name, Duration otherwise) {
    String v = env.get(name);
    if (v == null || v.isBlank()) {
      return otherwise;
    }
    String t = v.strip().toLowerCase(Locale.ROOT);
    try {
      Duration d;
      if (t.startsWith("pt")) {
        d = Duration.parse(t.toUpperCase(Locale.ROOT));
      } else if (t.endsWith("ms")) {
        d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      } else if (t.endsWith("s")) {
        d = Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
      } else if (t.endsWith("m")) {
        d = Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)) * 60);
      } else {
        throw new IllegalArgumentException("no unit");
      }
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("not positive");
      }
      return d;
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw new IllegalArgumentException(name + "=" + v + " is not a positive duration; write"
          + " 500ms, 10s, 2m or PT10S", e);
    }
  }
}
