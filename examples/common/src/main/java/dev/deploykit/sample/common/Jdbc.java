package dev.deploykit.sample.common;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/** How the samples connect to PostgreSQL: the JDBC properties, the URL they log, closing. */
public final class Jdbc {
  private Jdbc() {}

  /**
   * The JDBC properties: user, password (when set), a timeout on every network step (connect 5 s,
   * login 10 s, socket 30 s), TCP keep-alive, and the name the server shows for the connection.
   */
  public static Properties properties(String user, @Nullable String password, String applicationName) {
    Properties p = new Properties();
    p.setProperty("user", user);
    if (password != null) {
      p.setProperty("password", password);
    }
    p.setProperty("connectTimeout", "5");
    p.setProperty("loginTimeout", "10");
    p.setProperty("socketTimeout", "30");
    p.setProperty("tcpKeepAlive", "true");
    p.setProperty("ApplicationName", applicationName);
    return p;
  }

  /** The database URL without its query string, which may hold credentials. */
  public static String urlForLogs(String url) {
    int q = url.indexOf('?');
    return q < 0 ? url : url.substring(0, q) + "?...";
  }

  /** Closes {@code c}, if any, ignoring a failure: a broken connection may fail to close too. */
  public static void closeQuietly(@Nullable Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // Nothing is left to release.
      }
    }
  }
}
