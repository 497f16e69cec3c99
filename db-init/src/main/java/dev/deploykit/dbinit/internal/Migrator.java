package dev.deploykit.dbinit.internal;

import dev.deploykit.dbinit.AppliedMigration;
import dev.deploykit.dbinit.DbInitException;
import dev.deploykit.dbinit.DbInitException.Step;
import dev.deploykit.dbinit.MigrationReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.CoreErrorCode;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateOutput;
import org.flywaydb.core.api.output.MigrateResult;
import org.flywaydb.core.internal.exception.FlywayMigrateException;
import org.flywaydb.core.internal.sqlscript.FlywaySqlScriptException;
import org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs Flyway with db-init's rules and turns its outcome into a report or a DbInitException. */
public final class Migrator {
  private static final Logger log = LoggerFactory.getLogger(Migrator.class);
  /** Flyway sleeps this long between two tries of its advisory lock. */
  private static final Duration FLYWAY_LOCK_RETRY_INTERVAL = Duration.ofSeconds(1);

  private final Settings settings;
  private final Connections owner;

  public Migrator(Settings settings, Connections owner) {
    this.settings = settings;
    this.owner = owner;
  }

  /** The migrations Flyway would apply now ({@code version description}), none applied. */
  public List<String> pending() {
    try {
      List<String> pending = new ArrayList<>();
      for (MigrationInfo m : configuration(Duration.ofSeconds(1)).load().info().pending()) {
        pending.add((m.getVersion() == null ? "R" : m.getVersion().getVersion()) + " " + m.getDescription());
      }
      return pending;
    } catch (FlywayException e) {
      throw translate(e);
    }
  }

  /**
   * Migrates the database.
   *
   * @param lockWait how long to wait, at most, for another initializer holding Flyway's lock
   */
  public MigrationReport migrate(Duration lockWait) {
    Flyway flyway = configuration(lockWait).load();
    MigrateResult result;
    @Nullable String current;
    try {
      result = flyway.migrate();
      // Flyway takes its lock once per migration, so an initializer started at the same moment
      // (another replica) may have applied the later ones: the schema's version is read back
      // rather than taken from this run's last migration.
      MigrationInfo latest = flyway.info().current();
      current = latest == null || latest.getVersion() == null ? null : latest.getVersion().getVersion();
    } catch (FlywayException e) {
      throw translate(e);
    }
    return report(result, current);
  }

  private FluentConfiguration configuration(Duration lockWait) {
    FluentConfiguration config = Flyway.configure(settings.classLoader())
        .loggers("slf4j")
        // Every statement of every migration gives up waiting for a lock after lockTimeout, so a
        // migration never queues behind a long transaction while freezing the table for others.
        // Set at connection start-up, so it holds for every connection Flyway opens.
        .dataSource(owner.dataSource(settings.connectTimeout(), settings.lockTimeout()))
        .locations(settings.locations().toArray(String[]::new))
        .schemas(settings.schemas().toArray(String[]::new))
        .placeholders(settings.placeholders())
        .validateOnMigrate(true)
        .cleanDisabled(true)
        .failOnMissingLocations(true)
        .connectRetries(0)
        .lockRetryCount(lockRetries(lockWait));
    // A session-level advisory lock, held across the whole run rather than inside one
    // transaction: it also lets a migration use CREATE INDEX CONCURRENTLY, which waits for every
    // open transaction, including a transaction that holds the lock.
    config.getConfigurationExtension(PostgreSQLConfigurationExtension.class)
        .setTransactionalLock(false);
    if (settings.baselineVersion() != null) {
      config.baselineOnMigrate(true).baselineVersion(settings.baselineVersion());
    }
    return config;
  }

  private MigrationReport report(MigrateResult result, @Nullable String current) {
    List<AppliedMigration> applied = new ArrayList<>();
    for (MigrateOutput m : result.migrations) {
      applied.add(new AppliedMigration(blankToNull(m.version), m.description,
          m.filepath == null ? m.description : relative(m.filepath), Duration.ofMillis(m.executionTime)));
    }
    MigrationReport report = new MigrationReport(blankToNull(result.initialSchemaVersion),
        current != null ? current : blankToNull(result.targetSchemaVersion != null
            ? result.targetSchemaVersion : result.initialSchemaVersion), applied);
    log.info("Migrated {}: {}", owner.target().address(), report);
    return report;
  }

  /** Enough tries, one second apart, to cover {@code lockWait}; at least one. */
  static int lockRetries(Duration lockWait) {
    long interval = FLYWAY_LOCK_RETRY_INTERVAL.toMillis();
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (lockWait.toMillis() + interval - 1) / interval));
  }

  private DbInitException translate(FlywayException e) {
    String address = owner.target().address();
    if (find(e, InterruptedException.class) != null) {
      // Flyway turns an interrupt during its lock retries into a FlywayException; keep the flag.
      Thread.currentThread().interrupt();
      return new DbInitException(Step.MIGRATE, "interrupted while migrating", address, null,
          null, e);
    }
    if (e instanceof FlywayMigrateException m) {
      MigrationInfo info = m.getMigration();
      String script = info == null ? "?" : info.getScript();
      FlywaySqlScriptException sql = find(e, FlywaySqlScriptException.class);
      String sqlState = m.getSqlState() != null ? m.getSqlState() : SqlStates.of(e);
      String where = script + (m.getLineNumber() > 0 ? " line " + m.getLineNumber() : "")
          + " on " + address;
      String reason = firstLine(sqlCauseMessage(e));
      String what = "migration " + script + " failed and was rolled back: " + reason;
      if (SqlStates.LOCK_NOT_AVAILABLE.equals(sqlState)) {
        what += " (lock_timeout " + settings.lockTimeout().toMillis()
            + " ms expired: another session holds a lock on an object this migration changes)";
      }
      String statement = sql == null ? null : maskPlaceholders(sql.getStatement());
      return new DbInitException(Step.MIGRATE, what, where,
          statement == null ? null : "statement: " + abbreviate(statement.strip()), sqlState, e);
    }
    String message = flywayMessage(e);
    if (e.getErrorCode() == CoreErrorCode.NON_EMPTY_SCHEMA_WITHOUT_SCHEMA_HISTORY_TABLE) {
      message += " (to adopt an existing schema, set baselineVersion)";
    }
    String what = e.getClass().getSimpleName().contains("Validate")
        ? "applied migrations do not match the scripts: " + message
        : message;
    return new DbInitException(Step.MIGRATE, what, address + " (locations "
        + settings.locations() + ")", null, SqlStates.of(e), e);
  }

  /**
   * The statement with each placeholder value put back as {@code ${name}}: placeholders often
   * carry secrets (a password for a role a migration creates), and this text goes into the
   * exception's message.
   */
  private @Nullable String maskPlaceholders(@Nullable String statement) {
    if (statement == null) {
      return null;
    }
    String masked = statement;
    for (Map.Entry<String, String> p : settings.placeholders().entrySet()) {
      if (!p.getValue().isEmpty()) {
        masked = masked.replace(p.getValue(), "${" + p.getKey() + "}");
      }
    }
    return masked;
  }

  private static String flywayMessage(FlywayException e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    // Flyway's messages run over several lines with hints for its own CLI; keep the facts.
    StringBuilder sb = new StringBuilder();
    for (String line : m.split("\\R")) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("Need to reapply") || l.contains("flyway repair")
          || l.startsWith("For more information") || l.contains("https://")) {
        continue;
      }
      if (!sb.isEmpty()) {
        sb.append("; ");
      }
      sb.append(l);
    }
    return sb.toString();
  }

  private static String sqlCauseMessage(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.sql.SQLException s && s.getMessage() != null) {
        return s.getMessage();
      }
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static <T extends Throwable> @Nullable T find(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).strip();
  }

  private static String abbreviate(String s) {
    String oneLine = s.replaceAll("\\s+", " ");
    return oneLine.length() <= 300 ? oneLine : oneLine.substring(0, 297) + "...";
  }

  /** The script as {@code location/file}, not the absolute path of a build directory. */
  private String relative(String path) {
    String normalized = path.replace('\\', '/');
    for (String location : settings.locations()) {
      String dir = location.substring(location.indexOf(':') + 1).replace('\\', '/');
      while (dir.startsWith("/")) {
        dir = dir.substring(1);
      }
      int at = dir.isEmpty() ? -1 : normalized.lastIndexOf(dir + "/");
      if (at >= 0) {
        return normalized.substring(at);
      }
    }
    return normalized.substring(normalized.lastIndexOf('/') + 1);
  }

  private static @Nullable String blankToNull(@Nullable String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
