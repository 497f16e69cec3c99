package dev.deploykit.it.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskState;
import dev.deploykit.cli.LoadGenerator;
import dev.deploykit.core.DeployEvent;
import dev.deploykit.core.DeployException;
import dev.deploykit.core.ComposeFile;
import dev.deploykit.core.Deployer;
import dev.deploykit.core.DeployResult;
import dev.deploykit.core.PruneResult;
import dev.deploykit.core.Release;
import dev.deploykit.core.Stack;
import dev.deploykit.core.Role;
import dev.deploykit.core.Service;
import dev.deploykit.core.ServiceDeploy;
import dev.deploykit.core.StackNames;
import dev.deploykit.core.engine.ContainerHealthcheck;
import dev.deploykit.core.swarm.SwarmNode;
import dev.deploykit.core.engine.PortMapping;
import dev.deploykit.core.engine.SshHost;
import dev.deploykit.core.internal.haproxy.HaproxyConfig;
import dev.deploykit.core.internal.haproxy.ServerStat;
import dev.deploykit.core.internal.haproxy.SlotGroupSwitch;
import dev.deploykit.core.internal.swarm.SwarmAccessories;
import dev.deploykit.core.internal.swarm.SwarmNames;
import dev.deploykit.core.internal.swarm.SwarmProxy;
import dev.deploykit.core.internal.swarm.SwarmServiceSpecs;
import dev.deploykit.core.internal.swarm.SwarmServices;
import dev.deploykit.core.internal.swarm.SwarmWebRelease;
import dev.deploykit.health.HealthStatus;
import dev.deploykit.health.wait.TimeSource;
import dev.deploykit.it.cli.Cli;
import dev.deploykit.it.support.TestDroplet;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.deploykit.core.swarm.SwarmHealth;
import dev.deploykit.core.swarm.SwarmStackStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.deploykit.it.release.SampleRelease;
import dev.deploykit.it.support.DropletImages;
import dev.deploykit.images.Recipes;
import dev.deploykit.it.support.StandInImageSubstitutor;
import dev.deploykit.it.support.SwarmDroplets;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The Swarm release engine's core on three test droplets formed into a swarm: web releases as
 * Swarm services on the stack's overlay (dnsrr, two replicas spread over the nodes), gated on
 * their tasks running healthy, switched in deploykit's HAProxy (a plain container on the
 * manager, published in host mode) between slot groups that resolve {@code tasks.<service>},
 * under load with every request counted; a release a node cannot run (its image missing there)
 * refused with the node's error and nothing switched.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(600)
// Long: started early when classes run side by side (it-tests/pom.xml).
@Order(2)
class SwarmReleaseSshIT {
  private static final int PROXY_PORT = 8080;
  /** The proxy port of the stack the Deployer releases. */
  private static final int DEPLOY_PORT = 8090;
  private static final String DEPLOY_STACK = "swdep";
  /** Clients of the node-loss test's load. */
  private static final int CLIENTS = 8;
  private static final String STACK = "swrel";
  private static final String BACKEND = "app";
  private static final Duration DEPLOY_TIMEOUT = Duration.ofMinutes(2);
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(20);
  private static final String V1 = "deploykit.local/sample-app:v1";
  private static final String V2 = "deploykit.local/sample-app:v2";
  private static final String V3 = "deploykit.local/sample-app:v3";

  private SwarmDroplets swarm;
  private SwarmServices services;
  private SlotGroupSwitch proxy;
  private SwarmProxy swarmProxy;
  private URI url;
  private String haproxy;
  private String postgres;

  @BeforeAll
  void start() {
    long started = System.nanoTime();
    SampleRelease.buildImages(List.of("v1", "v2", "v3"));
    haproxy = StandInImageSubstitutor.resolve(Deployer.DEFAULT_PROXY_IMAGE);
    postgres = StandInImageSubstitutor.resolve("postgres:18.1");
    swarm = SwarmDroplets.start(3, List.of(V1, V2, haproxy), PROXY_PORT, DEPLOY_PORT);
    // v3 only on the manager: the workers lack it, as a node that cannot pull would. PostgreSQL
    // only there too: the Deployer's stack pins it to the manager. The stand-ins' bases, so that
    // `deploykit deploy` resolves the proxy's image there by reuse instead of building Debian.
    List<String> managerOnly = new ArrayList<>(List.of(V3));
    managerOnly.addAll(DropletImages.standIns(Recipes.HAPROXY_3_0, Recipes.POSTGRES_18_1));
    DropletImages.give(swarm.manager(), managerOnly);
    System.out.printf("SwarmReleaseSshIT: swarm of 3 up with images, setup %d ms%n",
        (System.nanoTime() - started) / 1_000_000);
    SshHost manager = swarm.manager();
    services = new SwarmServices(manager.client(), manager.describe(), TimeSource.system());
    services.ensureOverlay(STACK);
    swarmProxy = SwarmProxy.ensure(manager, STACK, haproxy, PROXY_PORT, List.of(new HaproxyConfig.SlotGroups(
        new HaproxyConfig.Frontend(BACKEND, HaproxyConfig.LISTEN_PORT), "/", 8080, 4)), Duration.ofSeconds(60),
        TimeSource.system());
    proxy = swarmProxy.slots();
    url = URI.create("http://127.0.0.1:" + swarm.managerPort(PROXY_PORT) + "/");
  }

  @AfterAll
  void stop() {
    if (swarmProxy != null) {
      swarmProxy.close();
    }
    if (swarm != null) {
      swarm.close();
    }
  }

  @Test
  @Order(1)
  void rollingReleasesUnderLoadSpreadOverNodesWithEveryRequestCounted() throws Exception {
    SwarmWebRelease release = new SwarmWebRelease(services, proxy, TimeSource.system());
    SwarmWebRelease.Result first = release.release(BACKEND, spec("r1", V1), null, DEPLOY_TIMEOUT, DRAIN_TIMEOUT);
    System.out.printf("SwarmReleaseSshIT: first release r1: gate %d ms, total %d ms, tasks by node %s%n",
        first.gateTime().toMillis(), first.total().toMillis(), tasksByNode(first.service()));
    assertThat(tasksByNode(first.service())).as("replicas spread over nodes").hasSize(2);
    assertThat(healthyBeforeRunning(first.service())).isTrue();

    List<String> versions = List.of(V2, V1);
    String previous = first.service();
    try (LoadGenerator load = LoadGenerator.builder(url).clients(8).timeLimit(Duration.ofMinutes(6)).start()) {
      Thread.sleep(500);
      for (int i = 2; i <= 11; i++) {
        long servedBefore = load.served();
        long failedBefore = load.failed();
        SwarmWebRelease.Result r = release.release(BACKEND, spec("r" + i, versions.get(i % 2)), previous,
            DEPLOY_TIMEOUT, DRAIN_TIMEOUT);
        System.out.printf("SwarmReleaseSshIT: update %d to %s: served %d, failed %d; gate %d ms, up %d ms, drain %d ms"
                + " (%d sessions left), total %d ms, %d ms per replica replaced, tasks by node %s%n",
            i - 1, r.service(), load.served() - servedBefore, load.failed() - failedBefore, r.gateTime().toMillis(),
            r.switched().upTime().toMillis(), r.switched().drainTime().toMillis(), r.switched().leftSessions(),
            r.total().toMillis(), r.total().toMillis() / 2, tasksByNode(r.service()));
        assertThat(SwarmServiceSpecs.replicas(services.find(previous).orElseThrow().getSpec())).isZero();
        previous = r.service();
      }
      Thread.sleep(500);
      if (load.failed() > 0) {
        System.out.printf("SwarmReleaseSshIT: the proxy's last log lines:%n  %s%n",
            String.join("\n  ", swarm.manager().logs(StackNames.proxyContainer(STACK), 60)));
      }
      System.out.printf("SwarmReleaseSshIT: 10 updates under load: %d served, %d failed, %.0f req/s, by body %s%n",
          load.served(), load.failed(), load.requestsPerSecond(), load.byVersion());
      assertThat(load.failed()).as("failed requests: %s", load.failures()).isZero();
      assertThat(load.byVersion().keySet())
          .containsExactlyInAnyOrder("deploykit sample app v1", "deploykit sample app v2");
    }
    assertThat(proxy.serving(BACKEND)).extracting(ServerStat::server).allMatch(s -> s.startsWith(
        proxy.liveGroup(BACKEND).orElseThrow()));
  }

  /**
   * An accessory on the swarm: one Swarm service pinned to the manager beside its named volume
   * (made there, labelled as the stack's), gated on its task running healthy; a second run keeps
   * it as it is.
   */
  @Test
  @Order(2)
  void anAccessoryRunsPinnedToTheManagerOnItsVolumeAndASecondRunKeepsIt() throws Exception {
    Stack stack = ComposeFile.load(stackFile());
    SwarmAccessories accessories = new SwarmAccessories(swarm.manager(), services);
    String name = SwarmNames.accessoryService(STACK, "store");

    assertThat(accessories.ensure(stack)).containsExactly(new SwarmAccessories.Ready("store", name, true));
    assertThat(tasksByNode(name)).isEqualTo(Map.of(managerName(), 1L));
    String volume = StackNames.volume(STACK, "data");
    assertThat(swarm.manager().client().inspectVolumeCmd(volume).exec().getLabels())
        .containsEntry(StackNames.LABEL_STACK, STACK);
    String container = services.tasks(name).stream().filter(t -> t.getStatus().getState() == TaskState.RUNNING)
        .findFirst().orElseThrow().getStatus().getContainerStatus().getContainerID();
    assertThat(swarm.manager().client().inspectContainerCmd(container).exec().getMounts())
        .anyMatch(m -> volume.equals(m.getName()) && "/data".equals(m.getDestination().getPath()));
    long version = services.find(name).orElseThrow().getVersion().getIndex();

    assertThat(accessories.ensure(stack)).containsExactly(new SwarmAccessories.Ready("store", name, false));
    assertThat(services.find(name).orElseThrow().getVersion().getIndex()).isEqualTo(version);
  }

  /** The stack file of this class: the web service and an accessory with a named volume. */
  private Path stackFile() throws java.io.IOException {
    Path file = swarm.managerDroplet().folder().resolve("swrel-compose.yaml");
    Files.writeString(file, """
        name: swrel
        x-deploykit:
          engine: swarm
          proxy_port: 8080
        services:
          store:
            image: %1$s
            environment:
              STOP_TIMEOUT: 1s
            volumes:
              - data:/data
            healthcheck:
              test: ["CMD", "bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080"]
              interval: 1s
              timeout: 2s
              retries: 3
              start_period: 30s
            x-deploykit:
              role: accessory
              deploy_timeout: 2m
          app:
            image: %1$s
            healthcheck:
              test: ["CMD", "true"]
            deploy:
              replicas: 2
            x-deploykit:
              role: web
              health_path: /
              health_port: 8080
        volumes:
          data: {}
        """.formatted(V1));
    return file;
  }

  private String managerName() {
    return services.nodeNames().get(swarm.nodeId(0));
  }

  /**
   * What runs, as the library and the command show it: the live release's tasks by node, the
   * kept releases at 0 replicas, the proxy's live group UP; {@code deploykit status} and {@code
   * health} on a stack file with {@code engine: swarm}, over SSH to the manager, say the same.
   */
  @Test
  @Order(3)
  void statusAndHealthShowTheServicesTheirTasksByNodeAndTheProxysBackends() throws Exception {
    String serving = servingRelease();
    SwarmStackStatus status = swarm.cluster().status(STACK);
    System.out.printf("SwarmReleaseSshIT: status: %s%n", status.live());
    SwarmStackStatus.Service live = status.live().stream().filter(s -> s.name().equals(serving)).findFirst()
        .orElseThrow();
    assertThat(live.role()).isEqualTo("web");
    assertThat(live.service()).isEqualTo(BACKEND);
    assertThat(live.replicas()).isEqualTo(2);
    assertThat(live.byNode()).isEqualTo(tasksByNode(serving));
    assertThat(live.byNode()).hasSize(2);
    assertThat(status.live()).filteredOn(s -> s.role().equals("web")).hasSize(1);
    SwarmStackStatus.Service store = status.live().stream().filter(s -> s.role().equals("accessory")).findFirst()
        .orElseThrow();
    assertThat(store.name()).isEqualTo(SwarmNames.accessoryService(STACK, "store"));
    assertThat(store.release()).isNull();
    assertThat(store.byNode()).containsOnlyKeys(managerName());
    assertThat(status.services()).filteredOn(s -> s.replicas() == 0).isNotEmpty()
        .allMatch(s -> s.running() == 0);
    assertThat(status.proxyRunning()).isTrue();
    String group = proxy.liveGroup(BACKEND).orElseThrow();
    assertThat(status.proxy()).filteredOn(SwarmStackStatus.ProxyServer::up).hasSize(2)
        .allMatch(p -> p.server().startsWith(group) && p.address().endsWith(":8080"));
    assertThat(SwarmHealth.report(status, null).status()).isEqualTo(HealthStatus.UP);

    String[] access = managerAccess(stackFile());

    Cli.Result text = Cli.run(Duration.ofMinutes(2), concat("status", access));
    System.out.printf("SwarmReleaseSshIT: deploykit status:%n%s%n", text.out());
    assertThat(text.exitCode()).as(text.all()).isZero();
    assertThat(text.out()).contains(serving, "2/2", "health UP");

    Cli.Result json = Cli.run(Duration.ofMinutes(2), concat("status", concat("--json", access)));
    assertThat(json.exitCode()).as(json.all()).isZero();
    JsonNode document = new ObjectMapper().readTree(json.out());
    assertThat(document.path("engine").asText()).isEqualTo("swarm");
    assertThat(document.path("nodes")).hasSize(3);
    JsonNode shown = null;
    for (JsonNode s : document.path("services")) {
      if (s.path("name").asText().equals(serving)) {
        shown = s;
      }
    }
    assertThat(shown).as(json.out()).isNotNull();
    assertThat(shown.path("running").asInt()).isEqualTo(2);
    assertThat(shown.path("tasks")).hasSize(2);
    assertThat(document.path("proxy").path("running").asBoolean()).isTrue();
    assertThat(document.path("health").path("status").asText()).isEqualTo("UP");

    Cli.Result health = Cli.run(Duration.ofMinutes(2), concat("health", concat("--json", access)));
    System.out.printf("SwarmReleaseSshIT: deploykit health --json: %s%n", health.out());
    assertThat(health.exitCode()).as(health.all()).isZero();
    JsonNode report = new ObjectMapper().readTree(health.out());
    assertThat(report.path("status").asText()).isEqualTo("pass");
    assertThat(report.path("checks").has("proxy:" + BACKEND)).as(health.out()).isTrue();
    assertThat(report.path("checks").has("swarm:" + serving)).as(health.out()).isTrue();
    assertThat(report.path("checks").has("swarm:" + store.name())).as(health.out()).isTrue();
  }

  private static String[] concat(String first, String[] rest) {
    String[] all = new String[rest.length + 1];
    all[0] = first;
    System.arraycopy(rest, 0, all, 1, rest.length);
    return all;
  }

  @Test
  @Order(4)
  void aReleaseANodeCannotRunIsRefusedWithThatNodesErrorAndNothingIsSwitched() {
    SwarmWebRelease release = new SwarmWebRelease(services, proxy, TimeSource.system());
    String serving = servingRelease();
    String live = proxy.liveGroup(BACKEND).orElseThrow();
    // Three replicas at most one per node: two land on workers, which lack v3.
    ServiceSpec v3 = spec("bad", V3);
    v3 = SwarmServiceSpecs.scaled(v3, 3);
    v3.getTaskTemplate().getPlacement().withMaxReplicas(1);
    ServiceSpec bad = v3;

    assertThatThrownBy(() -> release.release(BACKEND, bad, serving, Duration.ofSeconds(60), DRAIN_TIMEOUT))
        .isInstanceOf(DeployException.class)
        .satisfies(e -> System.out.printf("SwarmReleaseSshIT: refused: %s%n", e.getMessage()))
        .hasMessageContaining("swrel-app-bad").hasMessageContaining("node ")
        .hasMessageContaining("No such image");
    assertThat(services.find("swrel-app-bad")).isEmpty();
    assertThat(proxy.liveGroup(BACKEND)).contains(live);
    assertThat(SwarmServiceSpecs.replicas(services.find(serving).orElseThrow().getSpec())).isEqualTo(2);
  }

  /**
   * A rollback to an older release submits that release's stored spec again (kept as JSON, as a
   * snapshot keeps it): the release comes back with its own configuration, under load.
   */
  @Test
  @Order(5)
  void aRollbackResubmitsAnOlderReleasesStoredSpecAndItServesWithItsOwnConfiguration() throws Exception {
    SwarmWebRelease release = new SwarmWebRelease(services, proxy, TimeSource.system());
    String stored = SwarmServiceSpecs.stored(spec("old", V1, Map.of("APP_VERSION", "old-config")));
    try (LoadGenerator load = LoadGenerator.builder(url).clients(4).timeLimit(Duration.ofMinutes(4)).start()) {
      Thread.sleep(500);
      SwarmWebRelease.Result old = release.release(BACKEND, SwarmServiceSpecs.restored(stored), servingRelease(),
          DEPLOY_TIMEOUT, DRAIN_TIMEOUT);
      SwarmWebRelease.Result current = release.release(BACKEND, spec("new", V2, Map.of("APP_VERSION", "new-config")),
          old.service(), DEPLOY_TIMEOUT, DRAIN_TIMEOUT);
      long servedBefore = load.served();
      SwarmWebRelease.Result back = release.release(BACKEND, SwarmServiceSpecs.restored(stored),
          current.service(), DEPLOY_TIMEOUT, DRAIN_TIMEOUT);
      Thread.sleep(1000);
      System.out.printf("SwarmReleaseSshIT: rollback to %s: gate %d ms, total %d ms; %d served since, %d failed"
              + " over the three releases, by body %s%n", back.service(), back.gateTime().toMillis(),
          back.total().toMillis(), load.served() - servedBefore, load.failed(), load.byVersion());
      assertThat(back.service()).isEqualTo(old.service());
      assertThat(load.failed()).as("failed requests: %s", load.failures()).isZero();
      assertThat(load.byVersion()).containsKeys("deploykit sample app old-config", "deploykit sample app new-config");
    }
    assertThat(body()).isEqualTo("deploykit sample app old-config\n");
    assertThat(services.find(SwarmNames.releaseService(STACK, BACKEND, "old")).orElseThrow().getSpec()
        .getTaskTemplate().getContainerSpec().getEnv()).contains("APP_VERSION=old-config");
    assertThat(SwarmServiceSpecs.replicas(services.find(SwarmNames.releaseService(STACK, BACKEND, "new"))
        .orElseThrow().getSpec())).isZero();
  }

  private String body() throws Exception {
    return get(url);
  }

  private static String get(URI uri) throws Exception {
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
      return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString()).body();
    }
  }

  /**
   * Last: it stops a node. An update under load during which worker 1 is drained and worker 2
   * then stops outright (its engine with it): the release still passes its gate, Swarm moves the
   * tasks onto the manager, the proxy follows their addresses, and every request is counted: none
   * fails during the drain, and only requests in flight to the stopped node's tasks may.
   */
  @Test
  @Order(6)
  void theDeployerReleasesOnTheClusterRollsABadReleaseBackByItselfAndRollsBackToAnOlderOne() throws Exception {
    Deployer deployer = Deployer.builder(swarm.manager()).proxyImage(haproxy).build();
    URI deployed = URI.create("http://127.0.0.1:" + swarm.managerPort(DEPLOY_PORT) + "/");

    Cli.Result first = Cli.run(Duration.ofMinutes(4), concat("deploy", concat("--version", concat("one",
        managerAccess(deployStack(V1, "one", null))))));
    System.out.printf("SwarmReleaseSshIT: deploykit deploy on the swarm:%n%s%n", first.out());
    assertThat(first.exitCode()).as(first.all()).isZero();
    assertThat(get(deployed)).contains("one");
    Release one = deployer.history(DEPLOY_STACK).live().orElseThrow();
    String db = SwarmNames.accessoryService(DEPLOY_STACK, "db");
    assertThat(tasksByNode(db)).isEqualTo(Map.of(managerName(), 1L));
    assertThat(tasksByNode(SwarmNames.releaseService(DEPLOY_STACK, "app", one.id())).values())
        .containsOnly(1L).hasSize(2);
    // db-init ran on the cluster, through a relay on the manager that is gone again.
    assertThat(first.out()).contains("database prepared");
    assertThat(sql("select string_agg(version, ',' order by installed_rank) from flyway_schema_history where success"))
        .isEqualTo("1,2,3");
    assertThat(swarm.manager().inspect(SwarmNames.relay(DEPLOY_STACK, "db"), StackNames.network(DEPLOY_STACK)))
        .isEmpty();
    assertThat(one.backup()).as("an empty database needs no backup").isNull();

    Map<String, DeployResult> results = new java.util.LinkedHashMap<>();
    DeployResult back;
    try (LoadGenerator load = LoadGenerator.builder(deployed).clients(4).timeLimit(Duration.ofMinutes(6)).start()) {
      Thread.sleep(500);
      results.put("two", deployer.deploy(ComposeFile.load(deployStack(V2, "two", null)), "two"));
      Thread.sleep(500);
      long failedBeforeSick = load.failed();
      long servedBeforeSick = load.served();
      results.put("sick", deployer.deploy(ComposeFile.load(deployStack(V2, "sick", "unhealthy-after:6s")), "sick"));
      Thread.sleep(500);
      long servedOverSick = load.served() - servedBeforeSick;
      long failedOverSick = load.failed() - failedBeforeSick;
      assertThat(get(deployed)).as("the release before the bad one serves").contains("two");
      long servedBeforeRollback = load.served();
      assertThat(SwarmServiceSpecs.replicas(services.find(SwarmNames.releaseService(DEPLOY_STACK, "app", one.id()))
          .orElseThrow().getSpec())).as("release one kept at 0 for a rollback").isZero();
      back = deployer.rollback(DEPLOY_STACK, one.id());
      Thread.sleep(500);
      System.out.printf("SwarmReleaseSshIT: deployer on the swarm under load: %d served, %d failed (%d before"
          + " the bad release; %d served, %d failed from its start to its rollback; %d served over the rollback"
          + " to the first release)%n", load.served(), load.failed(), failedBeforeSick, servedOverSick, failedOverSick,
          load.served() - servedBeforeRollback);
      // From the bad release's first short read on, the release before serves beside it (hedged):
      // HAProxy taking the bad release's servers out leaves requests a server. Nothing may fail.
      assertThat(load.failed()).as("failed requests: %s", load.failures()).isZero();
    }
    results.forEach((v, r) -> System.out.printf("SwarmReleaseSshIT: deployer release %s: %s in %d ms%s%n", v,
        r.getClass().getSimpleName(), r.elapsed().toMillis(),
        r instanceof DeployResult.RolledBack b ? ": " + b.reason() : ""));
    assertThat(results.get("two")).isInstanceOf(DeployResult.Deployed.class);
    // Release two brought V4: the database was backed up first, with pg_dump in its task's container.
    assertThat(sql("select to_regclass('public.swarm_it') is not null")).isEqualTo("t");
    String backup = deployer.history(DEPLOY_STACK).find(results.get("two").release().id()).orElseThrow().backup();
    assertThat(backup).as("release two's backup").isNotNull();
    try (var dumps = Files.walk(swarm.managerDroplet().folder().resolve("backups"))) {
      assertThat(dumps.filter(Files::isRegularFile).map(f -> f.getFileName().toString()))
          .anyMatch(name -> name.contains(backup));
    }
    assertThat(results.get("sick")).as("%s", results.get("sick")).isInstanceOfSatisfying(DeployResult.RolledBack.class,
        r -> assertThat(r.reason()).contains("turned unhealthy").contains("servers UP in the proxy"));
    Release two = results.get("two").release();
    assertThat(services.find(SwarmNames.releaseService(DEPLOY_STACK, "app", results.get("sick").release().id())))
        .as("the bad release's service is gone").isEmpty();

    System.out.printf("SwarmReleaseSshIT: rollback to %s on the swarm: %s%n", one.id(), back);
    assertThat(back).isInstanceOf(DeployResult.Deployed.class);
    assertThat(get(deployed)).as("release one's own configuration").contains("one");
    assertThat(tasksByNode(SwarmNames.releaseService(DEPLOY_STACK, "app", one.id())).values()).containsOnly(1L).hasSize(2);
    assertThat(SwarmServiceSpecs.replicas(services.find(SwarmNames.releaseService(DEPLOY_STACK, "app", two.id()))
        .orElseThrow().getSpec())).isZero();
    assertThat(deployer.history(DEPLOY_STACK).releases()).extracting(Release::outcome).containsExactly(
        Release.Outcome.SUPERSEDED, Release.Outcome.SUPERSEDED, Release.Outcome.ROLLED_BACK, Release.Outcome.LIVE);
    assertThat(deployer.history(DEPLOY_STACK).releases().getLast().rollbackOf()).isEqualTo(one.id());

    aDeployKilledInItsWatchWindowIsConvergedByTheNextRun(deployer, deployed);

    // Prune with retain 1: only the live release's service stays, and the web keeps serving.
    Stack stack = ComposeFile.load(deployStack(V1, "after-cut", null));
    String live = services.runningReleases(DEPLOY_STACK, "app", "").getFirst();
    long before = services.ofStack(DEPLOY_STACK).size();
    PruneResult pruned = deployer.prune(stack.withSettings(stack.settings().withRetain(1)));
    System.out.printf("SwarmReleaseSshIT: prune with retain 1 removed %s%n", pruned.removedContainers());
    assertThat(pruned.removedContainers()).isNotEmpty().doesNotContain(live);
    assertThat(services.ofStack(DEPLOY_STACK)).hasSize((int) (before - pruned.removedContainers().size()))
        .extracting(s -> s.getSpec().getName()).contains(live);
    assertThat(get(deployed)).contains("after-cut");

    // Down: the stack's services, its overlay, the proxy and the database's volume are gone; so
    // the node-loss test below runs alone.
    deployer.down(DEPLOY_STACK, true);
    assertThat(services.ofStack(DEPLOY_STACK)).isEmpty();
    assertThat(swarm.manager().client().listNetworksCmd().withNameFilter(SwarmNames.overlay(DEPLOY_STACK)).exec()
        .stream().map(com.github.dockerjava.api.model.Network::getName)).doesNotContain(SwarmNames.overlay(DEPLOY_STACK));
    assertThat(swarm.manager().list(Map.of(StackNames.LABEL_STACK, DEPLOY_STACK), StackNames.network(DEPLOY_STACK)))
        .isEmpty();
    assertThat(swarm.manager().client().listVolumesCmd().exec().getVolumes()).extracting(v -> v.getName())
        .noneMatch(name -> name.startsWith(DEPLOY_STACK));
  }

  /**
   * A {@code deploykit deploy} over SSH killed ({@code kill -9}) in its watch window, after the
   * switch: the proxy serves the cut release, the release before runs on, drained, and the lock is
   * left behind. The next run takes the lock over, marks the cut release interrupted, releases, and
   * leaves one release running; no request fails throughout.
   */
  private void aDeployKilledInItsWatchWindowIsConvergedByTheNextRun(Deployer deployer, URI deployed)
      throws Exception {
    List<String> before = services.runningReleases(DEPLOY_STACK, "app", "");
    assertThat(before).hasSize(1);
    List<DeployEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    Deployer rerun = Deployer.builder(swarm.manager()).proxyImage(haproxy).listener(events::add).build();
    DeployResult converged;
    try (LoadGenerator load = LoadGenerator.builder(deployed).clients(4).timeLimit(Duration.ofMinutes(5)).start()) {
      Process cut = Cli.start(Map.of(), concat("deploy", concat("--version", concat("cut",
          managerAccess(deployStack(V2, "cut", null))))));
      long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
      while (!Cli.outputSoFar(cut).contains("traffic switched") && cut.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      assertThat(Cli.outputSoFar(cut)).as("the deploy reached its switch").contains("traffic switched");
      cut.destroyForcibly().waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
      Thread.sleep(1000);
      // The cut release serves; the release before it may serve beside it, when the run was cut
      // while its watch had hedged on a short read.
      assertThat(get(deployed)).as("the proxy serves").containsAnyOf("cut", "one");

      converged = rerun.deploy(ComposeFile.load(deployStack(V1, "after-cut", null)), "after-cut");
      Thread.sleep(500);
      System.out.printf("SwarmReleaseSshIT: a deploy killed in its watch window, then a rerun: %s; under load %d"
          + " served, %d failed%n", converged, load.served(), load.failed());
      assertThat(load.failed()).as("failed requests: %s", load.failures()).isZero();
    }
    assertThat(converged).isInstanceOf(DeployResult.Deployed.class);
    assertThat(events).anyMatch(DeployEvent.LockTakenOver.class::isInstance);
    List<Release> history = deployer.history(DEPLOY_STACK).releases();
    assertThat(history.get(history.size() - 2).outcome()).isEqualTo(Release.Outcome.INTERRUPTED);
    assertThat(history.getLast().outcome()).isEqualTo(Release.Outcome.LIVE);
    assertThat(get(deployed)).contains("after-cut");
    // One release runs: the cut one and the one before it are scaled to 0, kept for a rollback.
    assertThat(services.runningReleases(DEPLOY_STACK, "app",
        SwarmNames.releaseService(DEPLOY_STACK, "app", converged.release().id()))).isEmpty();
    assertThat(SwarmServiceSpecs.replicas(services.find(before.getFirst()).orElseThrow().getSpec())).isZero();
  }

  /** One value that psql prints for {@code query}, run in the database's task container on the manager. */
  private String sql(String query) {
    String task = swarm.manager().list(Map.of("com.docker.swarm.service.name",
        SwarmNames.accessoryService(DEPLOY_STACK, "db")), SwarmNames.overlay(DEPLOY_STACK)).stream()
        .filter(dev.deploykit.core.engine.ContainerState::running).findFirst().orElseThrow().id();
    var result = swarm.manager().exec(task, List.of("psql", "-U", "app", "-d", "app", "-tAc", query),
        Duration.ofSeconds(30));
    assertThat(result.exitCode()).as(result.toString()).isZero();
    return result.output().strip();
  }

  /** This test's stack file: PostgreSQL pinned to the manager, the sample app with 2 replicas gated on /up. */
  private Path deployStack(String image, String version, @org.jspecify.annotations.Nullable String fault)
      throws java.io.IOException {
    Path folder = swarm.managerDroplet().folder();
    Path file = folder.resolve(DEPLOY_STACK + "-" + version + ".yaml");
    // The sample migrations for the first release; from the second on, one more (V4), so that
    // the second release backs the database up before it migrates.
    Path migrations = Cli.SAMPLE_MIGRATIONS;
    if (!version.equals("one")) {
      migrations = folder.resolve("migrations-v4");
      if (!Files.isDirectory(migrations)) {
        Cli.copySampleMigrations(migrations);
        Files.writeString(migrations.resolve("V4__swarm_it.sql"), "create table swarm_it (id bigint primary key);\n");
      }
    }
    Files.writeString(file, """
        name: %1$s
        x-deploykit:
          engine: swarm
          proxy_port: %2$d
          retain: 3
          db_init:
            service: db
            database: app
            user: app
            password: it-secret
            migrations: %7$s
            timeout: 2m
            backup:
              folder: %8$s
        services:
          db:
            image: %3$s
            environment:
              POSTGRES_DB: app
              POSTGRES_USER: app
              POSTGRES_PASSWORD: it-secret
            volumes:
              - pgdata:/var/lib/postgresql
            healthcheck:
              test: ["CMD-SHELL", "pg_isready -U app -d app"]
              interval: 1s
              timeout: 2s
              retries: 30
              start_period: 60s
            stop_signal: SIGINT
            x-deploykit:
              role: accessory
              deploy_timeout: 2m
          app:
            image: %4$s
            environment:
              DB_URL: jdbc:postgresql://db:5432/app
              DB_USER: app
              DB_PASSWORD: it-secret
              STOP_TIMEOUT: 5s
              APP_VERSION: %5$s
        %6$s
            healthcheck:
              test: ["CMD", "bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /up HTTP/1.0\\r\\n\\r\\n' >&3 && head -1 <&3 | grep -q ' 200 '"]
              interval: 1s
              timeout: 2s
              retries: 3
              start_period: 30s
            stop_grace_period: 10s
            deploy:
              replicas: 2
            x-deploykit:
              role: web
              health_path: /up
              health_port: 8080
              deploy_timeout: 2m
              drain_timeout: 20s
              watch_window: 20s
        volumes:
          pgdata: {}
        """.formatted(DEPLOY_STACK, DEPLOY_PORT, postgres, image, version,
        fault == null ? "" : "      SAMPLE_FAULT: " + fault, migrations, folder.resolve("backups")));
    return file;
  }

  /** {@code -f file --host ssh://... --identity ... --known-hosts ...} for the manager. */
  private String[] managerAccess(Path file) throws java.io.IOException {
    TestDroplet manager = swarm.managerDroplet();
    Path knownHosts = file.resolveSibling("known_hosts");
    Files.writeString(knownHosts, manager.knownHostsLine() + "\n");
    return new String[] {"-f", file.toString(), "--host", "ssh://" + TestDroplet.USER + "@127.0.0.1:" + manager.port(),
        "--identity", manager.userKey().toString(), "--known-hosts", knownHosts.toString()};
  }

  @Test
  @Order(7)
  void anUpdateDuringWhichOneWorkerIsDrainedAndAnotherStopsConvergesWithEveryRequestCounted() throws Exception {
    SwarmWebRelease release = new SwarmWebRelease(services, proxy, TimeSource.system());
    String serving = servingRelease();
    String next = SwarmNames.releaseService(STACK, BACKEND, "lost");
    System.out.printf("SwarmReleaseSshIT: before the node loss: %s on %s%n", serving, tasksByNode(serving));
    try (LoadGenerator load = LoadGenerator.builder(url).clients(CLIENTS).timeLimit(Duration.ofMinutes(6)).start()) {
      Thread.sleep(500);
      long started = System.nanoTime();
      CompletableFuture<SwarmWebRelease.Result> update = CompletableFuture.supplyAsync(
          () -> release.release(BACKEND, spec("lost", V2), serving, DEPLOY_TIMEOUT, DRAIN_TIMEOUT));
      awaitTasksScheduled(next, Duration.ofSeconds(60));
      long draining = System.nanoTime();
      CompletableFuture<SwarmNode> drain = CompletableFuture.supplyAsync(() -> swarm.drain(1));
      Thread.sleep(1000);
      long failedBeforeLoss = load.failed();
      swarm.stop(2);
      long lost = System.nanoTime();
      SwarmWebRelease.Result r = update.get(5, TimeUnit.MINUTES);
      long released = System.nanoTime();
      assertThat(drain.get(5, TimeUnit.MINUTES).availability()).isEqualTo(SwarmNode.Availability.DRAIN);
      long drained = System.nanoTime();
      swarm.awaitState(2, SwarmNode.State.DOWN, Duration.ofSeconds(90));
      long down = System.nanoTime();
      Map<String, Long> converged = awaitOnlyOn(next, services.nodeNames().get(swarm.nodeId(0)), 2, Duration.ofMinutes(2));
      long convergedAt = System.nanoTime();
      Thread.sleep(2000);
      System.out.printf("SwarmReleaseSshIT: node loss during an update: began draining worker 1 %d ms and stopped"
              + " worker 2 %d ms after the update began; the release ended %d ms after the stop (gate %d ms), the drain"
              + " %d ms after it began; the manager saw the node down %d ms after it stopped; the service converged (%s)"
              + " %d ms after the node's loss; served %d, failed %d%n",
          ms(draining - started), ms(lost - started), ms(released - lost), r.gateTime().toMillis(),
          ms(drained - draining), ms(down - lost), converged, ms(convergedAt - lost), load.served(), load.failed());
      if (load.failed() > 0) {
        System.out.printf("SwarmReleaseSshIT: failures %s; the proxy's last log lines:%n  %s%n", load.failures(),
            String.join("\n  ", swarm.manager().logs(StackNames.proxyContainer(STACK), 60)));
      }
      assertThat(load.served()).isPositive();
      // The drain is start-first: nothing fails while it runs. A node that stops outright takes
      // the requests in flight to its tasks with it (their connections are cut, or hang until the
      // client's timeout): at most one per client, since a client waits on its request.
      assertThat(failedBeforeLoss).as("failed before the node's loss: %s", load.failures()).isZero();
      assertThat(load.failed()).as("failed requests: %s", load.failures()).isLessThanOrEqualTo(CLIENTS);
      // A cut connection or a timeout, never an answer of the proxy's (a 503: no server to take it).
      assertThat(load.failures()).noneMatch(f -> f.startsWith("HTTP "));
      assertThat(load.byVersion()).containsKey("deploykit sample app v2");
      // The drain's extra replica is scaled away; its task leaves Docker's DNS once it stopped.
      assertThat(awaitServing(2, Duration.ofSeconds(30))).hasSize(2);
    }
    assertThat(SwarmServiceSpecs.replicas(services.find(serving).orElseThrow().getSpec())).isZero();
  }

  private String servingRelease() {
    return services.ofStack(STACK).stream()
        .filter(s -> SwarmServiceSpecs.replicas(s.getSpec()) > 0).map(s -> s.getSpec().getName())
        .filter(n -> n.startsWith(STACK + "-app-")).findFirst().orElseThrow();
  }

  /** The backend's serving servers once there are {@code count} of them, or as they are at the deadline. */
  private List<ServerStat> awaitServing(int count, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<ServerStat> serving = proxy.serving(BACKEND);
    while (serving.size() != count && System.nanoTime() - deadline < 0) {
      Thread.sleep(250);
      serving = proxy.serving(BACKEND);
    }
    return serving;
  }

  /** Waits until the service has as many tasks assigned to nodes as it has replicas. */
  private void awaitTasksScheduled(String service, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() - deadline < 0) {
      if (services.find(service).isPresent() && services.tasks(service).stream()
          .filter(t -> t.getNodeId() != null && !t.getNodeId().isEmpty()).count() >= 2) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(service + " had no tasks on nodes within " + timeout);
  }

  /** Waits until the service runs {@code replicas} tasks, all on {@code node}; returns them by node. */
  private Map<String, Long> awaitOnlyOn(String service, String node, int replicas, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, Long> byNode = Map.of();
    while (System.nanoTime() - deadline < 0) {
      byNode = tasksByNode(service);
      if (byNode.equals(Map.of(node, (long) replicas))) {
        return byNode;
      }
      Thread.sleep(250);
    }
    throw new AssertionError(service + " did not converge on " + node + " within " + timeout + ": " + byNode);
  }

  private static long ms(long nanos) {
    return nanos / 1_000_000;
  }

  private ServiceSpec spec(String release, String image) {
    return spec(release, image, Map.of());
  }

  private ServiceSpec spec(String release, String image, Map<String, String> environment) {
    Service app = Service.builder("app")
        .image(image)
        .port(new PortMapping(null, null, 8080, "tcp"))
        .healthcheck(new ContainerHealthcheck(List.of("CMD", "bash", "-c",
            "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET / HTTP/1.0\\r\\n\\r\\n' >&3 && head -1 <&3 | grep -q ' 200 '"),
            Duration.ofSeconds(1), Duration.ofSeconds(2), 3, Duration.ofSeconds(30)))
        .replicas(2)
        .stopGracePeriod(Duration.ofSeconds(10))
        .deploy(ServiceDeploy.of(Role.WEB).withHealth("/", 8080))
        .build();
    Map<String, String> env = new TreeMap<>(environment);
    env.put("STOP_TIMEOUT", "5s");
    return SwarmServiceSpecs.release(STACK, app, release, image, env);
  }

  /** Tasks running and meant to run, per node host name. */
  private Map<String, Long> tasksByNode(String service) {
    Map<String, String> nodes = services.nodeNames();
    return services.tasks(service).stream()
        .filter(t -> t.getStatus() != null && t.getStatus().getState() == TaskState.RUNNING
            && t.getDesiredState() == TaskState.RUNNING)
        .collect(Collectors.groupingBy(t -> nodes.getOrDefault(t.getNodeId(), t.getNodeId()), TreeMap::new,
            Collectors.counting()));
  }

  /** Swarm reported each running task RUNNING only once its container was healthy. */
  private boolean healthyBeforeRunning(String service) {
    SshHost[] hosts = {swarm.host(0), swarm.host(1), swarm.host(2)};
    List<Task> running = services.tasks(service).stream()
        .filter(t -> t.getStatus().getState() == TaskState.RUNNING).toList();
    for (Task t : running) {
      String container = t.getStatus().getContainerStatus().getContainerID();
      boolean found = false;
      for (SshHost h : hosts) {
        try {
          var inspected = h.client().inspectContainerCmd(container).exec();
          found = true;
          String health = inspected.getState().getHealth().getStatus();
          if (!"healthy".equals(health)) {
            return false;
          }
        } catch (com.github.dockerjava.api.exception.NotFoundException e) {
          // on another node
        }
      }
      if (!found) {
        return false;
      }
    }
    return !running.isEmpty();
  }
}
