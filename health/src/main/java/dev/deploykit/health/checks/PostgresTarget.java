package dev.deploykit.health.checks;

import dev.deploykit.health.internal.Urls;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and as whom to connect to PostgreSQL: a JDBC URL ({@code
 * jdbc:postgresql://host:port/db}), a user, a password, and the connect timeout.
 *
 * <pre>{@code
 * PostgresTarget target = PostgresTarget.of("jdbc:postgresql://127.0.0.1:5432/app", "app", pw)
 *     .withConnectTimeout(Duration.ofMillis(500));
 * }</pre>
 *
 * <p>{@link #toString()} shows neither the password nor the URL's parameters. Immutable and
 * thread-safe.
 *
 * @param jdbcUrl the PostgreSQL JDBC URL
 * @param user the role to connect as
 * @param password its password (never shown)
 * @param connectTimeout the longest a new connection may take (the check's deadline bounds it
 *     too)
 */
public record PostgresTarget(String jdbcUrl, String user, String password,
    Duration connectTimeout) {

  /**
   * Validates the fields.
   *
   * @throws IllegalArgumentException if the URL is not a {@code jdbc:postgresql:} URL or the
   *     timeout is not positive
   */
  public PostgresTarget {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("jdbcUrl must start with jdbc:postgresql: ("
          + Urls.redactJdbc(jdbcUrl) + ")");
    }
    if (connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new IllegalArgumentException("connectTimeout must be positive: " + connectTimeout);
    }
  }

  /** A target with a 2 s connect timeout. */
  public static PostgresTarget of(String jdbcUrl, String user, String password) {
    return new PostgresTarget(jdbcUrl, user, password, Duration.ofSeconds(2));
  }

  /** A copy with another connect timeout. */
  public PostgresTarget withConnectTimeout(Duration timeout) {
    return new PostgresTarget(jdbcUrl, user, password, timeout);
  }

  /** {@code host:port/database}, safe to show. */
  public String displayName() {
    return Urls.redactJdbc(jdbcUrl);
  }

  @Override
  public String toString() {
    return "PostgresTarget[" + user + "@" + displayName() + ", password=***]";
  }
}
