package dev.deploykit.health.internal;

import java.net.URI;

/**
 * URLs as they may be shown: no user info, no query string, no fragment. Stateless and
 * thread-safe.
 */
public final class Urls {
  private Urls() {}

  /** {@code scheme://host:port/path}, dropping credentials and the query (tokens live there). */
  public static String redact(URI uri) {
    StringBuilder sb = new StringBuilder();
    if (uri.getScheme() != null) {
      sb.append(uri.getScheme()).append("://");
    }
    sb.append(uri.getHost() == null ? "?" : uri.getHost());
    if (uri.getPort() >= 0) {
      sb.append(':').append(uri.getPort());
    }
    if (uri.getRawPath() != null) {
      sb.append(uri.getRawPath());
    }
    return sb.toString();
  }

  /** {@code host:port} of {@code uri}, for one-line reasons. */
  public static String hostPort(URI uri) {
    int port = uri.getPort();
    if (port < 0) {
      port = "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
    return (uri.getHost() == null ? "?" : uri.getHost()) + ":" + port;
  }

  /**
   * {@code host:port/database} of a PostgreSQL JDBC URL, without its parameters (a password may
   * be one of them).
   */
  public static String redactJdbc(String jdbcUrl) {
    String s = jdbcUrl.startsWith("jdbc:") ? jdbcUrl.substring(5) : jdbcUrl;
    int q = s.indexOf('?');
    if (q >= 0) {
      s = s.substring(0, q);
    }
    int scheme = s.indexOf("://");
    if (scheme >= 0) {
      s = s.substring(scheme + 3);
    }
    int at = s.lastIndexOf('@', s.indexOf('/') < 0 ? s.length() : s.indexOf('/'));
    if (at >= 0) {
      s = s.substring(at + 1);
    }
    return s;
  }
}
