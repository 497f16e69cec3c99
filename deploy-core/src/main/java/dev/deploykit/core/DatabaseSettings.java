package dev.deploykit.core;

import dev.deploykit.core.backup.BackupSettings;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The stack's database preparation, the {@code db_init} block of the stack's {@code x-deploykit}:
 * which accessory runs PostgreSQL, how to log in, and where the Flyway migrations are.
 *
 * <pre>{@code
 * x-deploykit:
 *   db_init:
 *     service: db
 *     database: app
 *     user: app
 *     password: ${APP_DB_PASSWORD:?set APP_DB_PASSWORD}
 *     migrations: ./migrations
 *     readonly_user: app_ro
 *     readonly_password: ${APP_RO_PASSWORD:?set APP_RO_PASSWORD}
 * }</pre>
 *
 * <p>{@link #toString()} never shows a password. Thread safety: immutable.
 *
 * @param service the accessory that runs PostgreSQL
 * @param port its PostgreSQL port inside the stack network
 * @param database the application's database
 * @param user the role that owns the schema and runs the migrations
 * @param password that role's password
 * @param migrations Flyway locations ({@code filesystem:/abs/path} or {@code classpath:...})
 * @param readonlyUser a read-only role to keep, or null
 * @param readonlyPassword its password, or null
 * @param timeout how long to wait for the database and migrate
 * @param backup the {@code backup} setting: the backup before a release that migrates, where
 *     backups go, how many are kept
 */
public record DatabaseSettings(String service, int port, String database, String user, String password,
    List<String> migrations, @Nullable String readonlyUser, @Nullable String readonlyPassword,
    Duration timeout, BackupSettings backup) {

  /**
   * Validates the settings and copies the migrations.
   *
   * @throws IllegalArgumentException naming the setting when the port is not 1-65535, only one of
   *     {@code readonlyUser} and {@code readonlyPassword} is given, or the timeout is not positive
   */
  public DatabaseSettings {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(backup, "backup");
    migrations = List.copyOf(migrations);
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1-65535, was " + port);
    }
    if ((readonlyUser == null) != (readonlyPassword == null)) {
      throw new IllegalArgumentException("readonlyUser and readonlyPassword go together: both or neither");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, was " + timeout);
    }
  }

  /**
   * Settings with the default backup ({@link BackupSettings#defaults()}).
   *
   * @throws IllegalArgumentException as the canonical constructor
   */
  public DatabaseSettings(String service, int port, String database, String user, String password,
      List<String> migrations, @Nullable String readonlyUser, @Nullable String readonlyPassword,
      Duration timeout) {
    this(service, port, database, user, password, migrations, readonlyUser, readonlyPassword, timeout,
        BackupSettings.defaults());
  }

  /** A copy with another backup setting. */
  public DatabaseSettings withBackup(BackupSettings backup) {
    return new DatabaseSettings(service, port, database, user, password, migrations, readonlyUser,
        readonlyPassword, timeout, backup);
  }

  /** Names the users, never the passwords. */
  @Override
  public String toString() {
    return "DatabaseSettings[service=" + service + ", port=" + port + ", database=" + database
        + ", user=" + user + ", password=***, migrations=" + migrations
        + (readonlyUser == null ? "" : ", readonlyUser=" + readonlyUser + ", readonlyPassword=***")
        + ", timeout=" + timeout + ", backup=" + backup + "]";
  }
}
