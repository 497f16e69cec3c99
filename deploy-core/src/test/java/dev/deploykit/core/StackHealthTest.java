package dev.deploykit.core;

import static dev.deploykit.core.StackFixtures.STACK;
import static dev.deploykit.core.StackFixtures.accessory;
import static dev.deploykit.core.StackFixtures.proxy;
import static dev.deploykit.core.StackFixtures.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploykit.core.internal.haproxy.HaproxyConfig;
import dev.deploykit.health.CheckSpec;
import dev.deploykit.health.ComponentHealth;
import dev.deploykit.health.HealthReport;
import dev.deploykit.health.HealthStatus;
import dev.deploykit.health.checks.PostgresTarget;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StackHealthTest {
  private final Service db = accessory("db", "postgres:18.1", Probe.POSTGRES).newBuilder()
      .environment(Map.of("POSTGRES_USER", "shop", "POSTGRES_PASSWORD", "s3cret", "POSTGRES_DB", "orders")).build();
  private final Service llm = accessory("llm", "ollama/ollama:0.12.6", Probe.OLLAMA);
  private final Service cache = Service.builder("cache").image("redis:7")
      .deploy(ServiceDeploy.of(Role.ACCESSORY).withProbe(Probe.TCP).withHealthPort(6379)).build();
  private final Service files = Service.builder("files").image("minio/minio").build();
  private final Stack stack = StackFixtures.stack(StackFixtures.web(), StackFixtures.worker(), db, llm, cache, files);

  /** Every container of {@link #stack} running, the proxy publishing its listener. */
  private ListedHost everythingRuns() {
    ListedHost host = new ListedHost()
        .with(ListedHost.running("shop-proxy", proxy(), Map.of(HaproxyConfig.LISTEN_PORT, 18080)))
        .with(ListedHost.running("shop-app-r1", service("app"), Map.of()))
        .with(ListedHost.running("shop-worker-r1", service("worker"), Map.of()));
    for (String accessory : List.of("db", "llm", "cache", "files")) {
      host.with(ListedHost.running("shop-" + accessory, service(accessory), Map.of()));
    }
    return host;
  }

  private static StackHealth health(ListedHost host, Stack stack) {
    Deployer deployer = Deployer.builder(host).build();
    return deployer.health(deployer.inspect(stack));
  }

  private static List<String> names(StackHealth health, String group) {
    return health.checks().stream().filter(c -> c.groups().contains(group)).map(CheckSpec::name).toList();
  }

  @Test
  void theChecksFollowTheDeclaredRolesAndProbes() {
    try (StackHealth health = health(everythingRuns(), stack)) {
      assertThat(health.checks()).extracting(CheckSpec::name).containsExactly("proxy", "app", "app:http",
          "worker", "db", "db:postgres", "llm", "llm:ollama", "cache", "cache:tcp", "files");
      assertThat(names(health, StackHealth.LIVENESS))
          .containsExactly("proxy", "app", "worker", "db", "llm", "cache", "files");
      assertThat(names(health, StackHealth.READINESS))
          .containsExactly("proxy", "app:http", "db:postgres", "llm:ollama", "cache:tcp");
    }
  }

  @Test
  void anImageNameIsNeverTakenForAProbe() {
    Stack undeclared = StackFixtures.stack(StackFixtures.web(),
        Service.builder("db").image("postgres:18.1").environment(Map.of("POSTGRES_PASSWORD", "x")).build(),
        Service.builder("llm").image("ollama/ollama:0.12.6").build());

    try (StackHealth health = health(everythingRuns(), undeclared)) {
      assertThat(health.checks()).extracting(CheckSpec::name).containsExactly("proxy", "app", "app:http", "db", "llm");
    }
  }

  @Test
  void everyCheckReachesItsContainerThroughTheHostOnTheDeclaredPort() {
    ListedHost host = everythingRuns();
    try (StackHealth health = health(host, stack)) {
      assertThat(host.forwards).extracting(f -> f.container + ":" + f.port).containsExactly(
          "id-shop-proxy:" + HaproxyConfig.LISTEN_PORT, "id-shop-db:5432", "id-shop-llm:11434", "id-shop-cache:6379");
      assertThat(health.checks()).filteredOn(c -> c.name().equals("app:http")).singleElement()
          .satisfies(c -> assertThat(c.check().toString()).contains("127.0.0.1:1/up"));
    }
  }

  @Test
  void theWebServiceIsAskedThroughTheProxysForwardOnItsHealthPath() throws Exception {
    ListedHost host = everythingRuns();
    try (StackHealth health = health(host, stack)) {
      HealthReport ready = health.run(StackHealth.READINESS);

      ComponentHealth web = ready.check("app:http").orElseThrow();
      assertThat(web.status()).isEqualTo(HealthStatus.DOWN);
      assertThat(web.result().detail()).contains("127.0.0.1:1");
      assertThat(ready.checks()).extracting(ComponentHealth::name).doesNotContain("app", "worker", "files");
    }
  }

  @Test
  void closingClosesEveryForwardOnceAndEndsTheRuns() {
    ListedHost host = everythingRuns();
    StackHealth health = health(host, stack);

    health.close();
    health.close();

    assertThat(host.forwards).hasSize(4).allSatisfy(f -> assertThat(f.closed).isTrue());
    assertThatThrownBy(health::run).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void whatDoesNotRunIsDownAndSaysWhy() throws Exception {
    try (StackHealth health = health(new ListedHost(), stack)) {
      HealthReport report = health.run();

      assertThat(report.status()).isEqualTo(HealthStatus.DOWN);
      assertThat(report.check("proxy").orElseThrow().result().detail())
          .isEqualTo("the proxy container shop-proxy is not running");
      assertThat(report.check("db").orElseThrow().result().detail()).isEqualTo("no running container of service db");
      assertThat(report.check("db:postgres").orElseThrow().result().detail())
          .isEqualTo("no running container of service db");
      assertThat(report.check("app:http").orElseThrow().result().detail()).contains("no proxy runs for stack shop");
    }
  }

  @Test
  void aPortTheHostCannotReachIsADownCheckNotAnError() throws Exception {
    ListedHost host = everythingRuns();
    host.unreachable.add("id-shop-db");
    try (StackHealth health = health(host, stack)) {
      ComponentHealth db = health.run(StackHealth.READINESS).check("db:postgres").orElseThrow();

      assertThat(db.status()).isEqualTo(HealthStatus.DOWN);
      assertThat(db.result().detail()).startsWith("the host cannot reach port 5432 of shop-db: ");
    }
  }

  @Test
  void postgresLogsInAsDbInitDoesWhenDbInitNamesTheService() {
    DatabaseSettings dbInit = new DatabaseSettings("db", 5432, "app", "app_owner", "owner-secret", List.of(),
        null, null, Duration.ofMinutes(1));
    Stack withDbInit = new Stack(STACK, stack.services(), StackSettings.defaults().withDatabase(dbInit));
    ListedHost.Forward forward = new ListedHost.Forward("id-shop-db", 5432, new InetSocketAddress("127.0.0.1", 15432));

    PostgresTarget target = checks(withDbInit).postgres(db, forward);

    assertThat(target.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:15432/app");
    assertThat(target.user()).isEqualTo("app_owner");
    assertThat(target.password()).isEqualTo("owner-secret");
  }

  @Test
  void postgresLogsInWithTheOfficialImagesVariablesOtherwise() {
    ListedHost.Forward forward = new ListedHost.Forward("id-shop-db", 5432, new InetSocketAddress("127.0.0.1", 15432));
    Service bare = accessory("db", "postgres:18.1", Probe.POSTGRES).newBuilder()
        .environment(Map.of("POSTGRES_PASSWORD", "pw")).build();

    PostgresTarget declared = checks(stack).postgres(db, forward);
    PostgresTarget defaults = checks(stack).postgres(bare, forward);

    assertThat(declared.jdbcUrl()).endsWith("/orders");
    assertThat(declared.user()).isEqualTo("shop");
    assertThat(declared.password()).isEqualTo("s3cret");
    assertThat(defaults.jdbcUrl()).endsWith("/postgres");
    assertThat(defaults.user()).isEqualTo("postgres");
  }

  @Test
  void aStackWithoutAWebServiceHasNoProxyCheckAndAServiceNamedProxyKeepsItsName() {
    Stack workers = StackFixtures.stack(StackFixtures.worker());
    Stack named = StackFixtures.stack(StackFixtures.web(), accessory("proxy", "squid", Probe.CONTAINER));

    try (StackHealth noWeb = health(new ListedHost(), workers); StackHealth both = health(new ListedHost(), named)) {
      assertThat(noWeb.checks()).extracting(CheckSpec::name).containsExactly("worker");
      assertThat(both.checks()).extracting(CheckSpec::name).containsExactly("shop-proxy", "app", "app:http", "proxy");
    }
  }

  private static StackChecks checks(Stack stack) {
    return new StackChecks(new ListedHost(), Deployer.builder(new ListedHost()).build().inspect(stack), new ArrayList<>());
  }
}
