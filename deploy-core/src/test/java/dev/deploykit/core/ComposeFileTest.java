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
import dev.deploykit.core.engine.Resources;
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
  void theStackFileMayNameItsHost() throws IOException {
    write("compose.yaml", "x-deploykit:\n  host: ssh://deploy@203.0.113.7:2222\nservices:\n  db:\n    image: postgres\n");
    assertThat(ComposeFile.load(dir.resolve("compose.yaml")).settings().host())
        .isEqualTo("ssh://deploy@203.0.113.7:2222");
    write("compose.yaml", "services:\n  db:\n    image: postgres\n");
    assertThat(ComposeFile.load(dir.resolve("compose.yaml")).settings().host()).isNull();
  }

  @Test
  void aBadHostNamesTheFileLineAndKey() {
    assertError("x-deploykit:\n  host: ssh://deploy@:22\nservices:\n  db:\n    image: postgres\n",
        2, "x-deploykit.host", "\"ssh://deploy@:22\" names no host; expected ssh://[user@]host[:port]");
    assertError("x-deploykit:\n  retain: 2\n  host: ftp://x\nservices:\n  db:\n    image: postgres\n",
        3, "x-deploykit.host", "unknown scheme \"ftp\"");
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

  @Test
  void aDependsOnCycleIsNamedWithTheFileAndLine() {
    StackFileException e = assertError("""
        services:
          db:
            image: postgres:18.1
          a:
            image: a:1
            depends_on: [db, b]
          b:
            image: b:1
            depends_on:
              c:
                condition: service_started
          c:
            image: c:1
            depends_on: [a]
        """, 6, "services.a.depends_on", "a -> b -> c -> a depend on each other in a circle; break the cycle");
    assertThat(e.getMessage()).contains("compose.yaml:6: services.a.depends_on: a -> b -> c -> a");
    assertError("services:\n  a:\n    image: a:1\n    depends_on: [a]\n", 4, "services.a.depends_on",
        "a depends on itself");
  }

  @Test
  void aDependencyOnAnUnknownServiceNamesTheEntry() {
    assertError("services:\n  app:\n    image: a:1\n    depends_on: [databse]\n  database:\n    image: db:1\n",
        4, "services.app.depends_on[0]", "depends on databse, which is not a service of this stack"
            + " (did you mean database?)");
    assertError("services:\n  app:\n    image: a:1\n    depends_on:\n      db: {condition: service_healthy}\n",
        5, "services.app.depends_on.db", "depends on db, which is not a service of this stack");
  }

  @Test
  void aServiceWithoutDeploykitIsAnAccessoryCheckedByItsContainerState() {
    Service db = load("services:\n  db:\n    image: postgres:18.1\n", Map.of()).service("db").orElseThrow();
    assertThat(db.deploy()).isEqualTo(ServiceDeploy.of(Role.ACCESSORY));
    assertThat(db.deploy().probe()).isEqualTo(Probe.CONTAINER);
  }

  @Test
  void readsTheProbeOfEachServiceCaseInsensitively() {
    Stack stack = load("""
        services:
          db:
            image: postgres:18.1
            x-deploykit: {probe: Postgres}
          llm:
            image: ollama/ollama:0.12.6
            x-deploykit: {role: accessory, probe: OLLAMA}
          cache:
            image: redis:8
            ports: ["6379"]
            x-deploykit: {probe: tcp}
          worker:
            image: worker:1
            x-deploykit: {role: worker, probe: container}
          api:
            image: api:1
            x-deploykit: {role: worker, probe: http, health_path: /healthz, health_port: 9000}
          app:
            image: app:1
            ports: ["8080"]
            x-deploykit: {role: web, health_path: /up}
        """, Map.of());
    assertThat(stack.services()).extracting(s -> s.deploy().probe()).containsExactly(
        Probe.POSTGRES, Probe.OLLAMA, Probe.TCP, Probe.CONTAINER, Probe.HTTP, Probe.HTTP);
    assertThat(stack.service("db").orElseThrow().probePort()).contains(5432);
    assertThat(stack.service("llm").orElseThrow().probePort()).contains(11434);
    assertThat(stack.service("cache").orElseThrow().probePort()).contains(6379);
    assertThat(stack.service("api").orElseThrow().probePort()).contains(9000);
  }

  @Test
  void aWrongProbeIsAnErrorWithTheFileLineAndASuggestion() {
    assertError("services:\n  db:\n    image: postgres:18.1\n    x-deploykit:\n      probe: postgress\n",
        5, "services.db.x-deploykit.probe",
        "expected http, postgres, ollama, tcp or container, found \"postgress\" (did you mean postgres?)");
    assertError("services:\n  app:\n    image: app:1\n    x-deploykit:\n      role: web\n"
            + "      health_path: /up\n      probe: tcp\n", 7, "services.app.x-deploykit.probe",
        "a web service is probed over HTTP at its health_path");
    assertError("services:\n  api:\n    image: api:1\n    x-deploykit:\n      probe: http\n",
        5, "services.api.x-deploykit", "health_path is required with probe: http");
    assertError("services:\n  cache:\n    image: redis:8\n    x-deploykit:\n      probe: tcp\n",
        5, "services.cache.x-deploykit.probe", "probe tcp needs a port");
  }

  @Test
  void theModelsRulesAreReportedInYamlTerms() {
    String app = "services:\n  app:\n    image: app:1\n    ports: [\"8080\"]\n    x-deploykit:\n      role: web\n";
    assertError(app + "      health_path: up\n", 7, "services.app.x-deploykit.health_path",
        "health_path must start with /, found \"up\"");
    assertError(app + "      health_path: /up\n      health_port: 70000\n", 8,
        "services.app.x-deploykit.health_port", "health_port must be 1-65535, found 70000");
    assertError(app + "      health_path: /up\n      deploy_timeout: 0s\n", 8,
        "services.app.x-deploykit.deploy_timeout", "must be more than 0");
    assertError("services:\n  app:\n    image: app:1\n    deploy:\n      replicas: 0\n", 5,
        "services.app.deploy.replicas", "replicas must be at least 1, found 0");
    assertError("services:\n  app:\n    image: app:1\n    restart: sometimes\n", 4,
        "services.app.restart", "expected no, always, unless-stopped or on-failure[:N], found \"sometimes\"");
    assertError("services:\n  app:\n    image: \"  \"\n", 3, "services.app.image", "image must not be empty");
    assertError("services:\n  my app:\n    image: app:1\n", 3, "services.my app",
        "a service name must start with a letter or digit");
  }

  @Test
  void theDeploySectionReadsResourcesAndPlacement() {
    Stack stack = load("""
        services:
          app:
            image: app:1
            deploy:
              replicas: 2
              resources:
                limits: {cpus: "1.5", memory: 1g}
                reservations: {cpus: 0.25, memory: 256M}
              placement:
                constraints: ["node.role!=manager", "node.labels.zone == eu-1"]
                max_replicas_per_node: 1
          db:
            image: db:1
            deploy: {resources: {limits: {memory: "1073741824"}}}
        """, Map.of());
    Service app = stack.service("app").orElseThrow();
    assertThat(app.resources()).isEqualTo(new Resources(1_500_000_000L, 1L << 30, 250_000_000L, 256L << 20));
    assertThat(app.placement()).isEqualTo(new Placement(List.of("node.role!=manager", "node.labels.zone == eu-1"), 1));
    assertThat(stack.service("db").orElseThrow().resources()).isEqualTo(new Resources(0, 1L << 30, 0, 0));
    assertThat(stack.service("db").orElseThrow().placement()).isEqualTo(Placement.ANYWHERE);
  }

  @Test
  void updateConfigSaysWhatDeploykitDoesAndItsMonitorIsTheWatchWindow() {
    Stack stack = load("""
        services:
          app:
            image: app:1
            ports: ["8080"]
            deploy:
              update_config: {order: start-first, failure_action: rollback, monitor: 45s}
              rollback_config: {order: start-first}
            x-deploykit: {role: web, health_path: /up}
          api:
            image: api:1
            ports: ["8080"]
            deploy:
              update_config: {monitor: 45s}
            x-deploykit: {role: web, health_path: /up, watch_window: 10s}
        """, Map.of());
    assertThat(stack.service("app").orElseThrow().deploy().watchWindow()).isEqualTo(Duration.ofSeconds(45));
    assertThat(stack.service("api").orElseThrow().deploy().watchWindow()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void theDeployKeysDeploykitDoesNotRunAreRefusedWithWhy() {
    String app = "services:\n  app:\n    image: app:1\n    deploy:\n";
    assertError(app + "      update_config: {parallelism: 1}\n", 5, "services.app.deploy.update_config.parallelism",
        "update_config.parallelism is not run by deploykit: deploykit's release starts every new replica");
    assertError(app + "      update_config: {order: stop-first}\n", 5, "services.app.deploy.update_config.order",
        "update_config.order: stop-first is not run by deploykit");
    assertError(app + "      rollback_config: {failure_action: pause}\n", 5,
        "services.app.deploy.rollback_config.failure_action", "use rollback or remove it");
    assertError(app + "      restart_policy: {condition: any}\n", 5, "services.app.deploy.restart_policy",
        "deploy.restart_policy is not run by deploykit: use the service's restart: key");
    assertError(app + "      replica: 2\n", 5, "services.app.deploy.replica", "(did you mean replicas?)");
    assertError(app + "      resources: {limits: {memory: lots}}\n", 5, "services.app.deploy.resources.limits.memory",
        "expected an amount of memory such as 512m, 1g or 1073741824, found \"lots\"");
    assertError(app + "      resources: {limits: {cpus: \"-1\"}}\n", 5, "services.app.deploy.resources.limits.cpus",
        "cpus must be above 0");
    assertError(app + "      resources: {limits: {cpu: 1}}\n", 5, "services.app.deploy.resources.limits.cpu",
        "(did you mean cpus?)");
    assertError(app + "      resources: {limits: {memory: 256m}, reservations: {memory: 1g}}\n", 5,
        "services.app.deploy.resources", "the memory reservation (1073741824 bytes) is above the limit");
    assertError(app + "      placement: {constraints: [\"node.role=manager\"]}\n", 5,
        "services.app.deploy.placement.constraints[0]", "<attribute>==<value> or <attribute>!=<value>");
    assertError(app + "      placement: {preferences: [{spread: node.labels.zone}]}\n", 5,
        "services.app.deploy.placement.preferences", "spreads a service's tasks");
    assertError(app + "      placement: {max_replicas_per_node: 0}\n", 5,
        "services.app.deploy.placement.max_replicas_per_node", "must be at least 1");
  }

  @Test
  void theStacksRulesAreReportedInYamlTerms() {
    String db = "services:\n  db:\n    image: db:1\n";
    assertError("x-deploykit:\n  retain: 0\n" + db, 2, "x-deploykit.retain", "retain must be at least 1, found 0");
    assertError("x-deploykit:\n  proxy_port: 70000\n" + db, 2, "x-deploykit.proxy_port",
        "expected a port number 1-65535, found 70000");
    StackFileException e = assertError("x-deploykit:\n  notify_webhook: ftp://hooks.example.com/secret\n" + db,
        2, "x-deploykit.notify_webhook", "expected an http(s) URL");
    assertThat(e.getMessage()).doesNotContain("secret");
    assertError("name: My Shop\n" + db, 1, "name", "must be lower-case letters, digits, _ and -");
    assertError("x-deploykit:\n  engine: kubernetes\n" + db, 2, "x-deploykit.engine",
        "engine must be host (one Docker engine) or swarm (the Swarm cluster the host manages), found \"kubernetes\"");
  }

  @Test
  void theDotEnvFileInterpolatesAndPassesVariablesThrough() throws IOException {
    write(".env", """
        # read as Compose reads it
        export REGISTRY=registry.example.com
        IMAGE="${REGISTRY}/shop/app"
        TAG=${TAG:-1.0.0}
        FROM_SHELL
        """);
    Stack stack = load("services:\n  app:\n    image: ${IMAGE}:${TAG}-${FROM_SHELL:-none}\n", Map.of("FROM_SHELL", "x"));
    assertThat(stack.service("app").orElseThrow().image()).isEqualTo("registry.example.com/shop/app:1.0.0-x");
  }

  @Test
  void anEnvFileInterpolatesFromTheStacksVariablesAndTheServicesEnvironment() throws IOException {
    write(".env", "DB_HOST=db\n");
    write("app.env", """
        DB_URL=jdbc:postgresql://${DB_HOST}:5432/${DB_NAME}
        GREETING="hello
        world"
        PASSED_THROUGH
        NOT_IN_THE_SHELL
        """);
    Stack stack = load("""
        services:
          app:
            image: app:1
            env_file: [app.env]
            environment:
              DB_NAME: shop
        """, Map.of("PASSED_THROUGH", "from-shell"));
    assertThat(stack.service("app").orElseThrow().environment())
        .containsEntry("DB_URL", "jdbc:postgresql://db:5432/shop")
        .containsEntry("GREETING", "hello\nworld")
        .containsEntry("PASSED_THROUGH", "from-shell")
        .doesNotContainKey("NOT_IN_THE_SHELL");
  }

  @Test
  void aBrokenEnvFileNamesItsOwnFileAndLine() throws IOException {
    write("app.env", "A=1\nB=\"unterminated\nC=3\n");
    assertThatThrownBy(() -> load("services:\n  app:\n    image: app:1\n    env_file: app.env\n", Map.of()))
        .isInstanceOfSatisfying(StackFileException.class, e -> {
          assertThat(e.file()).contains(dir.resolve("app.env"));
          assertThat(e.line()).isEqualTo(2);
          assertThat(e.getMessage()).contains("app.env:2: B: unterminated quoted value");
        });
    assertError("services:\n  app:\n    image: app:1\n    env_file:\n      - path: nope.env\n        requird: false\n",
        6, "services.app.env_file[0].requird", "did you mean required?");
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

  @Test
  void readsTheBackupSettingOnByDefault() throws IOException {
    Files.createDirectories(dir.resolve("migrations"));
    dev.deploykit.core.backup.BackupSettings defaults =
        Optional.ofNullable(load(WITH_DB, Map.of("DB_PASSWORD", "x")).settings().database()).orElseThrow().backup();
    assertThat(defaults).isEqualTo(dev.deploykit.core.backup.BackupSettings.defaults());
    assertThat(defaults.beforeMigrations()).isTrue();
    assertThat(defaults.required()).isTrue();

    dev.deploykit.core.backup.BackupSettings off = Optional.ofNullable(load(WITH_DB.replace("    timeout: 45s\n",
        "    timeout: 45s\n    backup: false\n"), Map.of("DB_PASSWORD", "x")).settings().database()).orElseThrow().backup();
    assertThat(off.beforeMigrations()).isFalse();

    dev.deploykit.core.backup.BackupSettings block = Optional.ofNullable(load(WITH_DB.replace("    timeout: 45s\n",
        "    timeout: 45s\n    backup:\n      required: false\n      folder: ./dumps\n      keep: 4\n      max_age: 30d\n"),
        Map.of("DB_PASSWORD", "x")).settings().database()).orElseThrow().backup();
    assertThat(block.required()).isFalse();
    assertThat(block.folder()).isEqualTo(dir.resolve("dumps").toAbsolutePath().normalize());
    assertThat(block.keep()).isEqualTo(4);
    assertThat(block.maxAge()).isEqualTo(Duration.ofDays(30));
    assertThat(block.store()).isEqualTo(dev.deploykit.core.backup.BackupSettings.Store.LOCAL);
    assertThat(block.volumeOf("shop")).isEqualTo("deploykit-shop-backups");

    dev.deploykit.core.backup.BackupSettings onHost = Optional.ofNullable(load(WITH_DB.replace("    timeout: 45s\n",
        "    timeout: 45s\n    backup:\n      store: host\n      volume: shop-dumps\n"),
        Map.of("DB_PASSWORD", "x")).settings().database()).orElseThrow().backup();
    assertThat(onHost.store()).isEqualTo(dev.deploykit.core.backup.BackupSettings.Store.HOST);
    assertThat(onHost.volumeOf("shop")).isEqualTo("shop-dumps");
    assertThat(onHost.beforeMigrations()).isTrue();
  }

  @Test
  void theBackupSettingIsValidated() throws IOException {
    Files.createDirectories(dir.resolve("migrations"));
    assertError(WITH_DB.replace("    timeout: 45s\n", "    timeout: 45s\n    backup:\n      kep: 3\n"), 13,
        "x-deploykit.db_init.backup.kep", "did you mean keep?");
    assertError(WITH_DB.replace("    timeout: 45s\n", "    timeout: 45s\n    backup:\n      keep: 0\n"), 13,
        "x-deploykit.db_init.backup.keep", "at least 1");
    assertError(WITH_DB.replace("    timeout: 45s\n", "    timeout: 45s\n    backup:\n      store: disk\n"), 13,
        "x-deploykit.db_init.backup.store", "must be local (a folder on this machine) or host (a volume on the"
        + " stack's host), found \"disk\"");
    assertError(WITH_DB.replace("    timeout: 45s\n", "    timeout: 45s\n    backup:\n      volume: \"my backups\"\n"),
        13, "x-deploykit.db_init.backup.volume", "Docker volume name");
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
