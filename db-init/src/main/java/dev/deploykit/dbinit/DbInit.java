package dev.deploykit.dbinit;

import dev.deploykit.dbinit.DbInitException.Step;
import dev.deploykit.dbinit.internal.DbInitRun;
import dev.deploykit.dbinit.internal.Settings;
import dev.deploykit.dbinit.internal.Target;
import dev.deploykit.health.wait.Backoff;
import dev.deploykit.health.wait.TimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Prepares a PostgreSQL database for an application, in four steps, and reports what it did:
 *
 * <ol>
 *   <li><b>wait</b> until PostgreSQL accepts the owner role on the database over TCP, retrying
 *       what heals by itself (connection failures {@code 08xxx}, {@code 57P03} starting up,
 *       {@code 3D000} database not created yet) with backoff until {@link Builder#timeout
 *       timeout}, and failing at once on a wrong password or unknown role ({@code 28P01},
 *       {@code 28000});
 *   <li><b>migrate</b> with Flyway: validate on migrate, {@code clean} disabled, a
 *       {@code lock_timeout} on migration statements, baseline only when
 *       {@link Builder#baselineVersion asked}; initializers started together take turns on
 *       Flyway's advisory lock, each migration is applied exactly once and all succeed;
 *   <li><b>read-only role</b> (optional): created if missing, password set only as a client-side
 *       hash, SELECT on every table of the schemas including tables the owner creates later;
 *   <li><b>verify</b> that the expected tables exist (and that the read-only role can read
 *       them).
 * </ol>
 *
 * <pre>{@code
 * DbInitResult result = DbInit.builder()
 *     .host("db").port(5432).database("app")
 *     .owner("app", System.getenv("APP_DB_PASSWORD"))
 *     .locations("classpath:db/migration")
 *     .readOnlyRole("app_ro", System.getenv("APP_RO_PASSWORD"))
 *     .timeout(Duration.ofSeconds(60))
 *     .build()
 *     .run();
 * System.out.println(result);   // "db-init db:5432/app as app: unchanged in 85 ms ..."
 * }</pre>
 *
 * <p>Immutable and thread-safe; {@link #run()} may be called any number of times, from any
 * thread, and a rerun against a prepared database changes nothing and says "unchanged".
 * {@link #toString()} never shows a password.
 */
public final class DbInit {
  private final Settings settings;
  private final TimeSource time;
  private final Backoff backoff;
  private final Builder source;

  private DbInit(Settings settings, TimeSource time, Backoff backoff, Builder source) {
    this.settings = settings;
    this.time = time;
    this.backoff = backoff;
    this.source = source;
  }

  /** A builder with the defaults documented on each setter. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this configuration, to make a modified copy. */
  public Builder newBuilder() {
    return new Builder(source);
  }

  /**
   * Waits, migrates, sets up the read-only role and verifies the tables.
   *
   * @return what the run did
   * @throws DbInitException if a step fails: the message says what and where; a failed
   *     migration is rolled back, so the database stays as it was before that migration. If the
   *     thread is interrupted the exception's cause is an {@link InterruptedException} and the
   *     thread's interrupt flag is set again.
   */
  public DbInitResult run() {
    return new DbInitRun(settings, time, backoff).run();
  }

  /**
   * Waits for the database as {@link #run()} does, then lists the migrations a run would apply
   * now (each as {@code version description}), applying none: a caller backs the database up
   * before a run that migrates.
   *
   * @throws DbInitException as {@link #run()} for the wait, and when the migrations cannot be read
   */
  public java.util.List<String> pending() {
    return new DbInitRun(settings, time, backoff).pending();
  }

  @Override
  public String toString() {
    return "DbInit" + settings;
  }

  /**
   * Configures a {@link DbInit}. Setters validate their argument at once and name it when it is
   * wrong ({@link IllegalArgumentException}, or {@link NullPointerException} for null);
   * {@link #build()} checks the combination. Not thread-safe.
   */
  public static final class Builder {
    private @Nullable String jdbcUrl;
    private @Nullable String host;
    private int port = 5432;
    private @Nullable String database;
    private @Nullable String ownerRole;
    private @Nullable String ownerPassword;
    private List<String> locations = List.of("classpath:db/migration");
    private Map<String, String> placeholders = Map.of();
    private List<String> schemas = List.of("public");
    private @Nullable String readOnlyRole;
    private @Nullable String readOnlyPassword;
    private List<String> expectedTables = List.of();
    private Duration timeout = Duration.ofSeconds(60);
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration lockTimeout = Duration.ofSeconds(10);
    private @Nullable String baselineVersion;
    private @Nullable ClassLoader classLoader;
    private TimeSource time = TimeSource.system();
    private Backoff backoff =
        Backoff.exponential(Duration.ofMillis(50), Duration.ofSeconds(1)).withJitter(0.2);

    private Builder() {}

    private Builder(Builder other) {
      jdbcUrl = other.jdbcUrl;
      host = other.host;
      port = other.port;
      database = other.database;
      ownerRole = other.ownerRole;
      ownerPassword = other.ownerPassword;
      locations = other.locations;
      placeholders = other.placeholders;
      schemas = other.schemas;
      readOnlyRole = other.readOnlyRole;
      readOnlyPassword = other.readOnlyPassword;
      expectedTables = other.expectedTables;
      timeout = other.timeout;
      connectTimeout = other.connectTimeout;
      lockTimeout = other.lockTimeout;
      baselineVersion = other.baselineVersion;
      classLoader = other.classLoader;
      time = other.time;
      backoff = other.backoff;
    }

    /**
     * The database as a JDBC URL, {@code jdbc:postgresql://host:port/database[?options]}; the
     * alternative to {@link #host}, {@link #port} and {@link #database}.
     *
     * @throws IllegalArgumentException if it is not a PostgreSQL JDBC URL, or holds a password
     */
    public Builder jdbcUrl(String jdbcUrl) {
      Target.ofUrl(Objects.requireNonNull(jdbcUrl, "jdbcUrl"), "check");
      this.jdbcUrl = jdbcUrl;
      return this;
    }

    /**
     * The server's host name or address.
     *
     * @throws IllegalArgumentException if blank
     */
    public Builder host(String host) {
      this.host = nonBlank(host, "host");
      return this;
    }

    /**
     * The server's TCP port; default 5432.
     *
     * @throws IllegalArgumentException if not between 1 and 65535
     */
    public Builder port(int port) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port must be between 1 and 65535: " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * The database's name.
     *
     * @throws IllegalArgumentException if blank
     */
    public Builder database(String database) {
      this.database = nonBlank(database, "database");
      return this;
    }

    /**
     * The role that owns the schema: db-init waits as it, migrates as it and, with a read-only
     * role configured, manages that role as it (which needs CREATEROLE or superuser). Required.
     *
     * @throws IllegalArgumentException if the role is blank or the password empty
     */
    public Builder owner(String role, String password) {
      this.ownerRole = nonBlank(role, "owner role");
      Objects.requireNonNull(password, "owner password");
      if (password.isEmpty()) {
        throw new IllegalArgumentException("owner password must not be empty");
      }
      this.ownerPassword = password;
      return this;
    }

    /**
     * Flyway migration locations ({@code classpath:...}, {@code filesystem:...}); default
     * {@code classpath:db/migration}. A location that does not exist fails the run.
     *
     * @throws IllegalArgumentException if none is given or one is blank
     */
    public Builder locations(String... locations) {
      this.locations = nonBlankList(locations, "locations");
      return this;
    }

    /**
     * Values for {@code ${name}} placeholders in migrations; default none. Values are not
     * printed by {@link DbInit#toString()}, only names.
     */
    public Builder placeholders(Map<String, String> placeholders) {
      this.placeholders = Map.copyOf(new LinkedHashMap<>(
          Objects.requireNonNull(placeholders, "placeholders")));
      return this;
    }

    /**
     * The schemas Flyway manages (the first holds its history table) and the read-only role may
     * read; default {@code public}.
     *
     * @throws IllegalArgumentException if none is given or one is blank
     */
    public Builder schemas(String... schemas) {
      this.schemas = nonBlankList(schemas, "schemas");
      return this;
    }

    /**
     * A role that may log in and SELECT from every table of the {@link #schemas}, now and
     * later, and do nothing else; default none.
     *
     * @throws IllegalArgumentException if the role is blank or the password empty
     */
    public Builder readOnlyRole(String role, String password) {
      this.readOnlyRole = nonBlank(role, "read-only role");
      Objects.requireNonNull(password, "read-only password");
      if (password.isEmpty()) {
        throw new IllegalArgumentException("read-only password must not be empty");
      }
      this.readOnlyPassword = password;
      return this;
    }

    /**
     * The tables that must exist after migrating, as {@code table} (looked up in the
     * {@link #schemas} in order) or {@code schema.table}; default: every table of the schemas
     * but Flyway's history, that is the tables the migrations made.
     *
     * @throws IllegalArgumentException if one is blank
     */
    public Builder expectedTables(String... tables) {
      List<String> list = new ArrayList<>();
      for (String t : Objects.requireNonNull(tables, "expectedTables")) {
        list.add(nonBlank(t, "expected table"));
      }
      this.expectedTables = List.copyOf(list);
      return this;
    }

    /**
     * The deadline for the whole wait, counted from the start of {@link DbInit#run()}; what is
     * left of it bounds the wait for another initializer's migration lock. Default 60 s.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder timeout(Duration timeout) {
      this.timeout = positive(timeout, "timeout");
      return this;
    }

    /**
     * The bound of one connection attempt (TCP connect and login); default 5 s. The driver
     * counts whole seconds, so it is rounded up.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = positive(connectTimeout, "connectTimeout");
      return this;
    }

    /**
     * PostgreSQL's {@code lock_timeout} for migration statements: a statement that waits
     * longer for a lock fails, and its migration is rolled back, rather than queueing while
     * every other query on the table queues behind it. Default 10 s.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder lockTimeout(Duration lockTimeout) {
      this.lockTimeout = positive(lockTimeout, "lockTimeout");
      return this;
    }

    /**
     * Adopt an existing schema that has no Flyway history: record it at this version and apply
     * only later migrations. Without it (the default) such a schema fails the run.
     *
     * @throws IllegalArgumentException if blank
     */
    public Builder baselineVersion(String version) {
      this.baselineVersion = nonBlank(version, "baselineVersion");
      return this;
    }

    /** Where {@code classpath:} locations are found; default the thread's context loader. */
    public Builder classLoader(ClassLoader classLoader) {
      this.classLoader = Objects.requireNonNull(classLoader, "classLoader");
      return this;
    }

    /** The time source of the wait; default the system's. Tests pass a fake one. */
    public Builder timeSource(TimeSource time) {
      this.time = Objects.requireNonNull(time, "timeSource");
      return this;
    }

    /** The delays between connection attempts; default 50 ms doubling to 1 s, 20% jitter. */
    public Builder backoff(Backoff backoff) {
      this.backoff = Objects.requireNonNull(backoff, "backoff");
      return this;
    }

    /**
     * Checks the combination and builds.
     *
     * @throws DbInitException (step {@code CONFIGURATION}) naming the missing or conflicting
     *     setting
     */
    public DbInit build() {
      if (ownerRole == null || ownerPassword == null) {
        throw config("owner(role, password) is required");
      }
      Target target;
      if (jdbcUrl != null) {
        if (host != null || database != null) {
          throw config("give either jdbcUrl or host/port/database, not both");
        }
        target = Target.ofUrl(jdbcUrl, ownerRole);
      } else {
        if (host == null || database == null) {
          throw config("jdbcUrl, or host and database, is required");
        }
        target = Target.of(host, port, database, ownerRole);
      }
      if (readOnlyRole != null && readOnlyRole.equals(ownerRole)) {
        throw config("readOnlyRole must differ from the owner role");
      }
      ClassLoader loader = classLoader != null ? classLoader
          : Objects.requireNonNullElse(Thread.currentThread().getContextClassLoader(),
              DbInit.class.getClassLoader());
      Settings settings = new Settings(target, ownerPassword, locations, placeholders, schemas,
          readOnlyRole, readOnlyPassword, expectedTables, timeout, connectTimeout, lockTimeout,
          baselineVersion, loader);
      return new DbInit(settings, time, backoff, new Builder(this));
    }

    private static DbInitException config(String what) {
      return new DbInitException(Step.CONFIGURATION, what, "DbInit.Builder", null, null, null);
    }

    private static String nonBlank(String value, String name) {
      Objects.requireNonNull(value, name);
      if (value.isBlank()) {
        throw new IllegalArgumentException(name + " must not be blank");
      }
      return value;
    }

    private static List<String> nonBlankList(String[] values, String name) {
      Objects.requireNonNull(values, name);
      if (values.length == 0) {
        throw new IllegalArgumentException(name + ": give at least one");
      }
      List<String> list = new ArrayList<>();
      for (String v : values) {
        list.add(nonBlank(v, name.substring(0, name.length() - 1)));
      }
      return List.copyOf(list);
    }

    private static Duration positive(Duration d, String name) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive: " + d);
      }
      return d;
    }
  }
}
