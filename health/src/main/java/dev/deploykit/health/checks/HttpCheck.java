package dev.deploykit.health.checks;

import dev.deploykit.health.CheckContext;
import dev.deploykit.health.HealthCheck;
import dev.deploykit.health.HealthResult;
import dev.deploykit.health.internal.HttpProbe;
import dev.deploykit.health.internal.Urls;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * GETs an HTTP endpoint over a kept HTTP/1.1 connection and expects a status in a range and,
 * optionally, a body that matches a pattern.
 *
 * <pre>{@code
 * try (HttpCheck app = HttpCheck.builder(URI.create("http://127.0.0.1:8080/up"))
 *     .expectStatus(200, 299)
 *     .bodyMatches(Pattern.compile("\"status\"\\s*:\\s*\"ok\""))
 *     .build()) {
 *   runner = HealthRunner.builder().add("app", app).build();
 * }
 * }</pre>
 *
 * <p>DOWN, with a one-line reason, for a refused port, an unresolvable host, a TLS handshake
 * failure, a server that does not answer or does not finish its answer by the deadline, a status
 * outside the range, or a body that does not match. The URL is reported without user info or
 * query; header values (tokens) are never reported.
 *
 * <p>Thread-safe; close it to drop the kept connection.
 */
public final class HttpCheck implements HealthCheck, AutoCloseable {
  private final URI url;
  private final int minStatus;
  private final int maxStatus;
  private final @Nullable Pattern body;
  private final Map<String, String> headers;
  private final int maxBodyBytes;
  private final HttpProbe http;

  private HttpCheck(Builder b) {
    this.url = b.url;
    this.minStatus = b.minStatus;
    this.maxStatus = b.maxStatus;
    this.body = b.body;
    this.headers = Map.copyOf(b.headers);
    this.maxBodyBytes = b.maxBodyBytes;
    this.http = new HttpProbe(b.connectTimeout);
  }

  /**
   * A builder for a check of {@code url} ({@code http} or {@code https}).
   *
   * @throws IllegalArgumentException if {@code url} is not an absolute http(s) URL with a host
   */
  public static Builder builder(URI url) {
    return new Builder(url);
  }

  @Override
  public HealthResult check(CheckContext context) throws InterruptedException {
    HttpProbe.Answer answer;
    try {
      answer = http.send(url, headers, "", maxBodyBytes, context);
    } catch (HttpProbe.ProbeException e) {
      return HealthResult.down(e.getMessage());
    }
    String where = Urls.redact(url);
    HealthResult result;
    if (answer.status() < minStatus || answer.status() > maxStatus) {
      result = HealthResult.down(where + " answered HTTP " + answer.status() + ", expected "
          + minStatus + "-" + maxStatus);
    } else if (body != null && !body.matcher(answer.body()).find()) {
      result = HealthResult.down(where + " answered HTTP " + answer.status()
          + " but the body does not match " + body.pattern());
    } else {
      result = HealthResult.up(where + " answered HTTP " + answer.status());
    }
    return result.withData("status", answer.status());
  }

  /** Drops the kept connection. */
  @Override
  public void close() {
    http.close();
  }

  @Override
  public String toString() {
    return "HttpCheck[" + Urls.redact(url) + "]";
  }

  /**
   * Settings of an {@link HttpCheck}. Defaults: status 200-399, no body match, a 1 s connect
   * timeout, 64 KiB of body read at most.
   *
   * <p>Not thread-safe.
   */
  public static final class Builder {
    private final URI url;
    private int minStatus = 200;
    private int maxStatus = 399;
    private @Nullable Pattern body;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private Duration connectTimeout = Duration.ofSeconds(1);
    private int maxBodyBytes = 64 * 1024;

    private Builder(URI url) {
      Objects.requireNonNull(url, "url");
      if (url.getScheme() == null || !url.getScheme().matches("(?i)https?")
          || url.getHost() == null) {
        throw new IllegalArgumentException("url must be an absolute http(s) URL with a host: "
            + Urls.redact(url));
      }
      this.url = url;
    }

    /**
     * The accepted status range, inclusive.
     *
     * @throws IllegalArgumentException if the range is empty or outside 100-599
     */
    public Builder expectStatus(int min, int max) {
      if (min < 100 || max > 599 || min > max) {
        throw new IllegalArgumentException("expectStatus must be a range within 100-599: " + min
            + "-" + max);
      }
      this.minStatus = min;
      this.maxStatus = max;
      return this;
    }

    /** A pattern the body must contain (found with {@link java.util.regex.Matcher#find()}). */
    public Builder bodyMatches(Pattern pattern) {
      this.body = Objects.requireNonNull(pattern, "pattern");
      return this;
    }

    /** A request header (its value is never reported). */
    public Builder header(String name, String value) {
      headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * The TCP connect timeout (the check's deadline bounds it too).
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder connectTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("connectTimeout must be positive: " + timeout);
      }
      this.connectTimeout = timeout;
      return this;
    }

    /**
     * How much body is read at most (the rest is dropped, with the connection).
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder maxBodyBytes(int bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("maxBodyBytes must be positive: " + bytes);
      }
      this.maxBodyBytes = bytes;
      return this;
    }

    /** The check; it opens its connection on first use. */
    public HttpCheck build() {
      return new HttpCheck(this);
    }
  }
}
