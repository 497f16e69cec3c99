package dev.deploykit.health.internal;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedByInterruptException;
import javax.net.ssl.SSLException;

/**
 * One-line descriptions of the exceptions checks meet, without stack traces or secrets. Stateless
 * and thread-safe.
 */
public final class Failures {
  private Failures() {}

  /** {@code "SimpleName: first line of the message"}, following a cause chain to its root. */
  public static String describe(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root
        && (root.getMessage() == null || root.getMessage().isBlank())) {
      root = root.getCause();
    }
    String message = root.getMessage();
    String name = root.getClass().getSimpleName();
    if (message == null || message.isBlank()) {
      return name;
    }
    int nl = message.indexOf('\n');
    return name + ": " + (nl < 0 ? message : message.substring(0, nl)).strip();
  }

  /**
   * A short reason for a network failure talking to {@code where} (host and port, never
   * credentials): "refused", "unknown host", "TLS handshake failed", "timed out" or the
   * exception's own line.
   */
  public static String network(String where, Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof UnknownHostException) {
        return "cannot resolve host of " + where;
      }
      if (c instanceof ConnectException) {
        return "connection refused by " + where;
      }
      if (c instanceof NoRouteToHostException) {
        return "no route to " + where;
      }
      if (c instanceof SSLException) {
        return "TLS handshake with " + where + " failed: " + describe(c);
      }
      if (c instanceof SocketTimeoutException) {
        return "no answer from " + where + " in time (" + describe(c) + ")";
      }
      if (c instanceof ClosedByInterruptException) {
        return "cancelled while talking to " + where;
      }
    }
    return where + ": " + describe(t);
  }
}
