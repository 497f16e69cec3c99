package dev.deploykit.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input to the built command: each ends with its documented exit code and a one- or two-line
 * message saying what, where and what to do, without a stack trace. None needs a Docker engine.
 */
class CliBadInputIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void unknownCommandSuggestsTheClosest() throws Exception {
    Cli.Result r = Cli.run(TIMEOUT, "deplyo");
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).contains("Unmatched argument", "'deplyo'", "Did you mean", "deploy");
    assertThat(r.err()).doesNotContain("Exception");
  }

  @Test
  void unknownOptionSuggestsTheClosest() throws Exception {
    Cli.Result r = Cli.run(TIMEOUT, "deploy", "--verison", "v2");
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).contains("Unknown option", "--verison", "--version");
  }

  @Test
  void missingStackFileSaysWhereItLookedAndHowToNameOne() throws Exception {
    Path missing = dir.resolve("nope.yaml");
    Cli.Result r = Cli.run(TIMEOUT, "-f", missing.toString(), "deploy");
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).contains("No stack file at " + missing, "-f FILE");
    assertThat(r.err().lines().count()).isLessThanOrEqualTo(2);
  }

  @Test
  void aBackupOfAStackOnASwarmClusterSaysWhatDoesInsteadBeforeAnyConnection() throws Exception {
    Path file = Cli.ROOT.resolve("examples/swarm/compose.yaml");
    Cli.Result r = Cli.run(TIMEOUT, "-f", file.toString(), "db", "backup");
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).contains(file.toString(), "runs on a Swarm cluster", "does not back up or restore yet",
        "backs the database up before it migrates");
    assertThat(r.err()).doesNotContain("Exception");
  }

  @Test
  void stackFileErrorNamesFileLineAndKey() throws Exception {
    Path file = dir.resolve("compose.yaml");
    Files.writeString(file, """
        name: broken
        services:
          app:
            image: example/app:1
            x-deploykit:
              role: web
              helth_path: /up
        """);
    Cli.Result r = Cli.run(TIMEOUT, "deploy", "-f", file.toString());
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
    assertThat(r.err()).contains(file + ":7", "helth_path", "health_path");
    assertThat(r.err()).contains("nothing on the host was touched").doesNotContain("\tat ");
  }

  @Test
  void noDockerEngineSaysHowToStartOne() throws Exception {
    Path file = dir.resolve("compose.yaml");
    Files.writeString(file, """
        name: no-engine
        services:
          db:
            image: postgres:18.1
        """);
    Cli.Result r = Cli.run(TIMEOUT, Map.of("DOCKER_HOST", "unix://" + dir.resolve("no-such.sock")),
        "-f", file.toString(), "status");
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(4);
    assertThat(r.err()).contains("No Docker engine answers", "no-such.sock", "Start one", "dockerd");
    assertThat(r.err()).doesNotContain("\tat ");
  }

  @Test
  void verboseShowsTheStackTrace() throws Exception {
    Cli.Result r = Cli.run(TIMEOUT, Map.of("DOCKER_HOST", "unix://" + dir.resolve("no-such.sock")),
        "-f", Cli.ROOT.resolve("examples/compose.yaml").toString(), "status", "--verbose");
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(4);
    assertThat(r.err()).contains("\tat ");
  }

  @Test
  void theLauncherSaysToBuildFirstWhenTheJarIsMissing() throws Exception {
    Path launcher = dir.resolve("deploykit");
    Files.copy(Cli.LAUNCHER, launcher);
    Process p = new ProcessBuilder(launcher.toString(), "demo").redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(output).isEqualTo(4);
    assertThat(output).contains("not built yet", "./mvnw -q install -DskipTests");
  }

  @Test
  void helpListsCommandsAndExitCodes() throws Exception {
    Cli.Result r = Cli.run(TIMEOUT, "--help");
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.out()).contains("deploy", "rollback", "status", "releases", "health", "db-init", "logs",
        "lock", "prune", "config", "demo", "Exit codes:", "3    the stack's deploy lock");
  }

  @Test
  void configRedactsSecrets() throws Exception {
    Path file = dir.resolve("compose.yaml");
    Files.writeString(file, """
        name: secrets
        x-deploykit:
          notify_webhook: https://hooks.slack.example/services/T000/B000/very-secret-token
        services:
          db:
            image: postgres:18.1
            environment:
              POSTGRES_PASSWORD: hunter2-db
              API_TOKEN: hunter2-token
              DATABASE_URL: postgres://app:hunter2-url@db:5432/app
              PLAIN: visible-value
        """);
    for (String json : new String[] {"--no-color", "--json"}) {
      Cli.Result r = Cli.run(TIMEOUT, "-f", file.toString(), "config", json);
      assertThat(r.exitCode()).as(r.toString()).isZero();
      assertThat(r.all()).contains("visible-value", "***").doesNotContain("hunter2", "very-secret-token");
    }
  }

  @Test
  void configCheckReportsMissingUnknownAndEmptyVariablesOfAnEnvFile() throws Exception {
    Path stack = Cli.ROOT.resolve("examples/compose.yaml");
    Path env = dir.resolve(".env.production");
    Files.writeString(env, "DB_PASSWORD=hunter2\nAPP_VERSON=v2\nOLLAMA_MODEL=\n");
    Path strict = dir.resolve("compose.yaml");
    Files.writeString(strict, Files.readString(stack).replace("${APP_VERSION:-v1}", "${APP_VERSION:?set APP_VERSION}"));
    Cli.Result r = Cli.run(TIMEOUT, "-f", strict.toString(), "config", "--env-file", env.toString(), "--check");
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
    assertThat(r.out()).contains("1 missing, 1 unknown, 1 empty", "missing  APP_VERSION", "unknown  APP_VERSON",
        "empty    OLLAMA_MODEL").doesNotContain("hunter2");

    Cli.Result json = Cli.run(TIMEOUT, "--json", "-f", strict.toString(), "config", "--env-file", env.toString(), "--check");
    assertThat(json.exitCode()).as(json.toString()).isEqualTo(2);
    var doc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out());
    assertThat(doc.get("status").asText()).isEqualTo("bad_input");
    assertThat(doc.get("missing").toString()).isEqualTo("[\"APP_VERSION\"]");
    assertThat(doc.get("unknown").toString()).isEqualTo("[\"APP_VERSON\"]");
    assertThat(doc.get("empty").toString()).isEqualTo("[\"OLLAMA_MODEL\"]");
    assertThat(json.out()).doesNotContain("hunter2");

    Files.writeString(env, "DB_PASSWORD=hunter2\nAPP_VERSION=v2\n");
    Cli.Result ok = Cli.run(TIMEOUT, "-f", strict.toString(), "config", "--env-file", env.toString(), "--check");
    assertThat(ok.exitCode()).as(ok.toString()).isZero();
    assertThat(ok.out()).contains("0 missing, 0 unknown, 0 empty");
  }
}
