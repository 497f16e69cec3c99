package dev.deploykit.it.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * JDBC as the integration tests use it: a connection whose network steps are bounded (connect
 * 10 s, socket 30 s), and plain SQL whose answers are read as text.
 */
public final class Sql {
  private Sql() {}

  /** A connection to {@code url} as {@code user}, connecting within 10 s, reading within 30 s. */
  public static Connection connect(String url, String user, String password) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", user);
    props.setProperty("password", password);
    props.setProperty("connectTimeout", "10");
    props.setProperty("socketTimeout", "30");
    return DriverManager.getConnection(url, props);
  }

  /** The first column of every row {@code sql} returns, as text, in order. */
  public static List<String> queryAll(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      List<String> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(rs.getString(1));
      }
      return rows;
    }
  }

  /** The first column of the one row {@code sql} returns; asserts that it returns one row. */
  public static String queryOne(Connection c, String sql) throws SQLException {
    List<String> rows = queryAll(c, sql);
    assertThat(rows).as(sql).hasSize(1);
    return rows.getFirst();
  }

  /** Runs a statement that returns no rows ({@link Statement#executeUpdate}). */
  public static void update(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.executeUpdate(sql);
    }
  }

  /** Runs any statement ({@link Statement#execute}), DDL included. */
  public static void execute(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
