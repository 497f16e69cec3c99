package dev.deploykit.it.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deploykit.core.Deployer;
import dev.deploykit.core.HeldLock;
import dev.deploykit.core.StackNames;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.engine.StreamedExec;
import dev.deploykit.images.Recipes;
import dev.deploykit.it.support.DockerRequired;
import dev.deploykit.it.support.StandInImageSubstitutor;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code deploykit db backup | backups | restore [--clean] [--verify]} on the local engine, as an
 * operator runs them, against the stand-in PostgreSQL 18.1 of a stack deployed by {@code deploykit
 * deploy}: a web app and a worker that hold connections, the sample migrations, small data. Then
 * every bad input of the issue: a corrupted dump, a newer server's dump, a full disk, no database,
 * a held lock, a refused password, an interrupted restore; and the automatic backup of a release
 * that migrates.
 */
@ExtendWith(DockerRequired.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 12, unit = java.util.concurrent.TimeUnit.MINUTES)
class CliDbBackupIT {
  private static final Duration TIMEOUT = Duration.ofMinutes(4);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PASSWORD = "backup-it-secret";

  private final String stack = "dbbackup-it-" + UUID.randomUUID().toString().substring(0, 8);
  private Path dir;
  private Path file;
  private Path migrations;
  private Path folder;
  private DockerHost host;
  private String backupId;

  @BeforeAll
  void stackFile() throws Exception {
    StandInImageSubstitutor.images().build(Recipes.sampleApp("v1"));
    dir = Files.createTempDirectory("deploykit-dbbackup-it");
    folder = dir.resolve("backups");
    migrations = Cli.copySampleMigrations(dir.resolve("migrations"));
    file = dir.resolve("compose.yaml");
    Files.writeString(file, """
        name: %s
        x-deploykit:
          proxy_port: %d
          db_init:
            service: db
            database: app
            user: app
            password: ${DB_PASSWORD:-%s}
            migrations: ./migrations
            backup:
              folder: ./backups
              keep: 3
        services:
          db:
            image: postgres:18.1
            environment:
              POSTGRES_DB: app
              POSTGRES_USER: app
              POSTGRES_PASSWORD: %s
            healthcheck:
              test: ["CMD-SHELL", "pg_isready -U app -d app"]
              interval: 1s
              timeout: 2s
              retries: 60
          app:
            image: deploykit.local/sample-app:v1
            environment:
              DB_URL: jdbc:postgresql://db:5432/app
              DB_USER: app
              DB_PASSWORD: %s
            ports: ["8080"]
            depends_on:
              db:
                condition: service_healthy
            stop_grace_period: 5s
            x-deploykit:
              role: web
              health_path: /up
              deploy_timeout: 60s
              drain_timeout: 5s
              watch_window: 1s
          worker:
            image: postgres:18.1
            entrypoint: ["sh", "-c"]
            command: ["trap 'exit 0' TERM; while true; do psql -h db -U app -d app -c 'select pg_sleep(3600)' >/dev/null 2>&1 & wait $$!; sleep 1; done"]
            environment:
              PGPASSWORD: %s
            stop_grace_period: 2s
            x-deploykit:
              role: worker
              deploy_timeout: 60s
        """.formatted(stack, Cli.freePort(), PASSWORD, PASSWORD, PASSWORD, PASSWORD));
    host = DockerHost.local();
  }

  @AfterAll
  void down() throws Exception {
    if (host != null) {
      Deployer.builder(host).build().down(stack, true);
      // `down --volumes` leaves backup volumes on purpose; the test's go here.
      for (String v : List.of("deploykit-" + stack + "-backups", stack + "-small-backups")) {
        try {
          host.client().removeVolumeCmd(v).exec();
        } catch (RuntimeException e) {
          // Not made by this run.
        }
      }
      host.close();
    }
  }

  /** Runs a shell script in a throwaway container with {@code volume} at /b; its output. */
  private String inVolume(String volume, String script) {
    String id = host.create(dev.deploykit.core.engine.ContainerSpec.builder(stack + "-volume-look", "deploykit.local/busybox:trixie")
        .entrypoint(List.of("sleep", "120")).labels(Map.of(StackNames.LABEL_STACK, stack))
        .volumes(List.of(new dev.deploykit.core.engine.VolumeMount("volume", volume, "/b", false))).build());
    try {
      host.start(id);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      StreamedExec r = host.execStreaming(id, List.of("sh", "-c", script), Map.of(), out, Duration.ofMinutes(1));
      assertThat(r.exitCode()).as(r.stderr()).isZero();
      return out.toString(StandardCharsets.UTF_8).strip();
    } finally {
      host.remove(id);
    }
  }

  private Cli.Result cli(String... args) throws Exception {
    return cli(Map.of(), args);
  }

  private Cli.Result cli(Map<String, String> env, String... args) throws Exception {
    return Cli.runStack(TIMEOUT, env, file, args);
  }

  private String sql(String statement) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StreamedExec r = host.execStreaming(StackNames.accessoryContainer(stack, "db"),
        List.of("psql", "-h", "127.0.0.1", "-U", "app", "-d", "app", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
            "-c", statement), Map.of("PGPASSWORD", PASSWORD), out, Duration.ofMinutes(1));
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    return out.toString(StandardCharsets.UTF_8).strip();
  }

  private static String sha256(Path f) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
  }

  @Test
  @Order(1)
  void backsUpListsAndRestoresIntoAnEmptiedDatabase() throws Exception {
    Cli.Result deploy = cli("deploy", "--version", "v1", "--bind", "127.0.0.1");
    assertThat(deploy.exitCode()).as(deploy.toString()).isZero();
    // A first release into an empty database has nothing to back up.
    assertThat(deploy.all()).doesNotContain("database backed up");
    sql("insert into notes (body, written_by) select 'note ' || g, 'it' from generate_series(1, 500) g");
    sql("insert into jobs (prompt) select 'job ' || g from generate_series(1, 200) g");

    Cli.Result backup = cli("db", "backup", "--json");
    assertThat(backup.exitCode()).as(backup.toString()).isZero();
    JsonNode b = JSON.readTree(backup.out()).path("backup");
    backupId = b.path("id").asText();
    Path dump = Path.of(b.path("file").asText());
    assertThat(dump).exists().hasParent(folder);
    assertThat(b.path("sha256").asText()).isEqualTo(sha256(dump));
    assertThat(b.path("sizeBytes").asLong()).isEqualTo(Files.size(dump));
    assertThat(b.path("serverVersion").asText()).isEqualTo("18.1");
    assertThat(b.path("liveRelease").asText()).isNotBlank();
    assertThat(folder.resolve(backupId + ".json")).exists();

    Cli.Result list = cli("db", "backups", "--json");
    assertThat(list.exitCode()).as(list.toString()).isZero();
    assertThat(JSON.readTree(list.out()).path("backups").findValuesAsText("id")).containsExactly(backupId);
    assertThat(cli("db", "backups").out()).contains(backupId, "PostgreSQL 18.1", "by hand");

    // Into a database with tables: refused, nothing touched.
    Cli.Result notEmpty = cli("db", "restore", backupId);
    assertThat(notEmpty.exitCode()).as(notEmpty.toString()).isEqualTo(2);
    assertThat(notEmpty.err()).contains("holds", "--clean").doesNotContain("Exception");

    sql("drop schema public cascade; create schema public");
    Cli.Result restore = cli("db", "restore", backupId);
    assertThat(restore.exitCode()).as(restore.toString()).isZero();
    assertThat(restore.all()).contains("connections to the database", "worker", "stopping worker", "starting worker again",
        "public.notes", "500 rows", "public.jobs", "200 rows");
    assertThat(sql("select count(*) from notes")).isEqualTo("500");
    assertThat(sql("select count(*) from jobs")).isEqualTo("200");
    assertThat(host.list(Map.of(StackNames.LABEL_STACK, stack, StackNames.LABEL_SERVICE, "worker"), "bridge"))
        .anyMatch(c -> c.running());
  }

  @Test
  @Order(2)
  void theDrillMatchesEveryTableAndRemovesItsScratchContainer() throws Exception {
    Cli.Result drill = cli("db", "restore", "--verify", backupId, "--json");
    assertThat(drill.exitCode()).as(drill.toString()).isZero();
    JsonNode doc = JSON.readTree(drill.out());
    assertThat(doc.path("matches").asBoolean()).isTrue();
    List<String> tables = doc.path("drill").path("tables").findValuesAsText("table");
    assertThat(tables).contains("public.notes", "public.jobs", "public.flyway_schema_history");
    assertThat(host.client().listContainersCmd().withShowAll(true)
        .withLabelFilter(Map.of("dev.deploykit.drill", stack)).exec()).isEmpty();

    // The drill compares with the source: a change since the backup shows.
    sql("insert into notes (body, written_by) values ('later', 'it')");
    Cli.Result differs = cli("db", "restore", "--verify", backupId);
    assertThat(differs.exitCode()).as(differs.toString()).isEqualTo(1);
    assertThat(differs.all()).contains("public.notes", "DIFFERENT", "differ");
  }

  @Test
  @Order(3)
  void cleanReplacesWhatTheDatabaseHolds() throws Exception {
    sql("insert into notes (body, written_by) select 'extra', 'it' from generate_series(1, 10)");
    Cli.Result clean = cli("db", "restore", "--clean", "--stop-web", backupId);
    assertThat(clean.exitCode()).as(clean.toString()).isZero();
    assertThat(clean.all()).contains("stopping app", "starting app again", "500 rows");
    assertThat(sql("select count(*) from notes")).isEqualTo("500");
  }

  @Test
  @Order(4)
  void aCorruptedOrTruncatedBackupIsRefusedAndTheDatabaseUntouched() throws Exception {
    Path other = dir.resolve("corrupt");
    Files.createDirectories(other);
    Files.copy(folder.resolve(backupId + ".json"), other.resolve(backupId + ".json"));
    byte[] dump = Files.readAllBytes(folder.resolve(backupId + ".dump"));
    Files.write(other.resolve(backupId + ".dump"), java.util.Arrays.copyOf(dump, dump.length / 2));
    sql("insert into notes (body, written_by) values ('kept', 'it')");
    Cli.Result r = cli("db", "--folder", other.toString(), "restore", "--clean", backupId);
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).contains("corrupted or truncated", "untouched").doesNotContain("Exception");
    assertThat(sql("select count(*) from notes")).isEqualTo("501");
  }

  @Test
  @Order(5)
  void aDumpOfANewerServerIsRefused() throws Exception {
    Path other = dir.resolve("newer");
    Files.createDirectories(other);
    byte[] dump = Files.readAllBytes(folder.resolve(backupId + ".dump"));
    // The header names the server's version as a length-prefixed string: 18.1 becomes 19.1.
    String text = new String(dump, 0, Math.min(dump.length, 512), StandardCharsets.ISO_8859_1);
    int at = text.indexOf("18.1");
    assertThat(at).isPositive();
    dump[at + 1] = '9';
    Files.write(other.resolve(backupId + ".dump"), dump);
    String meta = Files.readString(folder.resolve(backupId + ".json"))
        .replaceAll("\"sha256\" : \"[0-9a-f]+\"", "\"sha256\" : \"" + sha256(other.resolve(backupId + ".dump")) + "\"");
    Files.writeString(other.resolve(backupId + ".json"), meta);
    Cli.Result r = cli("db", "--folder", other.toString(), "restore", "--clean", backupId);
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).contains("PostgreSQL 19.1", "newer", "18.1");
  }

  @Test
  @Order(6)
  void aFullDiskRemovesThePartialFileAndSaysHowMuchWasNeeded() throws Exception {
    assumeTrue("0".equals(new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes()).strip()),
        "mounting a small tmpfs needs root");
    Path small = dir.resolve("small");
    Files.createDirectories(small);
    Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", small.toString()).start();
    assumeTrue(mount.waitFor() == 0, "mount -t tmpfs is not allowed here");
    try {
      sql("create table if not exists filler as select g, md5(g::text) from generate_series(1, 20000) g");
      Cli.Result r = cli("db", "--folder", small.toString(), "backup");
      assertThat(r.exitCode()).as(r.toString()).isEqualTo(4);
      assertThat(r.err()).contains("filled up", "free at least", "partial file was removed");
      try (var files = Files.list(small)) {
        assertThat(files.toList()).isEmpty();
      }
    } finally {
      new ProcessBuilder("umount", small.toString()).start().waitFor();
      sql("drop table if exists filler");
    }
  }

  @Test
  @Order(7)
  void noDatabaseAHeldLockAndARefusedPasswordEachSayOneLine() throws Exception {
    Path plain = dir.resolve("plain.yaml");
    Files.writeString(plain, "name: " + stack + "\nservices:\n  db:\n    image: postgres:18.1\n");
    Cli.Result none = Cli.run(TIMEOUT, Map.of(), "-f", plain.toString(), "db", "backup");
    assertThat(none.exitCode()).as(none.toString()).isEqualTo(2);
    assertThat(none.err()).contains("no x-deploykit.db_init").doesNotContain("Exception");

    Cli.Result unknown = cli("db", "restore", "20990101-000000-none");
    assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(2);
    assertThat(unknown.err()).contains("has no backup 20990101-000000-none", "deploykit db backups");

    try (HeldLock lock = Deployer.builder(host).owner("deployer@ci").build().acquireLock(stack, "deploy")) {
      Cli.Result held = cli("db", "restore", "--clean", backupId);
      assertThat(held.exitCode()).as(held.toString()).isEqualTo(3);
      assertThat(held.err()).contains("deployer@ci");
    }

    Cli.Result refused = cli(Map.of("DB_PASSWORD", "wrong"), "db", "backup");
    assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(4);
    assertThat(refused.err()).contains("refused the password", "x-deploykit.db_init.password")
        .doesNotContain("wrong", "Exception");
    try (var files = Files.list(folder)) {
      assertThat(files.filter(f -> f.toString().endsWith(".partial")).toList()).isEmpty();
    }
  }

  @Test
  @Order(9)
  void aReleaseThatMigratesBacksUpFirstAndRecordsTheBackupRetentionKeepsThree() throws Exception {
    Files.writeString(migrations.resolve("V4__tags.sql"), "create table tags (id bigint primary key, name text);\n");
    Cli.Result deploy = cli("deploy", "--version", "v1-tags", "--bind", "127.0.0.1", "--json");
    assertThat(deploy.exitCode()).as(deploy.toString()).isZero();
    assertThat(deploy.err()).contains("database backed up before 1 pending migration(s)");
    Cli.Result releases = cli("releases", "--json");
    JsonNode last = null;
    for (JsonNode r : JSON.readTree(releases.out()).path("releases")) {
      last = r;
    }
    String auto = last.path("backup").asText();
    assertThat(auto).isNotBlank();
    JsonNode listed = JSON.readTree(cli("db", "backups", "--json").out()).path("backups");
    assertThat(listed.findValuesAsText("id")).first().isEqualTo(auto);
    assertThat(listed.get(0).path("reason").asText()).contains("before release " + last.path("id").asText());
    assertThat(listed.size()).isLessThanOrEqualTo(3);

    // Nothing pending: no backup.
    Cli.Result again = cli("deploy", "--version", "v1-again", "--bind", "127.0.0.1");
    assertThat(again.exitCode()).as(again.toString()).isZero();
    assertThat(again.all()).doesNotContain("database backed up");
  }

  @Test
  @Order(10)
  void aBackupKeptOnTheHostIsListedVerifiedOnTheHostDrilledAndRestored() throws Exception {
    String volume = "deploykit-" + stack + "-backups";
    Cli.Result backup = cli("db", "backup", "--store", "host", "--json");
    assertThat(backup.exitCode()).as(backup.toString()).isZero();
    JsonNode doc = JSON.readTree(backup.out());
    JsonNode b = doc.path("backup");
    String id = b.path("id").asText();
    assertThat(doc.path("store").asText()).isEqualTo("host");
    assertThat(b.path("volume").asText()).isEqualTo(volume);
    assertThat(b.path("serverVersion").asText()).isEqualTo("18.1");
    assertThat(backup.out()).doesNotContain(PASSWORD);
    // The dump and its metadata are in the volume, with the SHA-256 and size of the bytes there;
    // nothing came to the folder here.
    assertThat(inVolume(volume, "sha256sum /b/" + id + ".dump | cut -d' ' -f1; stat -c %s /b/" + id + ".dump; ls /b"))
        .isEqualTo(b.path("sha256").asText() + "\n" + b.path("sizeBytes").asLong() + "\n" + id + ".dump\n" + id + ".json");
    assertThat(folder.resolve(id + ".dump")).doesNotExist();
    assertThat(host.client().listContainersCmd().withShowAll(true)
        .withLabelFilter(Map.of("dev.deploykit.backup-helper", stack)).exec()).isEmpty();

    // Both kinds are listed, each saying where it is (the text line's `host`/`local`: DbBackupCommandTest).
    JsonNode listed = JSON.readTree(cli("db", "backups", "--json").out());
    assertThat(listed.path("volume").asText()).isEqualTo(volume);
    assertThat(listed.path("backups").findValuesAsText("id")).first().isEqualTo(id);
    assertThat(listed.path("backups").get(0).path("volume").asText()).isEqualTo(volume);
    assertThat(listed.path("backups").get(1).path("volume").isNull()).isTrue();

    Cli.Result drill = cli("db", "restore", "--verify", id);
    assertThat(drill.exitCode()).as(drill.toString()).isZero();
    assertThat(drill.all()).contains("checking the SHA-256 of backup " + id + " on", "every row count and checksum equal");

    long notes = Long.parseLong(sql("select count(*) from notes"));
    sql("drop schema public cascade; create schema public");
    Cli.Result restore = cli("db", "restore", id);
    assertThat(restore.exitCode()).as(restore.toString()).isZero();
    assertThat(restore.all()).contains("from the backup volume " + volume, "public.notes", notes + " rows");
    assertThat(sql("select count(*) from notes")).isEqualTo(Long.toString(notes));

    // A dump changed in the volume is refused by the checksum taken on the host, nothing touched.
    inVolume(volume, "printf x >> /b/" + id + ".dump");
    Cli.Result corrupt = cli("db", "restore", "--clean", id);
    assertThat(corrupt.exitCode()).as(corrupt.toString()).isEqualTo(2);
    assertThat(corrupt.err()).contains("corrupted or truncated", "volume " + volume, "untouched");
    assertThat(sql("select count(*) from notes")).isEqualTo(Long.toString(notes));
  }

  @Test
  @Order(11)
  void aFullBackupVolumeRemovesThePartialFileAndSaysHowMuchWasNeeded() throws Exception {
    String small = stack + "-small-backups";
    host.client().createVolumeCmd().withName(small).withDriver("local")
        .withDriverOpts(Map.of("type", "tmpfs", "device", "tmpfs", "o", "size=64k")).exec();
    // The stack's setting (not the flag) chooses the host and names the volume.
    Path onHost = dir.resolve("on-host.yaml");
    Files.writeString(onHost, Files.readString(file).replace("      keep: 3\n",
        "      keep: 3\n      store: host\n      volume: " + small + "\n"));
    sql("create table if not exists filler as select g, md5(g::text) from generate_series(1, 20000) g");
    try {
      Cli.Result r = Cli.runStack(TIMEOUT, Map.of(), onHost, "db", "backup");
      assertThat(r.exitCode()).as(r.toString()).isEqualTo(4);
      assertThat(r.err()).contains("The backup volume " + small, "filled up", "the database is", "are free there",
          "free at least", "partial file was removed").doesNotContain("Exception");
      assertThat(r.err().strip().lines().filter(l -> l.contains("filled up")).count()).isEqualTo(1);
      assertThat(inVolume(small, "ls -A /b")).isEmpty();
      assertThat(host.client().listContainersCmd().withShowAll(true)
          .withLabelFilter(Map.of("dev.deploykit.backup-helper", stack)).exec()).isEmpty();
    } finally {
      sql("drop table if exists filler");
    }
  }

  /**
   * Holds a lock on {@code notes} in a session of its own until {@link #release}, so that a
   * {@code pg_restore --clean} waits half way through its transaction (after the objects it drops
   * first) for as long as the test needs.
   */
  private Thread block() {
    Thread t = new Thread(() -> host.execStreaming(StackNames.accessoryContainer(stack, "db"), List.of("psql", "-h",
        "127.0.0.1", "-U", "app", "-d", "app", "-X", "-q", "-c", "begin; lock table notes in access share mode;"
        + " select pg_sleep(600)"), Map.of("PGPASSWORD", PASSWORD, "PGAPPNAME", "it-blocker"),
        java.io.OutputStream.nullOutputStream(), Duration.ofMinutes(11)));
    t.start();
    return t;
  }

  private void release(Thread blocker) throws InterruptedException {
    sql("select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'it-blocker'");
    blocker.join(60_000);
  }

  /** Waits until a pg_restore session waits for the blocker's lock: the restore is half way. */
  private void awaitBlockedRestore(Process restore) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (sql("select count(*) from pg_stat_activity where application_name = 'pg_restore'"
        + " and wait_event_type = 'Lock'").equals("0")) {
      assertThat(restore.isAlive()).as(Cli.outputSoFar(restore)).isTrue();
      assertThat(System.nanoTime()).as("pg_restore never reached the lock").isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  private boolean workerRuns() {
    return host.list(Map.of(StackNames.LABEL_STACK, stack, StackNames.LABEL_SERVICE, "worker"), "bridge").stream()
        .anyMatch(c -> c.running());
  }

  @Test
  @Order(12)
  void aRestoreKilledHalfWayIsSaidByTheNextRunWhichFinishesIt() throws Exception {
    Cli.Result backup = cli("db", "backup", "--json");
    assertThat(backup.exitCode()).as(backup.toString()).isZero();
    String id = JSON.readTree(backup.out()).path("backup").path("id").asText();
    String before = sql("select count(*) from notes");
    sql("insert into notes (body, written_by) values ('after the backup', 'it')");
    String after = Long.toString(Long.parseLong(before) + 1);

    // SIGTERM (Ctrl-C, a CI runner's cancel) while pg_restore is half way: cancelled, rolled back.
    Thread blocker = block();
    Process restore = Cli.start(Map.of(), "-f", file.toString(), "db", "restore", "--clean", id);
    awaitBlockedRestore(restore);
    restore.destroy();
    Cli.Result killed = Cli.await(restore, TIMEOUT);
    release(blocker);
    assertThat(killed.exitCode()).as(killed.toString()).isEqualTo(130);
    assertThat(sql("select count(*) from notes")).isEqualTo(after);
    assertThat(workerRuns()).isTrue();
    Cli.Result status = cli("db", "backups");
    assertThat(status.exitCode()).as(status.toString()).isZero();
    assertThat(status.err()).contains("restore of backup " + id, "did not finish", "holds what it held before",
        "deploykit db restore --clean " + id);

    // kill -9 half way: nothing cancels pg_restore, which waits on; the next run says it still runs
    // and that the worker is stopped; once pg_restore is through, that it restored but left the
    // worker stopped; the restore that finishes starts it again.
    blocker = block();
    Process restore9 = Cli.start(Map.of(), "-f", file.toString(), "db", "restore", "--clean", id);
    awaitBlockedRestore(restore9);
    restore9.destroyForcibly();
    assertThat(Cli.await(restore9, TIMEOUT).exitCode()).isEqualTo(137);
    assertThat(workerRuns()).isFalse();
    assertThat(cli("db", "backups").err()).contains("restore of backup " + id, "still running", "(worker) are still stopped");
    release(blocker);
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (!sql("select count(*) from pg_stat_activity where application_name = 'pg_restore'").equals("0")) {
      assertThat(System.nanoTime()).as("pg_restore never ended").isLessThan(deadline);
      Thread.sleep(200);
    }
    assertThat(sql("select count(*) from notes")).isEqualTo(before);
    assertThat(cli("db", "backups").err()).contains("restore of backup " + id, "restored the database", "(worker)",
        "deploykit db restore --clean " + id);

    // The dead run's lock is taken over: its process, on this machine, no longer exists.
    Cli.Result finish = cli("db", "restore", "--clean", id);
    assertThat(finish.exitCode()).as(finish.toString()).isZero();
    assertThat(finish.all()).contains("restored the database", "starting worker again");
    assertThat(workerRuns()).isTrue();
    assertThat(sql("select count(*) from notes")).isEqualTo(before);
    for (String marker : List.of(".deploykit-restore.json", ".deploykit-restore-stopped.json")) {
      assertThat(host.readFile(StackNames.accessoryContainer(stack, "db"), "/var/lib/postgresql/" + marker)).isEmpty();
    }
  }
}
