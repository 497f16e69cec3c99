package dev.deploykit.core.backup;

import dev.deploykit.core.DatabaseSettings;
import dev.deploykit.core.DeployException;
import dev.deploykit.core.Deployer;
import dev.deploykit.core.HeldLock;
import dev.deploykit.core.Release;
import dev.deploykit.core.Stack;
import dev.deploykit.core.StackNames;
import dev.deploykit.core.engine.ContainerState;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.internal.backup.BackupFolder;
import dev.deploykit.core.internal.backup.ContainerDatabase;
import dev.deploykit.core.internal.backup.Drill;
import dev.deploykit.core.internal.backup.DumpFile;
import dev.deploykit.core.internal.backup.DumpWriter;
import dev.deploykit.core.internal.backup.RestoreMarker;
import dev.deploykit.core.internal.backup.Restorer;
import dev.deploykit.core.internal.backup.VolumeStore;
import dev.deploykit.health.wait.TimeSource;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Backups of a stack's database (its {@code x-deploykit.db_init}): {@code pg_dump -Fc} run inside
 * the database container, so the client matches the server, streamed through the stack's host
 * (the local engine or SSH) into a folder on this machine, or kept on the host in a backup volume
 * ({@link BackupSettings.Store#HOST}: {@code pg_dump} runs in a helper container of the same image
 * with the volume mounted, so the dump never crosses the connection), with a metadata file beside
 * each dump (size, SHA-256, time, the live release, the server's version). Retention (count and age) is
 * applied after each new backup. A restore checks the dump's checksum and version first, takes the
 * stack's lock, stops the workers (and the web services if asked), restores in one transaction and
 * counts the tables; a drill restores into a scratch container and compares every table.
 *
 * <pre>{@code
 * try (DockerHost host = DockerHost.local()) {
 *   DatabaseBackups backups = DatabaseBackups.builder(host).progress(System.out::println).build();
 *   Backup b = backups.backup(stack, "before the upgrade");
 *   RestoreResult r = backups.restore(stack, b.id(), RestoreOptions.defaults().withClean(true));
 * }
 * }</pre>
 *
 * <p>Failures the user fixes are {@link BackupException}s with a {@link BackupException.Reason};
 * a held lock is a {@link dev.deploykit.core.LockHeldException}; engine failures are {@link
 * DeployException}s. The host stays the caller's. Thread safety: immutable; one call per stack at a
 * time (a restore holds the stack's lock).
 */
public final class DatabaseBackups {
  private static final DateTimeFormatter ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final DockerHost host;
  private final @Nullable Path folder;
  private final BackupSettings.@Nullable Store store;
  private final String owner;
  private final Clock clock;
  private final TimeSource time;
  private final Duration timeout;
  private final Consumer<String> progress;

  private DatabaseBackups(Builder b) {
    this.host = b.host;
    this.folder = b.folder;
    this.store = b.store;
    this.owner = b.owner;
    this.clock = b.clock;
    this.time = b.time;
    this.timeout = b.timeout;
    this.progress = b.progress;
  }

  /**
   * A builder for the given host; every other setting has a default.
   *
   * @param host the stack's engine, owned (and closed) by the caller
   */
  public static Builder builder(DockerHost host) {
    return new Builder(host);
  }

  /**
   * Where a stack's backups go when neither the builder nor the stack names a folder:
   * {@code $XDG_DATA_HOME/deploykit/backups/STACK}, else {@code ~/.local/share/deploykit/backups/STACK}.
   */
  public static Path defaultFolder(String stack) {
    String xdg = System.getenv("XDG_DATA_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg)
        : Path.of(System.getProperty("user.home"), ".local", "share");
    return base.resolve("deploykit").resolve("backups").resolve(stack);
  }

  /** The folder of the stack's backups: the builder's, else the stack's setting, else the default. */
  public Path folder(Stack stack) {
    if (folder != null) {
      return folder;
    }
    DatabaseSettings db = stack.settings().database();
    if (db != null && db.backup().folder() != null) {
      return db.backup().folder();
    }
    return defaultFolder(stack.name());
  }

  /** Where new backups of the stack go: the builder's store, else the stack's setting. */
  public BackupSettings.Store store(Stack stack) {
    return store != null ? store : settings(stack).backup().store();
  }

  /** The stack's backup volume on its host (whether or not it exists yet). */
  public String volume(Stack stack) {
    return settings(stack).backup().volumeOf(stack.name());
  }

  /** Whether the stack's backup volume exists on the host. */
  public boolean volumeExists(Stack stack) {
    return VolumeStore.exists(host, volume(stack));
  }

  private VolumeStore openVolume(Stack stack, ContainerDatabase db) {
    String image = host.inspect(container(stack), StackNames.network(stack.name())).map(ContainerState::image)
        .orElseThrow();
    return VolumeStore.open(db, stack.name(), volume(stack), image, timeout.plusHours(1));
  }

  /**
   * Backs the stack's database up now, then applies retention.
   *
   * @param reason why, for the listing: {@code by hand}, {@code before release ...}
   * @throws BackupException with {@link BackupException.Reason#NO_DATABASE}, {@code
   *     DATABASE_NOT_RUNNING}, {@code PASSWORD_REFUSED}, {@code DISK_FULL} (the partial file is
   *     removed) or {@code FAILED}
   */
  public Backup backup(Stack stack, String reason) {
    ContainerDatabase db = database(stack);
    Instant now = clock.instant();
    String id = ID_TIME.format(now) + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(4);
    String live = Deployer.builder(host).build().history(stack.name()).live().map(Release::id).orElse(null);
    BackupSettings settings = stack.settings().database().backup();
    String what = "pg_dump of " + stack.settings().database().database() + " on " + stack.settings().database().service();
    Backup backup;
    List<String> removed;
    if (store(stack) == BackupSettings.Store.HOST) {
      progress.accept(what + " into volume " + volume(stack) + " on " + host.describe());
      try (VolumeStore volume = openVolume(stack, db)) {
        backup = volume.write(stack.name(), id, now, live, reason, timeout);
        removed = retain(() -> volume.retain(stack.name(), settings.keep(), settings.maxAge(), clock.instant()));
      }
    } else {
      BackupFolder dir = new BackupFolder(folder(stack));
      progress.accept(what + " into " + dir.path());
      backup = new DumpWriter(db, dir, timeout).write(stack.name(), id, now, live, reason);
      removed = retain(() -> dir.retain(stack.name(), settings.keep(), settings.maxAge(), clock.instant()));
    }
    if (!removed.isEmpty()) {
      progress.accept("retention (keep " + settings.keep() + (settings.maxAge() == null ? "" : ", max age "
          + settings.maxAge()) + ") removed " + String.join(", ", removed));
    }
    return backup;
  }

  private List<String> retain(java.util.function.Supplier<List<String>> retention) {
    try {
      return retention.get();
    } catch (RuntimeException e) {
      // The backup is made; retention runs again after the next one.
      progress.accept("retention skipped: " + e.getMessage());
      return List.of();
    }
  }

  /** Whether the stack's database holds any table (a first release's empty one needs no backup). */
  public boolean holdsTables(Stack stack) {
    return !database(stack).tables().isEmpty();
  }

  /**
   * The stack's backups, newest first (empty when there are none): those in its folder, and those
   * in its backup volume when the host has that volume.
   */
  public List<Backup> list(Stack stack) {
    List<Backup> all = new java.util.ArrayList<>(new BackupFolder(folder(stack)).list(stack.name()));
    if (volumeExists(stack)) {
      ContainerDatabase db;
      try {
        db = database(stack);
      } catch (BackupException e) {
        // The helper that reads the volume runs the database's image on its network.
        progress.accept("the backups in volume " + volume(stack) + " are not listed: " + e.getMessage());
        db = null;
      }
      if (db != null) {
        try (VolumeStore volume = openVolume(stack, db)) {
          all.addAll(volume.list(stack.name()));
        }
      }
    }
    all.sort(java.util.Comparator.comparing(Backup::createdAt).reversed()
        .thenComparing(Backup::id, java.util.Comparator.reverseOrder()));
    return all;
  }

  /**
   * The backup by id or by the path of its dump: in the folder, else in the backup volume.
   *
   * @throws BackupException with {@link BackupException.Reason#UNKNOWN_BACKUP} when there is none
   */
  public Backup find(Stack stack, String backup) {
    try (Located found = locate(stack, database(stack), backup)) {
      return found.backup();
    }
  }

  /** A backup found, and the volume's helper when it is kept on the host (closed with it). */
  private record Located(Backup backup, @Nullable VolumeStore volume) implements AutoCloseable {
    @Override
    public void close() {
      if (volume != null) {
        volume.close();
      }
    }
  }

  private Located locate(Stack stack, ContainerDatabase db, String backup) {
    BackupFolder dir = new BackupFolder(folder(stack));
    Optional<Backup> local = dir.find(stack.name(), backup);
    if (local.isPresent()) {
      return new Located(local.get(), null);
    }
    boolean inVolume = !backup.contains("/") && volumeExists(stack);
    if (inVolume) {
      VolumeStore volume = openVolume(stack, db);
      try {
        Optional<Backup> b = volume.find(stack.name(), backup);
        if (b.isPresent()) {
          return new Located(b.get(), volume);
        }
      } catch (RuntimeException e) {
        volume.close();
        throw e;
      }
      volume.close();
    }
    throw new BackupException(BackupException.Reason.UNKNOWN_BACKUP, "Stack " + stack.name() + " has no backup "
        + backup + " in " + dir.path() + (inVolume ? " nor in volume " + volume(stack) + " on " + host.describe() : "")
        + "; `deploykit db backups` lists them (--folder names another folder)");
  }

  /** Checks the dump's size and SHA-256 where it lies (on the host for a volume's), then its version. */
  private void check(ContainerDatabase db, Located found) {
    Backup b = found.backup();
    if (found.volume() != null) {
      progress.accept("checking the SHA-256 of backup " + b.id() + " on " + host.describe());
      found.volume().verify(b);
      checkVersion(db, b, found.volume().serverVersion(b));
    } else {
      progress.accept("checking the SHA-256 of backup " + b.id());
      DumpFile.verify(b);
      checkVersion(db, b, DumpFile.serverVersion(b.file()));
    }
  }

  /**
   * A restore of the stack's database that did not finish, as the marker it left says; reading
   * takes no lock.
   */
  public Optional<InterruptedRestore> interruptedRestore(Stack stack) {
    return RestoreMarker.read(database(stack));
  }

  /**
   * Restores the backup into the stack's database: the checksum and the dump's server version are
   * checked first (nothing is touched when they fail), then under the stack's lock the workers
   * (and with {@link RestoreOptions.WebDuringRestore#STOP} the web services) are stopped, the dump
   * is restored by {@code pg_restore} in one transaction, and the services are started again.
   *
   * @throws BackupException with {@code UNKNOWN_BACKUP}, {@code CHECKSUM_MISMATCH}, {@code
   *     NEWER_SERVER}, {@code TARGET_NOT_EMPTY} (without {@code clean}), {@code PASSWORD_REFUSED}
   *     or {@code FAILED} (the transaction is rolled back: the database holds what it held)
   * @throws dev.deploykit.core.LockHeldException when a deploy holds the stack's lock
   * @throws DeployException with {@link DeployException.Reason#INTERRUPTED} when interrupted; the
   *     restore is cancelled and the marker it left says so to the next run
   */
  public RestoreResult restore(Stack stack, String backup, RestoreOptions options) {
    long t0 = time.nanoTime();
    ContainerDatabase db = database(stack);
    try (Located found = locate(stack, db, backup)) {
      Backup b = found.backup();
      check(db, found);
      Restorer restorer = new Restorer(db, stack, progress);
      // The lock is a never-started container; the database's image is one the host surely has
      // (the deployer prefers the stack's state container's image when there is one).
      String lockImage = host.inspect(container(stack), StackNames.network(stack.name())).map(ContainerState::image)
          .orElse(Deployer.DEFAULT_PROXY_IMAGE);
      try (HeldLock lock = Deployer.builder(host).owner(owner).proxyImage(lockImage).build()
          .acquireLock(stack.name(), "db restore " + b.id())) {
        restorer.requireEmpty(options.clean());
        Map<String, Integer> connections = restorer.connections();
        List<ContainerState> stop = restorer.toStop(options);
        List<TableCount> tables = restorer.restore(b, options, stop, owner, clock.instant(), found.volume());
        return new RestoreResult(b, connections, stop.stream()
            .map(c -> c.label(StackNames.LABEL_SERVICE).orElse(c.name())).distinct().toList(), tables,
            Duration.ofNanos(time.nanoTime() - t0));
      }
    }
  }

  /**
   * What a restore would do now, without doing it: the services holding connections, and those a
   * restore with {@code options} would stop.
   */
  public Map<String, Integer> connections(Stack stack) {
    return new Restorer(database(stack), stack, progress).connections();
  }

  /**
   * A restore drill: the backup restored into a scratch PostgreSQL container of the database's
   * image on the same host, every table's row count and checksum compared with the source
   * database now; the scratch container is removed, also on failure.
   *
   * @throws BackupException as {@link #restore} for the checksum and version, or {@code FAILED}
   * @throws InterruptedException when interrupted (the scratch container is removed)
   */
  public DrillResult drill(Stack stack, String backup) throws InterruptedException {
    ContainerDatabase db = database(stack);
    try (Located found = locate(stack, db, backup)) {
      check(db, found);
      ContainerState container = host.inspect(container(stack), StackNames.network(stack.name())).orElseThrow();
      return new Drill(db, time, progress).run(stack.name(), found.backup(), container, timeout);
    }
  }

  private void checkVersion(ContainerDatabase db, Backup b, Optional<String> header) {
    String made = header.orElse(b.serverVersion());
    String target = db.serverVersion();
    if (major(made) > major(target)) {
      throw new BackupException(BackupException.Reason.NEWER_SERVER, "Backup " + b.id() + " was made by PostgreSQL "
          + made + ", newer than the " + b.service() + " server's " + target + "; nothing was restored: restore it into"
          + " PostgreSQL " + major(made) + " or newer (upgrade the image of service " + b.service() + ")");
    }
  }

  private String container(Stack stack) {
    return StackNames.accessoryContainer(stack.name(), settings(stack).service());
  }

  private DatabaseSettings settings(Stack stack) {
    DatabaseSettings db = stack.settings().database();
    if (db == null) {
      throw new BackupException(BackupException.Reason.NO_DATABASE, "Stack " + stack.name() + " has no database:"
          + " its x-deploykit has no db_init block naming the PostgreSQL service (service, database, user, password)");
    }
    return db;
  }

  private ContainerDatabase database(Stack stack) {
    DatabaseSettings db = settings(stack);
    String container = container(stack);
    Optional<ContainerState> state = host.inspect(container, StackNames.network(stack.name()));
    if (state.isEmpty() || !state.get().running()) {
      throw new BackupException(BackupException.Reason.DATABASE_NOT_RUNNING, "The database service " + db.service()
          + " of stack " + stack.name() + " is not running on " + host.describe() + " (container " + container + " is "
          + state.map(ContainerState::status).orElse("missing") + "); `deploykit deploy` starts it");
    }
    String address = state.get().ipAddress() == null ? "127.0.0.1" : state.get().ipAddress();
    return new ContainerDatabase(host, container, db.service(), address, db.port(), db.database(), db.user(), db.password());
  }

  /** The major version: 18 of {@code 18.1}, 0 when unreadable. */
  static int major(String version) {
    String[] parts = version.strip().split("[^0-9]+");
    try {
      return Integer.parseInt(parts[0]);
    } catch (RuntimeException e) {
      return 0;
    }
  }

  /**
   * Settings of a {@link DatabaseBackups}; every one has a default. Not thread safe.
   */
  public static final class Builder {
    private final DockerHost host;
    private @Nullable Path folder;
    private BackupSettings.@Nullable Store store;
    private String owner = System.getProperty("user.name", "unknown") + "@" + hostName();
    private Clock clock = Clock.systemUTC();
    private TimeSource time = TimeSource.system();
    private Duration timeout = Duration.ofHours(2);
    private Consumer<String> progress = line -> { };

    private Builder(DockerHost host) {
      this.host = Objects.requireNonNull(host, "host");
    }

    /** The folder of backups, over the stack's {@code db_init.backup.folder} and the default. */
    public Builder folder(Path folder) {
      this.folder = folder.toAbsolutePath().normalize();
      return this;
    }

    /** Where new backups go, over the stack's {@code db_init.backup.store}. */
    public Builder store(BackupSettings.Store store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /** Who restores, for the lock and the marker; default {@code user@host}. */
    public Builder owner(String owner) {
      this.owner = Objects.requireNonNull(owner, "owner");
      return this;
    }

    /** The wall clock for backup ids and retention; default UTC. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Where waiting reads time and sleeps (the drill's scratch server); default the system's. */
    public Builder timeSource(TimeSource time) {
      this.time = Objects.requireNonNull(time, "time");
      return this;
    }

    /**
     * How long one {@code pg_dump} or {@code pg_restore} may take; default 2 hours.
     *
     * @throws IllegalArgumentException when not positive
     */
    public Builder timeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive, was " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /** Told each step in a line, as it starts; default nothing. */
    public Builder progress(Consumer<String> progress) {
      this.progress = Objects.requireNonNull(progress, "progress");
      return this;
    }

    /** The configured instance, immutable. */
    public DatabaseBackups build() {
      return new DatabaseBackups(this);
    }

    private static String hostName() {
      try {
        return java.net.InetAddress.getLocalHost().getHostName();
      } catch (java.io.IOException e) {
        return "localhost";
      }
    }
  }
}
