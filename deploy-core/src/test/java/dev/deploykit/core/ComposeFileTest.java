package dev.deploykit.core;

import java.util.Optional;

import dev.deploykit.core.engine.PortMapping;
import dev.deploykit.core.engine.VolumeMount;
import dev.deploykit.core.engine.ContainerHealthcheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComposeFileTest {
  @TempDir Path dir;

  private static final String SAMPLE = """
      name: shop
      x-deploykit:
        proxy_port: 8080
        retain: 3
        notify_webhook: https://hooks.slack.com/services/T000/B000/secret-token
      x-app-env: &app-env
        LOG_LEVEL: info
      services:
        db:
          image: postgres:18.1
          environment:
            POSTGRES_PASSWORD: ${DB_PASSWORD:?set DB_PASSWORD}
          volumes:
            - pgdata:/var/lib/postgresql
          healthcheck:
            test: ["CMD-SHELL", "pg_isready -U postgres"]
            interval: 2s
            timeout: 1500ms
            retries: 10
            start_period: 1m30s
          stop_grace_period: 1m
          stop_signal: SIGINT
        app:
          image: registry.example.com/shop/app:${APP_VERSION:-1.0.0}
          command: java -jar "/app/app.jar" --port 8080
          environment:
            <<: *app-env
            DATABASE_URL: jdbc:postgresql://db:5432/shop
            FROM_SHELL:
          env_file: app.env
          ports:
            - "8080"
            - "127.0.0.1:9090:9090/tcp"
            - target: 7000
              published: 7001
          depends_on:
            db:
              condition: service_healthy
          labels:
            - team=payments
          deploy:
            replicas: 2
          restart: unless-stopped
          x-deploykit:
            role: web
            health_path: /up
            deploy_timeout: 90s
            drain_timeout: 15s
            watch_window: 45s
        worker:
          image: registry.example.com/shop/worker:1.0.0
          entrypoint: ["java", "-cp", "/app/*", "Worker"]
          environment:
            - QUEUE=default
            - FROM_SHELL
          networks: [backend]
          x-deploykit:
            role: worker
      volumes:
        pgdata: {}
      networks:
        backend: {}
      """;

  @Test
  void readsTheComposeKeysAndDeploykitsSettings() throws IOException {
    write("app.env", "# app settings\nLOG_LEVEL=debug\nexport FEATURE_X='on # literally'\nGREETING=\"hi\\nthere\"\n");
    Stack stack = load(SAMPLE, Map.of("DB_PASSWORD", "s3cret", "FROM_SHELL", "shell-value"));

    assertThat(stack.name()).isEqualTo("shop");
    assertThat(stack.settings().proxyPort()).isEqualTo(8080);
    assertThat(stack.settings().retain()).isEqualTo(3);
    assertThat(stack.services()).extracting(Service::name).containsExactly("db", "app", "worker");

    Service db = stack.service("db").orElseThrow();
    assertThat(db.role()).as("no x-deploykit: an accessory").isEqualTo(Role.ACCESSORY);
    assertThat(db.environment()).containsEntry("POSTGRES_PASSWORD", "s3cret");
    assertThat(db.volumes()).containsExactly(new VolumeMount("volume", "pgdata", "/var/lib/postgresql", false));
    ContainerHealthcheck hc = db.healthcheck().orElseThrow();
    assertThat(hc.test()).containsExactly("CMD-SHELL", "pg_isready -U postgres");
    assertThat(hc.interval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(hc.timeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(hc.retries()).isEqualTo(10);
    assertThat(hc.startPeriod()).isEqualTo(Duration.ofSeconds(90));
    assertThat(db.stopGracePeriod()).isEqualTo(Duration.ofMinutes(1));
    assertThat(db.stopSignal()).contains("SIGINT");

    Service app = stack.service("app").orElseThrow();
    assertThat(app.image()).isEqualTo("registry.example.com/shop/app:1.0.0");
    assertThat(app.command()).contains(List.of("java", "-jar", "/app/app.jar", "--port", "8080"));
    assertThat(app.environment())
        .as("environment wins over env_file; merge keys apply; a bare key takes the shell's value")
        .containsEntry("LOG_LEVEL", "info")
        .containsEntry("FEATURE_X", "on # literally")
        .containsEntry("GREETING", "hi\nthere")
        .containsEntry("DATABASE_URL", "jdbc:postgresql://db:5432/shop")
        .containsEntry("FROM_SHELL", "shell-value");
    assertThat(app.ports()).containsExactly(
        new PortMapping(null, null, 8080, "tcp"),
        new PortMapping("127.0.0.1", 9090, 9090, "tcp"),
        new PortMapping(null, 7001, 7000, "tcp"));
    assertThat(app.dependsOn()).containsExactly(new Dependency("db", Dependency.Condition.SERVICE_HEALTHY));
    assertThat(app.labels()).containsEntry("team", "payments");
    assertThat(app.replicas()).isEqualTo(2);
    assertThat(app.restart()).isEqualTo("unless-stopped");
    assertThat(app.deploy()).isEqualTo(new ServiceDeploy(Role.WEB, "/up", null,
        Duration.ofSeconds(90), Duration.ofSeconds(15), Duration.ofSeconds(45)));
    assertThat(app.probePort()).contains(8080);

    Service worker = stack.service("worker").orElseThrow();
    assertThat(worker.role()).isEqualTo(Role.WORKER);
    assertThat(worker.entrypoint()).contains(List.of("java", "-cp", "/app/*", "Worker"));
    assertThat(worker.environment()).containsEntry("QUEUE", "default").containsEntry("FROM_SHELL", "shell-value");
    assertThat(worker.networks()).containsExactly("backend");
  }

  @Test
  void neitherServicesNorSettingsPrintSecrets() throws IOException {
    write("app.env", "LOG_LEVEL=debug\n");
    Stack stack = load(SAMPLE, Map.of("DB_PASSWORD", "s3cret"));
    assertThat(stack.toString()).doesNotContain("s3cret").doesNotContain("secret-token")
        .contains("POSTGRES_PASSWORD");
  }

  @Test
  void theShellWinsOverTheDotEnvFileForInterpolation() throws IOException {
    write(".env", "TAG=from-dotenv\nOTHER=dotenv-only\n");
    Stack stack = load("""
        services:
          app:
            image: app:${TAG}-${OTHER}
        """, Map.of("TAG", "from-shell"));
    assertThat(stack.service("app").orElseThrow().image()).isEqualTo("app:from-shell-dotenv-only");
  }

  @Test
  void theStackIsNamedAfterItsFolderWhenTheFileDoesNotNameIt() throws IOException {
    Path folder = Files.createDirectories(dir.resolve("My Shop.v2"));
    Path file = folder.resolve("compose.yaml");
    Files.writeString(file, "services:\n  db:\n    image: postgres:18.1\n");
    assertThat(ComposeFile.of(file).environment(Map.of()).load().name()).isEqualTo("myshopv2");
    assertThat(ComposeFile.of(file).environment(Map.of()).projectName("other").load().name())
        .isEqualTo("other");
  }

  @Test
  void aYamlSyntaxErrorNamesTheFileAndLine() {
    assertError("services:\n  app:\n    image: [unclosed\n    ports: 1\n",
        4, null, "YAML syntax error: expected ',' or ']', but got : (while parsing a flow sequence that starts on line 3)");
  }

  @Test
  void anUnknownDeploykitKeySuggestsTheRightOne() {
    StackFileException e = assertError("""
        services:
          app:
            image: app:1
            x-deploykit:
              role: web
              helth_path: /up
        """, 6, "services.app.x-deploykit.helth_path", "unknown key (did you mean health_path?)");
    assertThat(e.getMessage()).contains("compose.yaml:6: services.app.x-deploykit.helth_path:");
  }

  @Test
  void anUnknownStackSettingIsRefused() {
    assertError("x-deploykit:\n  retian: 2\nservices:\n  db:\n    image: postgres\n",
        2, "x-deploykit.retian", "did you mean retain?");
  }

  @Test
  void aWrongTypeNamesWhatWasExpected() {
    assertError("""
        services:
          app:
            image: app:1
            ports:
              - "80"
            deploy:
              replicas: two
        """, 7, "services.app.deploy.replicas", "expected a whole number, found \"two\"");
    assertError("services:\n  app:\n    image: app:1\n    ports: 8080\n",
        4, "services.app.ports", "expected a list");
    assertError("services:\n  app:\n    image: app:1\n    environment: [A=1]\n    x-deploykit:\n      role: boss\n",
        6, "services.app.x-deploykit.role", "expected web, worker or accessory, found \"boss\"");
    assertError("services:\n  db:\n    image: db:1\n    stop_grace_period: 10\n",
        4, "services.db.stop_grace_period", "expected a duration such as 30s");
  }

  @Test
  void aMissingRequiredVariableNamesTheVariableAndItsMessage() {
    assertError("services:\n  app:\n    image: app:${VERSION:?set VERSION to the release}\n",
        3, "services.app.image", "required variable VERSION is not set: set VERSION to the release");
  }

  @Test
  void aServiceWithoutAnImageIsRefused() {
    assertError("services:\n  app:\n    ports: [\"80\"]\n", 3, "services.app",
        "image is required");
  }

  @Test
  void buildIsOutOfScopeAndSaysWhatToDo() {
    assertError("services:\n  app:\n    build: .\n    image: app:1\n", 3, "services.app.build",
        "build and push the image");
  }

  @Test
  void aWebServiceNeedsAHealthPath() {
    assertError("services:\n  app:\n    image: app:1\n    x-deploykit:\n      role: web\n",
        5, "services.app.x-deploykit", "health_path is required for a web service");
  }

  @Test
  void undeclaredVolumesAnonymousVolumesAndUnknownDependenciesAreRefused() {
    assertError("services:\n  db:\n    image: db:1\n    volumes: [\"data:/var/lib/data\"]\n",
        3, "services.db", "volume data is not declared");
    assertError("services:\n  db:\n    image: db:1\n    volumes: [\"/var/lib/data\"]\n",
        4, "services.db.volumes[0]", "anonymous volumes are lost");
    assertThatThrownBy(() -> load("services:\n  app:\n    image: a:1\n    depends_on: [db]\n", Map.of()))
        .isInstanceOf(StackFileException.class).hasMessageContaining("depends on db");
  }

  @Test
  void aMissingFileSaysHowToNameOne() {
    assertThatThrownBy(() -> ComposeFile.of(dir.resolve("nope.yaml")).environment(Map.of()).load())
        .isInstanceOf(StackFileException.class)
        .hasMessageContaining("nope.yaml")
        .hasMessageContaining("does not exist");
  }

  @Test
  void aJavaBuiltStackEqualsTheSameStackReadFromAFile() {
    Stack read = load("""
        name: demo
        services:
          app:
            image: app:1
            ports: ["8080"]
            x-deploykit: {role: web, health_path: /up}
        """, Map.of());
    Stack built = new Stack("demo", List.of(Service.builder("app").image("app:1")
        .port(new PortMapping(null, null, 8080, "tcp"))
        .deploy(ServiceDeploy.of(Role.WEB).withHealth("/up", null)).build()),
        StackSettings.defaults());
    assertThat(read).isEqualTo(built);
  }

  private static final String WITH_DB = """
      name: shop
      x-deploykit:
        db_init:
          service: db
          database: shop
          user: shop
          password: ${DB_PASSWORD}
          migrations: ./migrations
          readonly_user: shop_ro
          readonly_password: ro-secret
          timeout: 45s
      services:
        db:
          image: postgres:18.1
      """;

  @Test
  void readsTheDatabaseStep() throws IOException {
    Files.createDirectories(dir.resolve("migrations"));
    Stack stack = load(WITH_DB, Map.of("DB_PASSWORD", "db-secret"));
    DatabaseSettings db = Optional.ofNullable(stack.settings().database()).orElseThrow();
    assertThat(db.service()).isEqualTo("db");
    assertThat(db.port()).isEqualTo(5432);
    assertThat(db.password()).isEqualTo("db-secret");
    assertThat(db.migrations()).containsExactly("filesystem:" + dir.resolve("migrations").toAbsolutePath().normalize());
    assertThat(db.timeout()).isEqualTo(Duration.ofSeconds(45));
    assertThat(stack.toString()).doesNotContain("db-secret").doesNotContain("ro-secret");
  }

  @Test
  void theDatabaseStepIsValidated() throws IOException {
    assertError(WITH_DB, 8, "x-deploykit.db_init.migrations", "does not exist");
    Files.createDirectories(dir.resolve("migrations"));
    assertError(WITH_DB.replace("service: db", "service: nope"), 4, "x-deploykit.db_init",
        "service nope is not in the stack");
    assertError(WITH_DB.replace("    timeout: 45s\n", "    timeout: 45s\n    pasword: x\n"),
        12, "x-deploykit.db_init.pasword", "did you mean password?");
    assertError(WITH_DB.replace("    readonly_password: ro-secret\n", ""), 4, "x-deploykit.db_init",
        "readonly_user and readonly_password go together");
  }

  private Stack load(String yaml, Map<String, String> env) {
    try {
      Path file = dir.resolve("compose.yaml");
      Files.writeString(file, yaml);
      return ComposeFile.of(file).environment(env).load();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private StackFileException assertError(String yaml, int line, String key, String message) {
    try {
      load(yaml, Map.of());
    } catch (StackFileException e) {
      assertThat(e.line()).as(e.getMessage()).isEqualTo(line);
      assertThat(e.key().orElse(null)).as(e.getMessage()).isEqualTo(key);
      assertThat(e.getMessage()).contains(message).contains("compose.yaml");
      assertThat(e.file()).contains(dir.resolve("compose.yaml"));
      return e;
    }
    throw new AssertionError("expected a StackFileException for:\n" + yaml);
  }

  private void write(String name, String text) throws IOException {
    Files.writeString(dir.resolve(name), text);
  }
}
