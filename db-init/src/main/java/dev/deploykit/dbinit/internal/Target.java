package dev.deploykit.dbinit.internal;

import java.util.Objects;
import java.util.Properties;
import org.postgresql.Driver;

/**
 * Where db-init connects: the JDBC URL (never holding a password) and a description of it for
 * messages, {@code host:port/database as role}.
 *
 * @param url the JDBC URL, without credentials
 * @param hosts the host or hosts, as in the URL
 * @param ports the port or ports, as in the URL
 * @param database the database name
 * @param user the role db-init connects as
 */
public record Target(String url, String hosts, String ports, String database, String user) {

  public Target {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(hosts, "hosts");
    Objects.requireNonNull(ports, "ports");
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(user, "user");
  }

  /** A target from host, port and database. */
  public static Target of(String host, int port, String database, String user) {
    String h = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    return new Target("jdbc:postgresql://" + h + ":" + port + "/" + database, host,
        Integer.toString(port), database, user);
  }

  /**
   * A target from a JDBC URL.
   *
   * @throws IllegalArgumentException if the URL is not a PostgreSQL JDBC URL, or holds a password
   */
  public static Target ofUrl(String url, String user) {
    Properties parsed = Driver.parseURL(url, new Properties());
    if (parsed == null) {
      // Never echo the URL: it may hold credentials the parser could not make sense of.
      throw new IllegalArgumentException("jdbcUrl: not a PostgreSQL JDBC URL"
          + " (expected jdbc:postgresql://host:port/database)");
    }
    if (parsed.containsKey("password")) {
      throw new IllegalArgumentException(
          "jdbcUrl: holds a password; give it to owner(role, password) instead");
    }
    return new Target(url, parsed.getProperty("PGHOST", "localhost"),
        parsed.getProperty("PGPORT", "5432"), parsed.getProperty("PGDBNAME", ""), user);
  }

  /** The same server and database, as another role. */
  public Target as(String role) {
    return new Target(url, hosts, ports, database, role);
  }

  /** {@code host:port/database}. */
  public String address() {
    return hosts + ":" + ports + "/" + database;
  }

  /** {@code host:port/database as role}. */
  public String describe() {
    return address() + " as " + user;
  }

  @Override
  public String toString() {
    return describe();
  }
}
