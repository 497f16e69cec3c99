package dev.deploykit.bench.backup;

import dev.deploykit.core.DatabaseSettings;
import dev.deploykit.core.Service;
import dev.deploykit.core.Stack;
import dev.deploykit.core.StackNames;
import dev.deploykit.core.StackSettings;
import dev.deploykit.core.backup.Backup;
import dev.deploykit.core.backup.BackupSettings;
import dev.deploykit.core.backup.DatabaseBackups;
import dev.deploykit.core.backup.RestoreOptions;
import dev.deploykit.core.backup.RestoreResult;
import dev.deploykit.core.engine.ContainerSpec;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.engine.HostAddress;
import dev.deploykit.core.engine.SshHost;
import dev.deploykit.core.engine.StreamedExec;
import dev.deploykit.images.StandInImages;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Backup and restore throughput of {@code deploykit db backup | restore} against {@code pg_dump}
 * and {@code pg_restore} run directly in the same database container (the same server, the same
 * format and flags, the file kept inside the container), on the local engine: a PostgreSQL 18.1
 * container filled with {@code sizeMb} MB of rows, each side measured {@code rounds} times in
 * turn. Then the time the automatic backup adds to a release: a backup of a database the size of
 * the sample's. Figures only; nothing is asserted.
 *
 * <p>With {@code --host ssh://user@host[:port] [--identity FILE] [--known-hosts FILE]} the database
 * runs on that host's engine (host key verified against known_hosts): deploykit's backup streams the
 * dump through the SSH connection into a folder here and its restore streams it back, while the
 * direct tools run on the host as before, so the ratio is what the connection costs. Over SSH each
 * round also measures a backup kept in the host's volume ({@code store: host}) and its restore,
 * which never cross the connection.
 *
 * <p>Run it with {@code bench/backup.sh [sizeMb, default 1100] [rounds, default 2]}, or against a
 * test droplet with {@code bench/backup-ssh.sh}. The container, its network, the backup volume and
 * the backup folder are removed at the end.
 */
public final class BackupThroughput {
  private static final String STACK = "bench-backup";
  private static final String PASSWORD = "bench-secret";

  private BackupThroughput() {}

  public static void main(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    List<String> positional = new ArrayList<>();
    String address = null;
    Path identity = null;
    Path knownHosts = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--host" -> address = args[++i];
        case "--identity" -> identity = Path.of(args[++i]);
        case "--known-hosts" -> knownHosts = Path.of(args[++i]);
        default -> positional.add(args[i]);
      }
    }
    int sizeMb = positional.size() > 0 ? Integer.parseInt(positional.get(0)) : 1100;
    int rounds = positional.size() > 1 ? Integer.parseInt(positional.get(1)) : 2;
    boolean remote = address != null;
    Path folder = Files.createTempDirectory("deploykit-bench-backup");
    try (DockerHost host = open(address, identity, knownHosts)) {
      System.out.println("engine: " + host.describe());
      String image = StandInImages.builder(host.client()).build().resolve("postgres:18.1").image();
      String network = StackNames.network(STACK);
      String container = StackNames.accessoryContainer(STACK, "db");
      host.remove(container);
      host.ensureNetwork(network, StackNames.labels(STACK, StackNames.KIND_NETWORK));
      host.create(ContainerSpec.builder(container, image)
          .environment(Map.of("POSTGRES_DB", "app", "POSTGRES_USER", "app", "POSTGRES_PASSWORD", PASSWORD))
          .labels(StackNames.labels(STACK, StackNames.KIND_ACCESSORY)).network(network, List.of("db")).build());
      host.start(container);
      try {
        Stack stack = new Stack(STACK, List.of(Service.builder("db").image(image).build()),
            StackSettings.defaults().withDatabase(new DatabaseSettings("db", 5432, "app", "app", PASSWORD, List.of(),
                null, null, Duration.ofMinutes(1), BackupSettings.defaults().withFolder(folder).withRetention(100, null))));
        awaitReady(host, container);
        DatabaseBackups backups = DatabaseBackups.builder(host).build();
        DatabaseBackups kept = DatabaseBackups.builder(host).store(BackupSettings.Store.HOST).build();

        // The sample's database: its three tables, a few rows. What a release waits for.
        sql(host, container, "create table notes (id bigint generated always as identity primary key, body text not null,"
            + " written_by text not null, created_at timestamptz not null default now());"
            + " create table jobs (id bigint generated always as identity primary key, payload text not null);"
            + " create table worker_heartbeats (worker text primary key, seen_at timestamptz not null);"
            + " insert into notes (body, written_by) select 'note ' || g, 'bench' from generate_series(1, 100) g;"
            + " insert into jobs (payload) select 'job ' || g from generate_series(1, 100) g");
        List<Double> small = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
          long t0 = System.nanoTime();
          backups.backup(stack, "bench");
          small.add((System.nanoTime() - t0) / 1e6);
        }
        Collections.sort(small);
        System.out.printf(Locale.ROOT, "automatic backup of a sample-sized database (3 tables, 200 rows): median %.0f ms,"
            + " min %.0f ms, max %.0f ms over 5%n", small.get(2), small.get(0), small.get(4));

        long t0 = System.nanoTime();
        // Rows of hex text: a dump compresses them about as it does real text columns.
        sql(host, container, "create table big (id bigint primary key, a text, b text, c text, d text, n numeric);"
            + " insert into big select g, md5(g::text), md5((g * 3)::text), md5((g * 7)::text) || md5((g * 11)::text),"
            + " repeat(md5((g * 13)::text), 3), g * 1.5 from generate_series(1, " + (sizeMb * 3150L) + ") g");
        long dbBytes = Long.parseLong(sql(host, container, "select pg_database_size('app')"));
        System.out.printf(Locale.ROOT, "database filled: %.0f MB in %.0f s%n", dbBytes / 1e6, (System.nanoTime() - t0) / 1e9);

        List<String> conn = List.of("-h", "127.0.0.1", "-U", "app", "-d", "app", "-w");
        for (int round = 1; round <= rounds; round++) {
          long d0 = System.nanoTime();
          Backup b = backups.backup(stack, "bench");
          double ours = (System.nanoTime() - d0) / 1e9;
          d0 = System.nanoTime();
          List<String> dump = new ArrayList<>(List.of("pg_dump", "-Fc", "-f", "/tmp/direct.dump"));
          dump.addAll(conn);
          exec(host, container, dump);
          double direct = (System.nanoTime() - d0) / 1e9;
          System.out.printf(Locale.ROOT, "round %d backup: deploykit %.1f s (%.1f MB/s of database, dump %.0f MB)"
              + "  pg_dump direct %.1f s (%.1f MB/s)  ratio %.2f%n", round, ours, dbBytes / 1e6 / ours, b.sizeBytes() / 1e6,
              direct, dbBytes / 1e6 / direct, direct / ours);

          d0 = System.nanoTime();
          RestoreResult r = backups.restore(stack, b.id(), RestoreOptions.defaults().withClean(true));
          double oursRestore = (System.nanoTime() - d0) / 1e9;
          d0 = System.nanoTime();
          List<String> restore = new ArrayList<>(List.of("pg_restore", "--exit-on-error", "--single-transaction",
              "--clean", "--if-exists"));
          restore.addAll(conn);
          restore.add("/tmp/direct.dump");
          exec(host, container, restore);
          sql(host, container, "select count(*) from big");
          double directRestore = (System.nanoTime() - d0) / 1e9;
          System.out.printf(Locale.ROOT, "round %d restore: deploykit %.1f s (%.1f MB/s, %d tables counted)"
              + "  pg_restore direct %.1f s (%.1f MB/s)  ratio %.2f%n", round, oursRestore, dbBytes / 1e6 / oursRestore,
              r.tables().size(), directRestore, dbBytes / 1e6 / directRestore, directRestore / oursRestore);
          for (Backup old : backups.list(stack)) {
            if (old.volume() == null) {
              Files.deleteIfExists(old.file());
            }
          }

          if (remote) {
            d0 = System.nanoTime();
            Backup h = kept.backup(stack, "bench");
            double hostBackup = (System.nanoTime() - d0) / 1e9;
            d0 = System.nanoTime();
            kept.restore(stack, h.id(), RestoreOptions.defaults().withClean(true));
            double hostRestore = (System.nanoTime() - d0) / 1e9;
            System.out.printf(Locale.ROOT, "round %d store host (volume %s): backup %.1f s (%.1f MB/s, ratio to pg_dump"
                + " %.2f)  restore %.1f s (%.1f MB/s, ratio to pg_restore %.2f)%n", round, h.volume(), hostBackup,
                dbBytes / 1e6 / hostBackup, direct / hostBackup, hostRestore, dbBytes / 1e6 / hostRestore,
                directRestore / hostRestore);
          }
        }
      } finally {
        host.remove(container);
        host.removeNetwork(network);
        host.removeVolumes(Map.of(StackNames.LABEL_STACK, STACK));
        try (var files = Files.list(folder)) {
          for (Path f : files.toList()) {
            Files.deleteIfExists(f);
          }
        }
        Files.deleteIfExists(folder);
      }
    }
  }

  /**
   * The local engine, or the SSH host at {@code address} with the key and known_hosts given (the
   * host's key verified). A long exec sends nothing until it ends (a 1 GB insert, a {@code pg_dump
   * -f}), so engine calls may wait an hour for their first byte.
   */
  private static DockerHost open(String address, Path identity, Path knownHosts) {
    if (address == null) {
      return DockerHost.local();
    }
    HostAddress target = HostAddress.resolve(address, null, null);
    if (!target.remote()) {
      throw new IllegalArgumentException("--host takes ssh://user@host[:port], not " + address);
    }
    SshHost.Builder ssh = target.ssh().callTimeout(Duration.ofHours(1));
    if (identity != null) {
      ssh.identityFile(identity);
    }
    if (knownHosts != null) {
      ssh.knownHosts(knownHosts);
    }
    return ssh.build();
  }

  private static void awaitReady(DockerHost host, String container) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        sql(host, container, "select 1");
        return;
      } catch (RuntimeException e) {
        Thread.sleep(500);
      }
    }
    throw new IllegalStateException("PostgreSQL did not start within 2 minutes");
  }

  private static String exec(DockerHost host, String container, List<String> command) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StreamedExec r = host.execStreaming(container, command, Map.of("PGPASSWORD", PASSWORD), out, Duration.ofHours(1));
    if (r.exitCode() != 0) {
      throw new IllegalStateException(command.getFirst() + " failed: " + r.stderr());
    }
    return out.toString(StandardCharsets.UTF_8).strip();
  }

  private static String sql(DockerHost host, String container, String statement) {
    return exec(host, container, List.of("psql", "-h", "127.0.0.1", "-U", "app", "-d", "app", "-X", "-q", "-A", "-t",
        "-v", "ON_ERROR_STOP=1", "-c", statement));
  }
}
