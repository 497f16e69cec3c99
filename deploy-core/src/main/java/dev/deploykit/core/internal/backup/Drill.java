package dev.deploykit.core.internal.backup;

import dev.deploykit.core.DeployException;
import dev.deploykit.core.backup.Backup;
import dev.deploykit.core.backup.BackupException;
import dev.deploykit.core.backup.DrillResult;
import dev.deploykit.core.backup.TableCount;
import dev.deploykit.core.engine.ContainerSpec;
import dev.deploykit.core.engine.ContainerState;
import dev.deploykit.core.engine.StreamedExec;
import dev.deploykit.health.wait.Await;
import dev.deploykit.health.wait.AwaitResult;
import dev.deploykit.health.wait.TimeSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * A restore drill: a scratch PostgreSQL container of the database's own image on the same host,
 * the dump restored into it, every table's rows and checksum compared with the source database,
 * the scratch container removed whatever happened.
 */
public final class Drill {
  /** The label of scratch containers, whose value is the stack. */
  public static final String LABEL = "dev.deploykit.drill";
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);

  private final ContainerDatabase source;
  private final TimeSource time;
  private final Consumer<String> say;

  public Drill(ContainerDatabase source, TimeSource time, Consumer<String> say) {
    this.source = source;
    this.time = time;
    this.say = say;
  }

  public DrillResult run(String stack, Backup b, ContainerState sourceContainer, Duration timeout)
      throws InterruptedException {
    long t0 = time.nanoTime();
    String image = sourceContainer.image();
    String name = stack + "-db-drill-" + b.id() + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt())
        .substring(4);
    String password = HexFormat.of().formatHex(java.security.SecureRandom.getSeed(12));
    Map<String, String> env = new LinkedHashMap<>();
    env.put("POSTGRES_USER", source.user);
    env.put("POSTGRES_PASSWORD", password);
    env.put("POSTGRES_DB", source.database);
    say.accept("starting scratch PostgreSQL " + name);
    ContainerSpec.Builder spec = ContainerSpec.builder(name, image).environment(env).labels(Map.of(LABEL, stack));
    if (b.volume() != null) {
      // A backup kept on the host: the scratch server reads it from its volume, read-only.
      spec.volumes(List.of(VolumeStore.readOnlyMount(b.volume())));
    }
    String id = source.host.create(spec.build());
    try {
      source.host.start(id);
      ContainerDatabase scratch = new ContainerDatabase(source.host, id, "drill", "127.0.0.1", 5432, source.database,
          source.user, password);
      AwaitResult<List<String[]>> ready = Await.atMost(READY_TIMEOUT).timeSource(time)
          .call(deadline -> scratch.query("select 1"));
      if (!(ready instanceof AwaitResult.Satisfied)) {
        throw new BackupException(BackupException.Reason.FAILED, "The scratch PostgreSQL " + name + " did not"
            + " accept connections within " + READY_TIMEOUT.toSeconds() + " s: " + String.join(" | ",
            source.host.logs(id, 5)));
      }
      String file = "/tmp/deploykit-drill.dump";
      say.accept("restoring backup " + b.id() + " into " + name);
      if (b.volume() != null) {
        file = VolumeStore.pathOf(b);
      } else {
        try (InputStream in = Files.newInputStream(b.file())) {
          source.host.copyFile(id, file, in, b.sizeBytes(), 0644);
        } catch (IOException e) {
          throw new BackupException(BackupException.Reason.FAILED, "Cannot read " + b.file() + ": " + e.getMessage(), e);
        }
      }
      List<String> command = new ArrayList<>(List.of("pg_restore"));
      command.addAll(scratch.connection());
      // The scratch server lacks the source's other roles: owners and grants are not the drill's point.
      command.addAll(List.of("--exit-on-error", "--single-transaction", "--no-owner", "--no-privileges", file));
      StreamedExec result = scratch.run(command, new ByteArrayOutputStream(), timeout);
      if (result.exitCode() != 0) {
        throw new BackupException(BackupException.Reason.FAILED, "The restore drill of backup " + b.id()
            + " failed: pg_restore (exit " + result.exitCode() + "): " + ContainerDatabase.firstLine(result.stderr()));
      }
      say.accept("comparing every table's rows and checksum with the " + source.describe());
      List<TableCount> restored = scratch.census();
      List<TableCount> original = source.census();
      return new DrillResult(b, image, compare(original, restored), Duration.ofNanos(time.nanoTime() - t0));
    } catch (DeployException e) {
      throw ContainerDatabase.engine("The restore drill of backup " + b.id() + " failed", e);
    } finally {
      boolean interrupted = Thread.interrupted();
      try {
        source.host.remove(id);
        say.accept("removed scratch PostgreSQL " + name);
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  static List<DrillResult.Comparison> compare(List<TableCount> source, List<TableCount> restored) {
    Map<String, TableCount> a = new LinkedHashMap<>();
    source.forEach(t -> a.put(t.table(), t));
    Map<String, TableCount> b = new LinkedHashMap<>();
    restored.forEach(t -> b.put(t.table(), t));
    TreeSet<String> names = new TreeSet<>(a.keySet());
    names.addAll(b.keySet());
    return names.stream().map(n -> new DrillResult.Comparison(n, a.get(n), b.get(n))).toList();
  }
}
