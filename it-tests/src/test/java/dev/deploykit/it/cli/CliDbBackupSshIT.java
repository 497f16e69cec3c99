package dev.deploykit.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deploykit.core.StackNames;
import dev.deploykit.images.Recipes;
import dev.deploykit.it.support.DockerRequired;
import dev.deploykit.it.support.DropletImages;
import dev.deploykit.it.support.TestDroplet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
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
 * {@code deploykit --host ssh://... db backup | backups | restore [--verify]} against a droplet:
 * the dump streams from the droplet's database container through the SSH connection into a folder
 * here, and back for a restore; the drill's scratch container runs on the droplet and is removed;
 * a release that migrates backs up first. Small data.
 */
@ExtendWith(DockerRequired.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 12, unit = java.util.concurrent.TimeUnit.MINUTES)
// Among the longest classes: started first when classes run side by side (it-tests/pom.xml).
@Order(4)
class CliDbBackupSshIT {
  private static final Duration TIMEOUT = Duration.ofMinutes(5);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String STACK = "dbbackup-ssh";

  private TestDroplet droplet;
  private String address;
  private Path file;
  private Path migrations;
  private Path folder;
  private String backupId;

  @BeforeAll
  void start() throws Exception {
    droplet = TestDroplet.start();
    address = "ssh://" + TestDroplet.USER + "@127.0.0.1:" + droplet.port();
    // The stand-ins with their bases, so that the deploy's --images local reuses them there
    // instead of building Debian on the droplet (two minutes of this class otherwise).
    droplet.loadImages(DropletImages.standIns(Recipes.POSTGRES_18_1, Recipes.BUSYBOX, Recipes.HAPROXY_3_0)
        .toArray(String[]::new));
    Path dir = Files.createDirectories(droplet.folder().resolve("dbbackup"));
    folder = dir.resolve("backups");
    migrations = Cli.copySampleMigrations(dir.resolve("migrations"));
    file = dir.resolve("compose.yaml");
    Files.writeString(file, """
        name: %s
        x-deploykit:
          proxy_port: 8080
          db_init:
            service: db
            database: app
            user: app
            password: ssh-backup-secret
            migrations: ./migrations
            backup:
              folder: ./backups
        services:
          db:
            image: postgres:18.1
            environment:
              POSTGRES_DB: app
              POSTGRES_USER: app
              POSTGRES_PASSWORD: ssh-backup-secret
            healthcheck:
              test: ["CMD-SHELL", "pg_isready -U app -d app"]
              interval: 1s
              timeout: 2s
              retries: 60
          web:
            image: deploykit.local/busybox:trixie
            command: [sh, -c, "mkdir -p /www && echo up > /www/up && exec httpd -f -p 8080 -h /www"]
            ports: ["8080"]
            stop_grace_period: 1s
            x-deploykit:
              role: web
              health_path: /up
              drain_timeout: 1s
              watch_window: 1s
        """.formatted(STACK));
  }

  @AfterAll
  void stop() {
    if (droplet != null) {
      droplet.close();
    }
  }

  private Cli.Result cli(String... command) throws Exception {
    List<String> args = new ArrayList<>(List.of("--host", address, "-f", file.toString(), "--identity",
        droplet.userKey().toString(), "--known-hosts", droplet.knownHosts().toString()));
    args.addAll(List.of(command));
    if (command[0].equals("deploy")) {
      args.addAll(List.of("--images", "local"));
    }
    return Cli.run(TIMEOUT, java.util.Map.of("DOCKER_HOST", ""), args.toArray(String[]::new));
  }

  private String sql(String statement) {
    return droplet.must("docker", "exec", "-e", "PGPASSWORD=ssh-backup-secret", StackNames.accessoryContainer(STACK, "db"),
        "psql", "-h", "127.0.0.1", "-U", "app", "-d", "app", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c",
        statement).output().strip();
  }

  @Test
  @Order(1)
  void backsUpOverSshAndRestoresIntoAnEmptiedDatabase() throws Exception {
    Cli.Result deploy = cli("deploy", "--version", "v1");
    assertThat(deploy.exitCode()).as(deploy.toString()).isZero();
    sql("insert into notes (body, written_by) select 'note ' || g, 'ssh' from generate_series(1, 300) g");

    long t0 = System.nanoTime();
    Cli.Result backup = cli("db", "backup", "--json");
    assertThat(backup.exitCode()).as(backup.toString()).isZero();
    System.out.printf("CliDbBackupSshIT: db backup over SSH, whole process: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    assertThat(backup.err()).contains("host " + address);
    JsonNode b = JSON.readTree(backup.out()).path("backup");
    backupId = b.path("id").asText();
    Path dump = Path.of(b.path("file").asText());
    assertThat(dump).exists().hasParent(folder);
    assertThat(b.path("sha256").asText())
        .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(dump))));
    assertThat(JSON.readTree(cli("db", "backups", "--json").out()).path("backups").findValuesAsText("id"))
        .containsExactly(backupId);

    sql("drop schema public cascade; create schema public");
    t0 = System.nanoTime();
    Cli.Result restore = cli("db", "restore", backupId);
    assertThat(restore.exitCode()).as(restore.toString()).isZero();
    System.out.printf("CliDbBackupSshIT: db restore over SSH, whole process: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    assertThat(restore.all()).contains("public.notes", "300 rows");
    assertThat(sql("select count(*) from notes")).isEqualTo("300");
  }

  @Test
  @Order(2)
  void theDrillRunsOnTheDropletAndLeavesNothing() throws Exception {
    Cli.Result drill = cli("db", "restore", "--verify", backupId, "--json");
    assertThat(drill.exitCode()).as(drill.toString()).isZero();
    assertThat(JSON.readTree(drill.out()).path("matches").asBoolean()).isTrue();
    assertThat(droplet.must("docker", "ps", "-aq", "--filter", "label=dev.deploykit.drill=" + STACK).output()).isBlank();
  }

  @Test
  @Order(3)
  void aTruncatedBackupIsRefusedBeforeAnythingCrossesTheConnection() throws Exception {
    Path other = Files.createDirectories(folder.resolveSibling("corrupt"));
    Files.copy(folder.resolve(backupId + ".json"), other.resolve(backupId + ".json"));
    byte[] dump = Files.readAllBytes(folder.resolve(backupId + ".dump"));
    Files.write(other.resolve(backupId + ".dump"), java.util.Arrays.copyOf(dump, dump.length - 100));
    Cli.Result r = cli("db", "--folder", other.toString(), "restore", "--clean", backupId);
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).contains("corrupted or truncated");
    assertThat(sql("select count(*) from notes")).isEqualTo("300");
  }

  @Test
  @Order(4)
  void aReleaseThatMigratesBacksUpOverSshFirst() throws Exception {
    Files.writeString(migrations.resolve("V4__tags.sql"), "create table tags (id bigint primary key, name text);\n");
    Cli.Result deploy = cli("deploy", "--version", "v2");
    assertThat(deploy.exitCode()).as(deploy.toString()).isZero();
    assertThat(deploy.all()).contains("database backed up before 1 pending migration(s)");
    JsonNode releases = JSON.readTree(cli("releases", "--json").out()).path("releases");
    String auto = releases.get(releases.size() - 1).path("backup").asText();
    assertThat(auto).isNotBlank();
    assertThat(folder.resolve(auto + ".dump")).exists();
  }

  @Test
  @Order(5)
  void aBackupKeptOnTheDropletNeverCrossesTheConnectionAndRestoresFromThere() throws Exception {
    String volume = "deploykit-" + STACK + "-backups";
    Cli.Result backup = cli("db", "backup", "--store", "host", "--json");
    assertThat(backup.exitCode()).as(backup.toString()).isZero();
    JsonNode b = JSON.readTree(backup.out()).path("backup");
    String id = b.path("id").asText();
    assertThat(b.path("volume").asText()).isEqualTo(volume);
    assertThat(folder.resolve(id + ".dump")).doesNotExist();
    // The dump lies in the droplet's volume with the size and SHA-256 its metadata records.
    String image = droplet.must("docker", "inspect", "-f", "{{.Image}}", StackNames.accessoryContainer(STACK, "db"))
        .output().strip();
    assertThat(droplet.must("docker", "run", "--rm", "-v", volume + ":/b", "--entrypoint", "sh", image, "-c",
        "sha256sum /b/" + id + ".dump | cut -d' ' -f1; stat -c %s /b/" + id + ".dump").output().strip())
        .isEqualTo(b.path("sha256").asText() + "\n" + b.path("sizeBytes").asLong());
    assertThat(droplet.must("docker", "ps", "-aq", "--filter", "label=dev.deploykit.backup-helper=" + STACK).output())
        .isBlank();
    JsonNode listed = JSON.readTree(cli("db", "backups", "--json").out()).path("backups");
    assertThat(listed.get(0).path("id").asText()).isEqualTo(id);
    assertThat(listed.get(0).path("volume").asText()).isEqualTo(volume);

    Cli.Result drill = cli("db", "restore", "--verify", id);
    assertThat(drill.exitCode()).as(drill.toString()).isZero();
    String notes = sql("select count(*) from notes");
    sql("drop schema public cascade; create schema public");
    Cli.Result restore = cli("db", "restore", id);
    assertThat(restore.exitCode()).as(restore.toString()).isZero();
    assertThat(restore.all()).contains("from the backup volume " + volume, "public.notes", notes + " rows");
    assertThat(sql("select count(*) from notes")).isEqualTo(notes);
  }
}
