package dev.deploykit.dbinit.internal;

import dev.deploykit.dbinit.DbInitException;
import dev.deploykit.dbinit.DbInitException.Step;
import dev.deploykit.dbinit.RoleChange;
import dev.deploykit.dbinit.RoleReport;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.PGConnection;
import org.postgresql.core.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the read-only role as configured: it logs in with its password, may connect to the
 * database, use the schemas and SELECT from every table in them, including tables the owner
 * creates later (default privileges), and nothing else.
 *
 * <p>The password never travels in clear text: pgjdbc hashes it on the client (SCRAM-SHA-256 or
 * MD5, as the server's {@code password_encryption} says) and sends only the verifier.
 */
public final class ReadOnlyRole {
  private static final Logger log = LoggerFactory.getLogger(ReadOnlyRole.class);
  /** Serialises initializers that set up roles at the same time; any constant will do. */
  private static final long ROLE_LOCK_KEY = 0x6465706c6f796b69L; // "deployki"

  private final Settings settings;
  private final Connections owner;
  private final String role;
  private final String password;

  public ReadOnlyRole(Settings settings, Connections owner) {
    this.settings = settings;
    this.owner = owner;
    this.role = java.util.Objects.requireNonNull(settings.readOnlyRole(), "readOnlyRole");
    this.password = java.util.Objects.requireNonNull(settings.readOnlyPassword(), "readOnlyPassword");
  }

  /** Creates or updates the role on the owner's connection {@code c}. */
  public RoleReport apply(Connection c) {
    String where = owner.target().address() + " role " + role;
    try {
      // Only an existing role is tried: a login attempt as a missing role would put a
      // "password authentication failed" line in the server log, which operators alert on.
      boolean passwordWorks = roleExists(c) && passwordWorks();
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        RoleChange change = applyInTransaction(c, passwordWorks);
        c.commit();
        log.info("Read-only role {} on {}: {}", role, owner.target().address(), change);
        return new RoleReport(role, change);
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      String state = e.getSQLState();
      String what = "42501".equals(state)
          ? "the owner role " + owner.target().user() + " may not manage role " + role
              + " (it needs CREATEROLE, or to be a superuser): " + firstLine(e.getMessage())
          : "setting up the read-only role failed: " + firstLine(e.getMessage());
      throw new DbInitException(Step.ROLE, what, where, null, state, e);
    }
  }

  private RoleChange applyInTransaction(Connection c, boolean passwordWorks) throws SQLException {
    try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
      lock.setLong(1, ROLE_LOCK_KEY);
      lock.execute();
    }
    String quoted = ident(role);
    boolean exists = roleExists(c);
    String before = exists ? snapshot(c) : "";
    if (!exists) {
      update(c, "CREATE ROLE " + quoted + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE"
          + " NOREPLICATION NOBYPASSRLS NOINHERIT");
    } else {
      enforceAttributes(c, quoted);
    }
    boolean passwordChanged = false;
    if (!exists || !passwordWorks) {
      char[] chars = password.toCharArray();
      try {
        c.unwrap(PGConnection.class).alterUserPassword(role, chars, null);
      } finally {
        java.util.Arrays.fill(chars, '\0');
      }
      passwordChanged = true;
    }
    update(c, "GRANT CONNECT ON DATABASE " + ident(currentDatabase(c)) + " TO " + quoted);
    String ownerRole = ident(currentUser(c));
    for (String schema : settings.schemas()) {
      if (!schemaExists(c, schema)) {
        continue;
      }
      String s = ident(schema);
      update(c, "GRANT USAGE ON SCHEMA " + s + " TO " + quoted);
      update(c, "REVOKE CREATE ON SCHEMA " + s + " FROM " + quoted);
      update(c, "GRANT SELECT ON ALL TABLES IN SCHEMA " + s + " TO " + quoted);
      update(c, "REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER"
          + " ON ALL TABLES IN SCHEMA " + s + " FROM " + quoted);
      update(c, "ALTER DEFAULT PRIVILEGES FOR ROLE " + ownerRole + " IN SCHEMA " + s
          + " GRANT SELECT ON TABLES TO " + quoted);
    }
    if (!exists) {
      return RoleChange.CREATED;
    }
    String after = snapshot(c);
    return passwordChanged || !before.equals(after) ? RoleChange.UPDATED : RoleChange.UNCHANGED;
  }

  /** Whether the configured password already logs the role in; a wrong one is not an error here. */
  private boolean passwordWorks() {
    Connections asRole = new Connections(owner.target().as(role), password);
    try (Connection probe = asRole.open(settings.connectTimeout(), settings.connectTimeout())) {
      return !probe.isClosed();
    } catch (SQLException e) {
      if (!SqlStates.INVALID_PASSWORD.equals(e.getSQLState())) {
        // No such role yet (28000 with trust-less rules), no pg_hba.conf entry, NOLOGIN: the
        // password cannot be checked this way, so it is set again.
        log.debug("Cannot log in as {} to check its password ({}); setting it", role,
            e.getSQLState());
      }
      return false;
    }
  }

  private void enforceAttributes(Connection c, String quoted) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT rolsuper, rolcanlogin, rolcreatedb,"
        + " rolcreaterole, rolreplication, rolbypassrls, rolinherit FROM pg_roles WHERE rolname = ?")) {
      ps.setString(1, role);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        if (rs.getBoolean(1)) {
          throw new SQLException("role " + role + " exists and is a superuser; a read-only role"
              + " cannot be one (drop it or choose another name)", "42501");
        }
        StringBuilder fix = new StringBuilder();
        if (!rs.getBoolean(2)) {
          fix.append(" LOGIN");
        }
        if (rs.getBoolean(3)) {
          fix.append(" NOCREATEDB");
        }
        if (rs.getBoolean(4)) {
          fix.append(" NOCREATEROLE");
        }
        if (rs.getBoolean(5)) {
          fix.append(" NOREPLICATION");
        }
        if (rs.getBoolean(6)) {
          fix.append(" NOBYPASSRLS");
        }
        if (rs.getBoolean(7)) {
          fix.append(" NOINHERIT");
        }
        if (!fix.isEmpty()) {
          update(c, "ALTER ROLE " + quoted + fix);
        }
      }
    }
  }

  /**
   * What the role may do in the configured schemas, as a comparable string: attributes, schema
   * privileges, tables it can or cannot read and write, default privileges from the owner.
   */
  private String snapshot(Connection c) throws SQLException {
    String sql = """
        SELECT concat_ws('|',
          (SELECT concat_ws(',', rolcanlogin, rolsuper, rolcreatedb, rolcreaterole,
                  rolreplication, rolbypassrls, rolinherit) FROM pg_roles WHERE rolname = ?),
          has_database_privilege(?, current_database(), 'CONNECT'),
          (SELECT string_agg(n.nspname || ':' || has_schema_privilege(?, n.oid, 'USAGE')
                  || ':' || has_schema_privilege(?, n.oid, 'CREATE'), ',' ORDER BY n.nspname)
             FROM pg_namespace n WHERE n.nspname = ANY (?)),
          (SELECT string_agg(cl.oid::regclass::text || ':'
                  || has_table_privilege(?, cl.oid, 'SELECT') || ':'
                  || has_table_privilege(?, cl.oid, 'INSERT,UPDATE,DELETE,TRUNCATE'),
                  ',' ORDER BY cl.oid)
             FROM pg_class cl JOIN pg_namespace n ON n.oid = cl.relnamespace
            WHERE n.nspname = ANY (?) AND cl.relkind IN ('r', 'p', 'v', 'm', 'f')),
          (SELECT string_agg(d.defaclnamespace::regnamespace::text || ':' || a.privilege_type,
                  ',' ORDER BY 1)
             FROM pg_default_acl d, aclexplode(d.defaclacl) a
            WHERE d.defaclrole = (SELECT oid FROM pg_roles WHERE rolname = current_user)
              AND d.defaclobjtype = 'r'
              AND a.grantee = (SELECT oid FROM pg_roles WHERE rolname = ?)))
        """;
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      Array schemas = c.createArrayOf("text", settings.schemas().toArray());
      ps.setString(1, role);
      ps.setString(2, role);
      ps.setString(3, role);
      ps.setString(4, role);
      ps.setArray(5, schemas);
      ps.setString(6, role);
      ps.setString(7, role);
      ps.setArray(8, schemas);
      ps.setString(9, role);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return String.valueOf(rs.getString(1));
      }
    }
  }

  private boolean roleExists(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
      ps.setString(1, role);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static boolean schemaExists(Connection c, String schema) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT 1 FROM pg_namespace WHERE nspname = ?")) {
      ps.setString(1, schema);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static String currentDatabase(Connection c) throws SQLException {
    return queryString(c, "SELECT current_database()");
  }

  private static String currentUser(Connection c) throws SQLException {
    return queryString(c, "SELECT current_user");
  }

  private static String queryString(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static void update(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  static String ident(String name) throws SQLException {
    return Utils.escapeIdentifier(null, name).toString();
  }

  private static String firstLine(@org.jspecify.annotations.Nullable String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).strip();
  }
}
