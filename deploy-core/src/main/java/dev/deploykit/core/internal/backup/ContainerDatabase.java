package dev.deploykit.core.internal.backup;

import dev.deploykit.core.DeployException;
import dev.deploykit.core.backup.BackupException;
import dev.deploykit.core.backup.TableCount;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.engine.StreamedExec;
import dev.deploykit.health.wait.Await;
import dev.deploykit.health.wait.AwaitResult;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A PostgreSQL database inside a container, reached by running its own clients there ({@code
 * psql}, {@code pg_dump}, {@code pg_restore}) over TCP on the container's loopback as the stack's
 * role, with the password in the client's environment only. Through the host's transport, so the
 * same code serves the local engine and SSH.
 */
public final class ContainerDatabase {
  static final Duration QUERY_TIMEOUT = Duration.ofMinutes(10);
  private static final String CENSUS_TABLES = "select quote_ident(n.nspname) || '.' || quote_ident(c.relname)"
      + " from pg_class c join pg_namespace n on n.oid = c.relnamespace where c.relkind in ('r', 'p')"
      + " and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg_toast%'"
      + " and n.nspname not like 'pg_temp%' order by 1";

  final DockerHost host;
  final String container;
  final String service;
  final int port;
  final String database;
  final String user;
  private final String password;
  private final String address;

  /**
   * @param address where the clients connect inside the container: its own address on the stack
   *     network, so that the server checks the password as it does for the app (the official
   *     image trusts its loopback)
   */
  public ContainerDatabase(DockerHost host, String container, String service, String address, int port,
      String database, String user, String password) {
    this.host = host;
    this.address = address;
    this.container = container;
    this.service = service;
    this.port = port;
    this.database = database;
    this.user = user;
    this.password = password;
  }

  /** Where, for messages: {@code database app on service db (container ...)}. */
  String describe() {
    return "database " + database + " on service " + service + " (" + container + ", " + host.describe() + ")";
  }

  /** The connection arguments every client takes. */
  List<String> connection() {
    return List.of("-h", address, "-p", Integer.toString(port), "-U", user, "-d", database, "-w");
  }

  Map<String, String> environment() {
    return Map.of("PGPASSWORD", password, "PGCONNECT_TIMEOUT", "10");
  }

  /** Runs a client with its output streamed to {@code out}; a refused password is said as such. */
  StreamedExec run(List<String> command, OutputStream out, Duration timeout) {
    StreamedExec result = host.execStreaming(container, command, environment(), out, timeout);
    if (result.exitCode() != 0) {
      refusedPassword(result.stderr());
    }
    return result;
  }

  /** Throws the refused-password failure when a client's {@code stderr} says so. */
  void refusedPassword(String stderr) {
    if (stderr.contains("password authentication failed") || stderr.contains("no password supplied")) {
      throw new BackupException(BackupException.Reason.PASSWORD_REFUSED, "The " + describe()
          + " refused the password of role " + user + ": set x-deploykit.db_init.password to that role's"
          + " password (it must match the server's)");
    }
  }

  /** The rows of a query, fields split on tabs. */
  List<String[]> query(String sql) {
    List<String> command = new ArrayList<>(List.of("psql", "-X", "-q", "-A", "-t", "-F", "\t",
        "-v", "ON_ERROR_STOP=1", "-c", sql));
    command.addAll(1, connection());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StreamedExec result = run(command, out, QUERY_TIMEOUT);
    if (result.exitCode() != 0) {
      throw new BackupException(BackupException.Reason.FAILED, "psql on the " + describe() + " failed (exit "
          + result.exitCode() + "): " + firstLine(result.stderr()));
    }
    List<String[]> rows = new ArrayList<>();
    for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
      if (!line.isEmpty()) {
        rows.add(line.split("\t", -1));
      }
    }
    return rows;
  }

  /** The server's version, {@code 18.1}. */
  public String serverVersion() {
    List<String[]> rows = query("show server_version");
    String v = rows.isEmpty() ? "" : rows.getFirst()[0].strip();
    int space = v.indexOf(' ');
    return space < 0 ? v : v.substring(0, space);
  }

  /** The user tables, schema-qualified and quoted where needed. */
  public List<String> tables() {
    return query(CENSUS_TABLES).stream().map(r -> r[0]).toList();
  }

  /** Every user table with its row count and contents' checksum, in one query. */
  List<TableCount> census() {
    return tableCounts(true);
  }

  /** Every user table with its row count (no checksum: {@link TableCount#checksum()} is empty). */
  List<TableCount> counts() {
    return tableCounts(false);
  }

  private List<TableCount> tableCounts(boolean checksum) {
    List<String> tables = tables();
    if (tables.isEmpty()) {
      return List.of();
    }
    StringBuilder sql = new StringBuilder();
    for (String t : tables) {
      if (!sql.isEmpty()) {
        sql.append(" union all ");
      }
      sql.append("select ").append(literal(t)).append(", count(*)");
      if (checksum) {
        // The sum of each row's MD5 prefix: independent of the rows' order, constant memory.
        sql.append(", coalesce(sum(('x' || left(md5(t::text), 16))::bit(64)::bigint), 0) from ")
            .append(t).append(" t");
      } else {
        sql.append(" from ").append(t);
      }
    }
    List<TableCount> counts = new ArrayList<>();
    for (String[] row : query(sql.toString())) {
      counts.add(new TableCount(unquote(row[0]), Long.parseLong(row[1]), checksum ? row[2] : ""));
    }
    return counts;
  }

  /** Client connections to the database other than this one: address and application. */
  List<String[]> connections() {
    return query("select coalesce(host(client_addr), 'local'), application_name from pg_stat_activity"
        + " where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'");
  }

  /** Whether a pg_restore session is running in the database now. */
  boolean restoreRunning() {
    return !query("select 1 from pg_stat_activity where datname = current_database() and application_name"
        + " = 'pg_restore' and pid <> pg_backend_pid()").isEmpty();
  }

  /**
   * Ends every running pg_restore session after an interrupt and waits, up to {@code wait}, until
   * none is left: the restore runs in one transaction, so an ended one leaves what was there
   * before. Terminated rather than cancelled, and checked: a restore nobody watches must not
   * commit later (a cancel alone once let one finish after its run had gone).
   *
   * @return whether none is left (false: one may still commit; the next run says so)
   */
  boolean endRestores(Duration wait) {
    try {
      return Await.atMost(wait).until(deadline -> {
        query("select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database()"
            + " and application_name = 'pg_restore'");
        return !restoreRunning();
      }, gone -> gone) instanceof AwaitResult.Satisfied;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (RuntimeException e) {
      return false;
    }
  }

  static String literal(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  /** {@code public."Odd Name"} as people read it: {@code public.Odd Name}. */
  static String unquote(String s) {
    return s.replace("\"", "");
  }

  static String firstLine(String s) {
    for (String line : s.strip().split("\n")) {
      if (!line.isBlank()) {
        return line.strip();
      }
    }
    return "no message";
  }

  /** Wraps an engine failure that is not an interrupt into a backup failure saying where. */
  static RuntimeException engine(String what, DeployException e) {
    return e.reason() == DeployException.Reason.INTERRUPTED || e.reason() == DeployException.Reason.CONNECTION_LOST
        ? e : new BackupException(BackupException.Reason.FAILED, what + ": " + e.getMessage(), e);
  }
}
