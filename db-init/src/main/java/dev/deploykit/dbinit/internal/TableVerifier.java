package dev.deploykit.dbinit.internal;

import dev.deploykit.dbinit.DbInitException;
import dev.deploykit.dbinit.DbInitException.Step;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Checks that the expected tables exist and, when a read-only role is configured, that it can
 * read each of them. Without a list, the expected tables are every table in the managed schemas
 * but Flyway's history table: the tables the migrations made.
 */
public final class TableVerifier {
  private static final String HISTORY_TABLE = "flyway_schema_history";

  private final Settings settings;
  private final Target target;

  public TableVerifier(Settings settings, Target target) {
    this.settings = settings;
    this.target = target;
  }

  /** The verified tables, schema-qualified; throws with the missing or unreadable ones. */
  public List<String> verify(Connection c) {
    try {
      List<String> names = settings.expectedTables().isEmpty() ? managedTables(c)
          : settings.expectedTables();
      List<String> verified = new ArrayList<>();
      List<String> missing = new ArrayList<>();
      List<String> unreadable = new ArrayList<>();
      for (String name : names) {
        String resolved = resolve(c, name);
        if (resolved == null) {
          missing.add(name);
          continue;
        }
        if (settings.readOnlyRole() != null && inManagedSchema(c, resolved)
            && !readable(c, resolved, settings.readOnlyRole())) {
          unreadable.add(resolved);
          continue;
        }
        verified.add(resolved);
      }
      if (!missing.isEmpty() || !unreadable.isEmpty()) {
        List<String> problems = new ArrayList<>();
        if (!missing.isEmpty()) {
          problems.add(missing.size() + " expected table(s) missing: " + String.join(", ", missing));
        }
        if (!unreadable.isEmpty()) {
          problems.add("read-only role " + settings.readOnlyRole() + " cannot SELECT from: "
              + String.join(", ", unreadable));
        }
        throw new DbInitException(Step.VERIFY, String.join("; ", problems), target.address()
            + " (search_path schemas " + settings.schemas() + ")",
            "verified " + verified.size() + " of " + names.size(), null, null);
      }
      return verified;
    } catch (SQLException e) {
      throw new DbInitException(Step.VERIFY, "verifying the tables failed: " + e.getMessage(),
          target.address(), null, e.getSQLState(), e);
    }
  }

  private List<String> managedTables(Connection c) throws SQLException {
    List<String> tables = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("""
        SELECT quote_ident(n.nspname) || '.' || quote_ident(cl.relname)
          FROM pg_class cl JOIN pg_namespace n ON n.oid = cl.relnamespace
         WHERE n.nspname = ANY (?) AND cl.relkind IN ('r', 'p') AND NOT cl.relispartition
           AND cl.relname <> ?
         ORDER BY array_position(?, n.nspname::text), cl.relname
        """)) {
      java.sql.Array schemas = c.createArrayOf("text", settings.schemas().toArray());
      ps.setArray(1, schemas);
      ps.setString(2, HISTORY_TABLE);
      ps.setArray(3, schemas);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
    }
    return tables;
  }

  /**
   * The table's qualified name, or null if it does not exist. An unqualified name is looked up
   * in the managed schemas, in order, not in the connection's search_path.
   */
  private @Nullable String resolve(Connection c, String name) throws SQLException {
    List<String> candidates = new ArrayList<>();
    if (name.contains(".")) {
      candidates.add(name);
    } else {
      for (String schema : settings.schemas()) {
        candidates.add(ReadOnlyRole.ident(schema) + "." + name);
      }
    }
    for (String candidate : candidates) {
      try (PreparedStatement ps = c.prepareStatement("""
          SELECT quote_ident(n.nspname) || '.' || quote_ident(cl.relname)
            FROM pg_class cl JOIN pg_namespace n ON n.oid = cl.relnamespace
           WHERE cl.oid = to_regclass(?) AND cl.relkind IN ('r', 'p', 'v', 'm', 'f')
          """)) {
        ps.setString(1, candidate);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            return rs.getString(1);
          }
        }
      }
    }
    return null;
  }

  /** The read-only role's reach is the managed schemas; a table elsewhere is only checked to exist. */
  private boolean inManagedSchema(Connection c, String table) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT n.nspname FROM pg_class cl"
        + " JOIN pg_namespace n ON n.oid = cl.relnamespace WHERE cl.oid = to_regclass(?)")) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && settings.schemas().contains(rs.getString(1));
      }
    }
  }

  private static boolean readable(Connection c, String table, String role) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT has_table_privilege(?, to_regclass(?), 'SELECT')")) {
      ps.setString(1, role);
      ps.setString(2, table);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }
}
