package dev.deploykit.core.internal.backup;

import dev.deploykit.core.DeployException;
import dev.deploykit.core.Stack;
import dev.deploykit.core.StackNames;
import dev.deploykit.core.backup.Backup;
import dev.deploykit.core.backup.BackupException;
import dev.deploykit.core.backup.RestoreOptions;
import dev.deploykit.core.backup.TableCount;
import dev.deploykit.core.engine.ContainerState;
import dev.deploykit.core.engine.StreamedExec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The restore itself, once the checksum, the version and the lock are settled: connections
 * named, workers (and, if asked, web services) stopped, the marker written, the dump copied into
 * the container and restored there by {@code pg_restore} in one transaction, the services started
 * again, the tables counted.
 */
public final class Restorer {
  /** How long an interrupted restore waits for its pg_restore to be gone (the command winds down in 15 s). */
  private static final Duration END_RESTORE_WAIT = Duration.ofSeconds(5);

  private final ContainerDatabase db;
  private final Stack stack;
  private final Consumer<String> say;

  public Restorer(ContainerDatabase db, Stack stack, Consumer<String> say) {
    this.db = db;
    this.stack = stack;
    this.say = say;
  }

  /** The services (by their containers' addresses on the stack network) that hold connections. */
  public Map<String, Integer> connections() {
    Map<String, String> byAddress = new HashMap<>();
    String network = StackNames.network(stack.name());
    for (ContainerState c : db.host.list(Map.of(StackNames.LABEL_STACK, stack.name()), network)) {
      if (c.ipAddress() != null) {
        byAddress.put(c.ipAddress(), c.label(StackNames.LABEL_SERVICE).orElse(c.name()));
      }
    }
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String[] row : db.connections()) {
      String who = byAddress.getOrDefault(row[0], "local".equals(row[0]) ? "local socket" : "client " + row[0]);
      counts.merge(who, 1, Integer::sum);
    }
    return counts;
  }

  /** Refuses a database that holds tables unless {@code clean}. */
  public void requireEmpty(boolean clean) {
    List<String> tables = db.tables();
    if (!tables.isEmpty() && !clean) {
      throw new BackupException(BackupException.Reason.TARGET_NOT_EMPTY, "The " + db.describe() + " holds "
          + tables.size() + " table(s) (" + String.join(", ", tables.subList(0, Math.min(5, tables.size())))
          + (tables.size() > 5 ? ", ..." : "") + "); nothing was restored: add --clean to replace them with"
          + " the backup");
    }
  }

  /** The running app containers to stop: every worker, and the web services when asked. */
  public List<ContainerState> toStop(RestoreOptions options) {
    String network = StackNames.network(stack.name());
    List<ContainerState> stop = new ArrayList<>();
    for (ContainerState c : db.host.list(Map.of(StackNames.LABEL_STACK, stack.name(), StackNames.LABEL_KIND,
        StackNames.KIND_APP), network)) {
      String role = c.label(StackNames.LABEL_ROLE).orElse("");
      if (c.running() && ("worker".equals(role) || ("web".equals(role)
          && options.web() == RestoreOptions.WebDuringRestore.STOP))) {
        stop.add(c);
      }
    }
    return stop;
  }

  /** Restores; the containers in {@code stop} are stopped first and started again after. */
  public List<TableCount> restore(Backup b, RestoreOptions options, List<ContainerState> stop, String owner,
      java.time.Instant now, @org.jspecify.annotations.Nullable VolumeStore volume) {
    // Services an earlier, killed run left stopped are started again with these.
    List<ContainerState> start = new ArrayList<>(stop);
    String network = StackNames.network(stack.name());
    for (String id : RestoreMarker.leftStopped(db)) {
      db.host.inspect(id, network).filter(c -> !c.running() && start.stream().noneMatch(s -> s.id().equals(c.id())))
          .ifPresent(start::add);
    }
    if (!start.isEmpty()) {
      RestoreMarker.writeStopped(db, b.id(), now, owner, start);
    }
    for (ContainerState c : stop) {
      say.accept("stopping " + c.label(StackNames.LABEL_SERVICE).orElse(c.name()) + " (" + c.name() + ") for the restore");
      db.host.stop(c.id(), grace(c));
    }
    try {
      RestoreMarker.write(db, b.id(), now, owner);
      StreamedExec result;
      try {
        result = volume != null ? restoreFromVolume(b, options, volume) : restoreFromFile(b, options);
      } catch (DeployException e) {
        if (e.reason() == DeployException.Reason.INTERRUPTED) {
          Thread.interrupted();
          try {
            if (!db.endRestores(END_RESTORE_WAIT)) {
              say.accept("pg_restore in " + db.container + " may still be running: deploykit db backups says"
                  + " whether it finished");
            }
          } finally {
            Thread.currentThread().interrupt();
          }
        }
        throw ContainerDatabase.engine("pg_restore in " + db.container + " failed", e);
      }
      if (result.exitCode() != 0) {
        RestoreMarker.remove(db);
        throw new BackupException(BackupException.Reason.FAILED, "pg_restore of backup " + b.id() + " into the "
            + db.describe() + " failed (exit " + result.exitCode() + "): " + ContainerDatabase.firstLine(result.stderr())
            + "; it ran in one transaction, so the database holds what it held before");
      }
      return db.counts();
    } finally {
      boolean interrupted = Thread.interrupted();
      try {
        for (ContainerState c : start) {
          say.accept("starting " + c.label(StackNames.LABEL_SERVICE).orElse(c.name()) + " again");
          db.host.start(c.id());
        }
        if (!start.isEmpty()) {
          RestoreMarker.removeStopped(db);
        }
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  /** The dump copied into the database container and restored there; the marker goes there on success. */
  private StreamedExec restoreFromFile(Backup b, RestoreOptions options) {
    String file = "/tmp/deploykit-restore-" + b.id() + ".dump";
    say.accept("copying backup " + b.id() + " (" + DumpWriter.mb(b.sizeBytes()) + ") into " + db.container);
    try (InputStream in = Files.newInputStream(b.file())) {
      db.host.copyFile(db.container, file, in, b.sizeBytes(), 0644);
    } catch (IOException e) {
      throw new BackupException(BackupException.Reason.FAILED, "Cannot read " + b.file() + ": " + e.getMessage(), e);
    } catch (DeployException e) {
      throw ContainerDatabase.engine("Copying backup " + b.id() + " into " + db.container + " failed", e);
    }
    say.accept("restoring into the " + db.describe() + (options.clean() ? ", replacing what it holds" : ""));
    StringBuilder restore = new StringBuilder("pg_restore");
    for (String arg : db.connection()) {
      restore.append(' ').append(quote(arg));
    }
    restore.append(" --exit-on-error --single-transaction");
    if (options.clean()) {
      restore.append(" --clean --if-exists");
    }
    // The marker goes only when pg_restore succeeded, inside the container: a marker found later
    // means this restore did not finish, whatever became of this process.
    String script = restore + " \"$0\"; rc=$?; rm -f \"$0\"; if [ $rc -eq 0 ]; then rm -f " + RestoreMarker.PATH
        + "; fi; exit $rc";
    return db.run(List.of("sh", "-c", script, file), new ByteArrayOutputStream(), options.timeout());
  }

  /**
   * pg_restore in the volume's helper, reading the dump where it lies on the host. The marker is
   * removed from here once it succeeded: a process killed in between leaves a marker that says the
   * restore did not finish, and finishing it (--clean) is harmless.
   */
  private StreamedExec restoreFromVolume(Backup b, RestoreOptions options, VolumeStore volume) {
    say.accept("restoring backup " + b.id() + " from " + volume.describe() + " into the " + db.describe()
        + (options.clean() ? ", replacing what it holds" : ""));
    StreamedExec result = volume.restore(b, options);
    if (result.exitCode() == 0) {
      RestoreMarker.remove(db);
    }
    return result;
  }

  private static Duration grace(ContainerState c) {
    return Duration.ofSeconds(30);
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
