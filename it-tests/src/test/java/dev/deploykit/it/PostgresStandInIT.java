package dev.deploykit.it;

import static dev.deploykit.it.support.Sql.queryAll;
import static dev.deploykit.it.support.Sql.queryOne;
import static dev.deploykit.it.support.Sql.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Volume;
import dev.deploykit.it.support.DockerRequired;
import dev.deploykit.it.support.Sql;
import dev.deploykit.it.support.StandInImageSubstitutor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.containers.output.ToStringConsumer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * postgres:18.1 as Testcontainers users start it, whether the official image or deploykit's
 * stand-in runs: version, first-start init scripts, authentication, dump and restore.
 */
@ExtendWith(DockerRequired.class)
class PostgresStandInIT {
  private static final Logger log = LoggerFactory.getLogger(PostgresStandInIT.class);
  private static final DockerImageName POSTGRES = DockerImageName.parse("postgres:18.1");
  private static final String READY = "database system is ready to accept connections";

  @Test
  void testcontainersPostgresModuleStartsItUnchangedAndItIs18_1() throws SQLException {
    try (PostgreSQLContainer pg = new PostgreSQLContainer(POSTGRES)) {
      pg.start();
      try (Connection c = Sql.connect(pg.getJdbcUrl(), pg.getUsername(), pg.getPassword())) {
        String version = queryOne(c, "select version()");
        log.info("postgres:18.1 ran as {} and answered: {}", pg.getDockerImageName(), version);
        assertThat(version).startsWith("PostgreSQL 18.1 ");
        assertThat(queryOne(c, "show server_version")).isEqualTo("18.1");
        assertThat(queryOne(c, "show data_directory")).isEqualTo("/var/lib/postgresql/18/docker");
        assertThat(queryOne(c, "select current_user")).isEqualTo(pg.getUsername());
      }
      // The server runs as the postgres user, not as root.
      ExecResult uid = exec(pg, "sh", "-c", "awk '/^Uid:/ {print $2}' /proc/1/status");
      assertThat(uid.getStdout().strip()).isEqualTo("999");
    }
  }

  @Test
  void initScriptsRunOnFirstStartOnlyAndDataSurvivesARestartOnTheSameVolume() throws Exception {
    DockerClient docker = DockerClientFactory.instance().client();
    String volume = "deploykit-it-pgdata-" + UUID.randomUUID();
    docker.createVolumeCmd().withName(volume).exec();
    try {
      String firstLog;
      try (GenericContainer<?> first = postgresOnVolume(volume, 2)) {
        first.start();
        try (Connection c = connect(first)) {
          assertThat(queryAll(c, "select source from init_runs order by ran_at, source"))
              .containsExactly("sql", "sh");
          update(c, "insert into notes (body) values ('written before the restart')");
        }
        // A clean stop (SIGINT, the image's stop signal), as `docker stop` does it.
        docker.stopContainerCmd(first.getContainerId()).withTimeout(30).exec();
        firstLog = first.getLogs();
      }
      assertThat(occurrences(firstLog, READY))
          .as("temporary socket-only server, then the real one").isEqualTo(2);
      assertThat(firstLog).contains("running /docker-entrypoint-initdb.d/01-schema.sql")
          .contains("running /docker-entrypoint-initdb.d/02-record.sh")
          .contains("PostgreSQL init process complete; ready for start up.");

      try (GenericContainer<?> second = postgresOnVolume(volume, 1)) {
        second.start();
        try (Connection c = connect(second)) {
          assertThat(queryAll(c, "select source from init_runs order by ran_at, source"))
              .as("init scripts did not run again").containsExactly("sql", "sh");
          assertThat(queryAll(c, "select body from notes"))
              .containsExactly("written before the restart");
        }
        String secondLog = second.getLogs();
        assertThat(occurrences(secondLog, READY)).isEqualTo(1);
        assertThat(secondLog).contains("Skipping initialization").doesNotContain("initdb.d/01");
      }
    } finally {
      docker.removeVolumeCmd(volume).exec();
    }
  }

  @Test
  void tcpRefusesAWrongPasswordAndAcceptsTheRightOne() throws SQLException {
    try (PostgreSQLContainer pg = new PostgreSQLContainer(POSTGRES)) {
      pg.start();
      assertThatThrownBy(() -> Sql.connect(pg.getJdbcUrl(), pg.getUsername(), "not-the-password"))
          .isInstanceOfSatisfying(SQLException.class,
              e -> assertThat(e.getSQLState()).as("invalid_password").isEqualTo("28P01"));
      try (Connection c = Sql.connect(pg.getJdbcUrl(), pg.getUsername(), pg.getPassword())) {
        assertThat(queryAll(c,
            "select auth_method from pg_hba_file_rules where type = 'host' and address = 'all'"))
            .as("the rule the entrypoint adds for TCP").containsExactly("scram-sha-256");
        assertThat(queryOne(c, "show password_encryption")).isEqualTo("scram-sha-256");
      }
    }
  }

  @Test
  void refusesToStartWithoutAPasswordAndSaysWhy() throws Exception {
    DockerClient docker = DockerClientFactory.instance().client();
    String image = StandInImageSubstitutor.resolve("postgres:18.1");
    CreateContainerResponse created = docker.createContainerCmd(image)
        .withLabels(java.util.Map.of("dev.deploykit.test", "PostgresStandInIT"))
        .exec();
    try {
      docker.startContainerCmd(created.getId()).exec();
      Integer exitCode = docker.waitContainerCmd(created.getId())
          .exec(new WaitContainerResultCallback())
          .awaitStatusCode(60, TimeUnit.SECONDS);
      assertThat(exitCode).isEqualTo(1);
      ToStringConsumer output = new ToStringConsumer();
      try (var logs = docker.logContainerCmd(created.getId()).withStdOut(true).withStdErr(true)
          .exec(new com.github.dockerjava.api.async.ResultCallback.Adapter<com.github.dockerjava.api.model.Frame>() {
            @Override
            public void onNext(com.github.dockerjava.api.model.Frame frame) {
              output.accept(new OutputFrame(OutputFrame.OutputType.STDOUT, frame.getPayload()));
            }
          })) {
        logs.awaitCompletion(30, TimeUnit.SECONDS);
      }
      assertThat(output.toUtf8String())
          .contains("Database is uninitialized and superuser password is not specified")
          .contains("POSTGRES_PASSWORD")
          .contains("POSTGRES_HOST_AUTH_METHOD=trust");
    } finally {
      docker.removeContainerCmd(created.getId()).withForce(true).withRemoveVolumes(true).exec();
    }
  }

  @Test
  void pgDumpFromTheImageDumpsAndPsqlRestoresIntoAFreshContainer(@TempDir Path tmp)
      throws Exception {
    Path dump = tmp.resolve("shop.sql");
    try (PostgreSQLContainer source = new PostgreSQLContainer(POSTGRES).withDatabaseName("shop")) {
      source.start();
      try (Connection c = Sql.connect(source.getJdbcUrl(), source.getUsername(), source.getPassword())) {
        update(c, "create table orders (id bigint primary key, item text not null, price numeric(8,2))");
        update(c, "insert into orders values (1, 'tea', 3.50), (2, 'café crème', 4.20), (3, 'scone', 2.75)");
      }
      ExecResult dumped = exec(source, "pg_dump", "--username", source.getUsername(),
          "--dbname", "shop", "--no-owner", "--file", "/tmp/shop.sql");
      assertThat(dumped.getExitCode()).as(dumped.getStderr()).isZero();
      source.copyFileFromContainer("/tmp/shop.sql", dump.toString());
    }
    String text = Files.readString(dump, StandardCharsets.UTF_8);
    assertThat(text).contains("-- Dumped from database version 18.1")
        .containsPattern("-- Dumped by pg_dump version 18\\.\\d+");
    log.info("pg_dump wrote {} bytes ({})", text.length(),
        text.lines().filter(l -> l.startsWith("-- Dumped")).toList());

    try (PostgreSQLContainer target = new PostgreSQLContainer(POSTGRES).withDatabaseName("shop")) {
      target.start();
      target.copyFileToContainer(MountableFile.forHostPath(dump), "/tmp/shop.sql");
      ExecResult restored = exec(target, "psql", "-v", "ON_ERROR_STOP=1", "--username",
          target.getUsername(), "--dbname", "shop", "--file", "/tmp/shop.sql");
      assertThat(restored.getExitCode()).as(restored.getStderr()).isZero();
      try (Connection c = Sql.connect(target.getJdbcUrl(), target.getUsername(), target.getPassword())) {
        assertThat(queryAll(c, "select id || ':' || item || ':' || price from orders order by id"))
            .containsExactly("1:tea:3.50", "2:café crème:4.20", "3:scone:2.75");
      }
    }
  }

  private static GenericContainer<?> postgresOnVolume(String volume, int readyLines) {
    return new GenericContainer<>(POSTGRES)
        .withEnv("POSTGRES_PASSWORD", "it-secret")
        .withEnv("POSTGRES_DB", "app")
        .withExposedPorts(5432)
        .withCopyFileToContainer(MountableFile.forClasspathResource("initdb/01-schema.sql"),
            "/docker-entrypoint-initdb.d/01-schema.sql")
        .withCopyFileToContainer(MountableFile.forClasspathResource("initdb/02-record.sh", 0755),
            "/docker-entrypoint-initdb.d/02-record.sh")
        .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig()
            .withBinds(new Bind(volume, new Volume("/var/lib/postgresql"))))
        .waitingFor(Wait.forLogMessage(".*" + READY + ".*\\s", readyLines)
            .withStartupTimeout(Duration.ofMinutes(2)));
  }

  private static Connection connect(GenericContainer<?> pg) throws SQLException {
    String url = "jdbc:postgresql://" + pg.getHost() + ":" + pg.getMappedPort(5432) + "/app";
    return Sql.connect(url, "postgres", "it-secret");
  }

  private static ExecResult exec(GenericContainer<?> container, String... command) {
    try {
      return container.execInContainer(command);
    } catch (Exception e) {
      throw new AssertionError("exec " + String.join(" ", command) + " failed", e);
    }
  }

  private static int occurrences(String text, String needle) {
    Matcher m = Pattern.compile(Pattern.quote(needle)).matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }
}
