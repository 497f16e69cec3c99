package dev.deploykit.core.internal.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deploykit.core.DeployException;
import dev.deploykit.core.StackNames;
import dev.deploykit.core.backup.Backup;
import dev.deploykit.core.backup.BackupException;
import dev.deploykit.core.backup.RestoreOptions;
import dev.deploykit.core.engine.ContainerSpec;
import dev.deploykit.core.engine.ContainerState;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.engine.StreamedExec;
import dev.deploykit.core.engine.VolumeMount;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * Backups kept on the stack's host, in a Docker volume: {@code ID.dump} and {@code ID.json}, as in
 * a {@link BackupFolder}. The work is done by a short-lived helper container of the database's own
 * image (so {@code pg_dump}/{@code pg_restore} match the server's major version) on the stack
 * network, with the volume mounted at {@value #MOUNT}; it reaches the database by its address
 * there, with the password in each command's environment only (never in the container's
 * configuration or a command line).
 *
 * <p>Why a helper and not an exec in the database container: that container does not mount the
 * backup volume, and mounting it would mean recreating the stack's database, which is the deploy's
 * business. The helper works the same through every transport (the engine API over SSH as
 * locally), and the dump's bytes never leave the host. It sleeps for at most the operation's
 * deadline, so one left behind by a killed process exits by itself; the next operation removes
 * exited helpers of the stack.
 */
public final class VolumeStore implements AutoCloseable {
  /** The label of helper containers; its value is the stack. */
  public static final String LABEL = "dev.deploykit.backup-helper";
  /** Where the helper mounts the volume. */
  static final String MOUNT = "/backups";
  /** The kind label of backup volumes: {@code deploykit down --volumes} leaves them. */
  static final String KIND_BACKUPS = "backups";
  private static final ObjectMapper JSON = new ObjectMapper();
  /** What a full volume's message offers instead. */
  private static final String ELSEWHERE =
      "or keep it elsewhere (--store local, or another x-deploykit.db_init.backup.volume)";

  private final ContainerDatabase db;
  private final String volume;
  private final String helper;

  private VolumeStore(ContainerDatabase db, String volume, String helper) {
    this.db = db;
    this.volume = volume;
    this.helper = helper;
  }

  /** Whether the host has the volume. */
  public static boolean exists(DockerHost host, String volume) {
    try {
      host.client().inspectVolumeCmd(volume).exec();
      return true;
    } catch (com.github.dockerjava.api.exception.NotFoundException e) {
      return false;
    } catch (RuntimeException e) {
      throw new DeployException("Cannot inspect volume " + volume + " on " + host.describe() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Creates the volume unless it exists and starts a helper on it.
   *
   * @param image the database container's image
   * @param lifetime the longest the caller's operations take; the helper exits after it
   */
  public static VolumeStore open(ContainerDatabase db, String stack, String volume, String image, Duration lifetime) {
    DockerHost host = db.host;
    String network = StackNames.network(stack);
    for (ContainerState stale : host.list(Map.of(LABEL, stack), network)) {
      if (!stale.running()) {
        host.remove(stale.id());
      }
    }
    host.ensureVolume(volume, Map.of(StackNames.LABEL_STACK, stack, StackNames.LABEL_KIND, KIND_BACKUPS));
    String name = stack + "-db-backup-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(4);
    long seconds = Math.max(60, lifetime.toSeconds() + 600);
    String id = host.create(ContainerSpec.builder(name, image)
        .entrypoint(List.of("sleep", Long.toString(seconds)))
        .network(network, List.of())
        .volumes(List.of(new VolumeMount("volume", volume, MOUNT, false)))
        .labels(Map.of(LABEL, stack, StackNames.LABEL_STACK, stack))
        .build());
    try {
      host.start(id);
    } catch (RuntimeException e) {
      host.remove(id);
      throw e;
    }
    return new VolumeStore(db, volume, id);
  }

  public String volume() {
    return volume;
  }

  /** For messages: {@code volume V on HOST}. */
  String describe() {
    return "the backup volume " + volume + " on " + db.host.describe();
  }

  private static String path(String name) {
    return MOUNT + "/" + name;
  }

  /** Runs a command in the helper; {@code environment} carries the password when one is needed. */
  private StreamedExec run(List<String> command, Map<String, String> environment, OutputStream out, Duration timeout) {
    return db.host.execStreaming(helper, command, environment, out, timeout);
  }

  /** Runs a shell script in the helper, its arguments as {@code $0, $1, ...}; the output as text. */
  private String shell(String script, String... args) {
    List<String> command = new ArrayList<>(List.of("sh", "-c", script));
    command.addAll(List.of(args));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StreamedExec r = run(command, Map.of(), out, ContainerDatabase.QUERY_TIMEOUT);
    if (r.exitCode() != 0) {
      throw new BackupException(BackupException.Reason.FAILED, "In " + describe() + ": `" + script.split(" ")[0]
          + "` failed (exit " + r.exitCode() + "): " + ContainerDatabase.firstLine(r.stderr()));
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  /**
   * {@code pg_dump -Fc} into {@code ID.dump.partial} in the volume, its SHA-256 and size computed
   * there, moved into place and described by {@code ID.json}. A failure leaves no file.
   */
  public Backup write(String stack, String id, Instant now, @Nullable String liveRelease, String reason,
      Duration timeout) {
    String version = db.serverVersion();
    long databaseBytes = DumpWriter.databaseSize(db);
    String partial = path(id + ".dump.partial");
    boolean done = false;
    try {
      List<String> command = new ArrayList<>(List.of("pg_dump", "-Fc"));
      command.addAll(db.connection());
      command.addAll(List.of("-f", partial));
      StreamedExec result;
      try {
        result = run(command, db.environment(), OutputStream.nullOutputStream(), timeout);
      } catch (DeployException e) {
        throw ContainerDatabase.engine("pg_dump of the " + db.describe() + " into " + describe() + " failed", e);
      }
      if (result.exitCode() != 0) {
        db.refusedPassword(result.stderr());
        if (result.stderr().contains("No space left") || result.stderr().contains("Disk quota")) {
          long written = sizeOrZero(partial);
          shell("rm -f \"$0\"", partial);
          throw DumpWriter.diskFull(describe(), id, written, databaseBytes, free(), ELSEWHERE, null);
        }
        throw new BackupException(BackupException.Reason.FAILED, "pg_dump of the " + db.describe() + " into "
            + describe() + " failed (exit " + result.exitCode() + "): " + ContainerDatabase.firstLine(result.stderr())
            + "; nothing was kept");
      }
      String[] sum = shell("sha256sum \"$0\" && stat -c %s \"$0\"", partial).strip().split("\\s+");
      String sha = sum[0];
      long size = Long.parseLong(sum[sum.length - 1]);
      Backup backup = new Backup(id, stack, db.service, db.database, now, size, sha, liveRelease, version, reason,
          Path.of(id + ".dump"), volume);
      try {
        db.host.writeFile(helper, path(id + ".json.tmp"), BackupFolder.metadata(backup), 0644);
        shell("mv -f \"$0\" \"$1\" && mv -f \"$2\" \"$3\"", partial, path(id + ".dump"), path(id + ".json.tmp"),
            path(id + ".json"));
      } catch (RuntimeException e) {
        if (free() < (1 << 20)) {
          throw DumpWriter.diskFull(describe(), id, size, databaseBytes, free(), ELSEWHERE, e);
        }
        throw e;
      }
      done = true;
      return backup;
    } finally {
      if (!done) {
        boolean interrupted = Thread.interrupted();
        try {
          shell("rm -f \"$0\" \"$1\" \"$2\"", partial, path(id + ".dump"), path(id + ".json.tmp"));
        } catch (RuntimeException e) {
          // Best effort: the message names the volume.
        } finally {
          if (interrupted) {
            Thread.currentThread().interrupt();
          }
        }
      }
    }
  }

  private long sizeOrZero(String file) {
    try {
      return Long.parseLong(shell("stat -c %s \"$0\" 2>/dev/null || echo 0", file).strip());
    } catch (RuntimeException e) {
      return 0;
    }
  }

  /** The bytes free in the volume, as {@code df} reports them; -1 when unknown. */
  long free() {
    try {
      String[] lines = shell("df -Pk \"$0\"", MOUNT).strip().split("\n");
      return Long.parseLong(lines[lines.length - 1].strip().split("\\s+")[3]) * 1024;
    } catch (RuntimeException e) {
      return -1;
    }
  }

  /** The stack's backups in the volume, newest first. */
  public List<Backup> list(String stack) {
    String text = shell("for f in \"$0\"/*.json; do [ -f \"$f\" ] && cat \"$f\" && echo; done; true", MOUNT);
    List<Backup> backups = new ArrayList<>();
    try (MappingIterator<JsonNode> it = JSON.readerFor(JsonNode.class)
        .readValues(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)))) {
      while (it.hasNextValue()) {
        BackupFolder.parse(it.nextValue(), Path.of("x")).map(b -> b.inVolume(volume))
            .filter(b -> b.stack().equals(stack)).ifPresent(backups::add);
      }
    } catch (IOException | RuntimeException e) {
      throw new BackupException(BackupException.Reason.FAILED, "The metadata in " + describe() + " cannot be read: "
          + e.getMessage(), e);
    }
    backups.sort(Comparator.comparing(Backup::createdAt).reversed().thenComparing(Backup::id, Comparator.reverseOrder()));
    return backups;
  }

  /** The backup by its id (or its dump's name). */
  public Optional<Backup> find(String stack, String idOrFile) {
    String id = BackupFolder.idOf(idOrFile);
    return list(stack).stream().filter(b -> b.id().equals(id)).findFirst();
  }

  /** Refuses a dump whose size and SHA-256, computed on the host, differ from its metadata. */
  public void verify(Backup b) {
    String out = shell("[ -f \"$0\" ] || { echo missing; exit 0; }; sha256sum \"$0\" && stat -c %s \"$0\"",
        path(b.file().toString())).strip();
    if (out.equals("missing")) {
      throw new BackupException(BackupException.Reason.UNKNOWN_BACKUP, "The dump of backup " + b.id() + " is missing"
          + " from " + describe() + "; nothing was restored");
    }
    String[] sum = out.split("\\s+");
    DumpFile.compare(b, Long.parseLong(sum[sum.length - 1]), sum[0]);
  }

  /** The server version the dump's header names, read on the host. */
  public Optional<String> serverVersion(Backup b) {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    StreamedExec r = run(List.of("head", "-c", "4096", path(b.file().toString())), Map.of(), head,
        ContainerDatabase.QUERY_TIMEOUT);
    return r.exitCode() == 0 ? DumpFile.serverVersion(new ByteArrayInputStream(head.toByteArray())) : Optional.empty();
  }

  /** {@code pg_restore} of the dump in the volume into the database, in one transaction. */
  StreamedExec restore(Backup b, RestoreOptions options) {
    List<String> command = new ArrayList<>(List.of("pg_restore"));
    command.addAll(db.connection());
    command.addAll(List.of("--exit-on-error", "--single-transaction"));
    if (options.clean()) {
      command.addAll(List.of("--clean", "--if-exists"));
    }
    command.add(path(b.file().toString()));
    return run(command, db.environment(), new ByteArrayOutputStream(), options.timeout());
  }

  /** Applies retention to the stack's backups in the volume; returns the ids removed. */
  public List<String> retain(String stack, int keep, @Nullable Duration maxAge, Instant now) {
    List<String> removed = new ArrayList<>();
    for (Backup b : BackupFolder.expired(list(stack), keep, maxAge, now)) {
      shell("rm -f \"$0\" \"$1\"", path(b.id() + ".json"), path(b.file().toString()));
      removed.add(b.id());
    }
    return removed;
  }

  /** The mount a scratch container needs to read this volume's dumps, read-only. */
  static VolumeMount readOnlyMount(String volume) {
    return new VolumeMount("volume", volume, MOUNT, true);
  }

  /** Where a scratch container with {@link #readOnlyMount} finds the backup's dump. */
  static String pathOf(Backup b) {
    return path(b.file().toString());
  }

  /** Removes the helper (the volume and its backups stay). */
  @Override
  public void close() {
    boolean interrupted = Thread.interrupted();
    try {
      db.host.remove(helper);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
