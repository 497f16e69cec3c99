package dev.deploykit.it.remote;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploykit.cli.LoadGenerator;
import dev.deploykit.core.DeployEvent;
import dev.deploykit.core.DeployException;
import dev.deploykit.core.DeployResult;
import dev.deploykit.core.Deployer;
import dev.deploykit.core.Service;
import dev.deploykit.core.Stack;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.engine.SshHost;
import dev.deploykit.it.release.SampleRelease;
import dev.deploykit.it.support.DelayRelay;
import dev.deploykit.it.support.DockerRequired;
import dev.deploykit.it.support.DropletImages;
import dev.deploykit.it.support.StandInImageSubstitutor;
import dev.deploykit.it.support.TestDroplet;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
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
 * The release protocol on a droplet over SSH, on the sample stack of {@code examples/compose.yaml}
 * with load running through the droplet's published proxy port: a first deploy, ten swaps of the
 * app and the worker and a rollback without a failed request; then the SSH connection cut (its
 * sshd processes killed on the droplet) at eight points of a release, each run ending cleanly
 * and a rerun converging; then the gate's probe and the drain's poll timed through the forwards,
 * on loopback and behind a relay adding a WAN's round trip, and two swaps there. Prints the
 * figures: per deploy over SSH and on the local engine, wall time, healthy to switched, drain,
 * SSH connections and engine calls.
 */
@ExtendWith(DockerRequired.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(900)
// Among the longest classes: started first when classes run side by side (it-tests/pom.xml).
@Order(1)
class ReleaseSshIT {
  /** The stack's proxy port inside the droplet, published on this machine's loopback. */
  private static final int PROXY_PORT = 8080;
  private static final List<String> VERSIONS = List.of("v1", "v2", "v3");
  /** Added each way by a relay in front of the droplet's sshd: a WAN's round trip, emulated. */
  private static final Duration WAN_ONE_WAY = Duration.ofMillis(20);

  private final String stack = "itssh" + UUID.randomUUID().toString().substring(0, 6);
  private final List<DeployEvent> events = new CopyOnWriteArrayList<>();
  /** Run once at the first event it matches: cuts the connection there, at once or a little later. */
  private final AtomicReference<Cut> cutAt = new AtomicReference<>();
  /** The kill of the connection's sshd processes, once it ran (or was started). */
  private final AtomicReference<Thread> cutting = new AtomicReference<>();
  private TestDroplet droplet;
  private SshHost ssh;
  private CountedHost counted;
  private Deployer deployer;
  private URI url;

  @BeforeAll
  void start() {
    long started = System.nanoTime();
    SampleRelease.buildImages(VERSIONS);
    droplet = TestDroplet.start(PROXY_PORT);
    ssh = droplet.ssh().build();
    DropletImages.Moved moved = DropletImages.give(ssh, images());
    System.out.printf("ReleaseSshIT: droplet up and %s, setup %d ms%n", moved,
        (System.nanoTime() - started) / 1_000_000);
    counted = new CountedHost(ssh);
    deployer = deployer(counted.host(), "0.0.0.0");
    url = URI.create("http://127.0.0.1:" + droplet.publishedPort(PROXY_PORT) + "/");
  }

  @AfterAll
  void stop() {
    try {
      if (deployer != null) {
        deployer.down(stack, true);
      }
      if (ssh != null) {
        ssh.close();
      }
    } finally {
      if (droplet != null) {
        droplet.close();
      }
    }
  }

  @Test
  @Order(1)
  void tenSwapsAndARollbackUnderLoadOverSshWithoutAFailedRequest() throws Exception {
    List<DeployFigures> figures = new ArrayList<>();
    figures.add(measured("first deploy v1 over SSH", counted, () -> deploy(deployer, stack, PROXY_PORT, "v1")));
    assertThat(get(url)).contains("v1");
    try (LoadGenerator load = LoadGenerator.builder(url).clients(8).timeLimit(Duration.ofMinutes(10)).start()) {
      Thread.sleep(500);
      for (int i = 1; i <= 10; i++) {
        String version = VERSIONS.get(i % VERSIONS.size());
        DeployResult result = measuredResult(figures, "swap " + i + " to " + version + " over SSH", counted,
            () -> deploy(deployer, stack, PROXY_PORT, version));
        assertThat(result).as("swap %d", i).isInstanceOf(DeployResult.Deployed.class);
      }
      DeployResult rollback = measuredResult(figures, "rollback over SSH", counted, () -> deployer.rollback(stack));
      assertThat(rollback).isInstanceOf(DeployResult.Deployed.class);
      assertThat(rollback.release().rollbackOf()).isNotNull();
      Thread.sleep(500);
      System.out.printf("ReleaseSshIT: 10 swaps and a rollback over SSH under load: %d requests served, %d failed,"
          + " %.0f req/s, by body %s%n", load.served(), load.failed(), load.requestsPerSecond(), load.byVersion());
      assertThat(load.failed()).as("failed requests: %s", load.failures()).isZero();
      assertThat(load.byVersion().keySet()).containsExactlyInAnyOrder(
          "deploykit sample app v1", "deploykit sample app v2", "deploykit sample app v3");
    }
    assertThat(get(url)).as("rolled back to swap 9's release").contains(VERSIONS.get(9 % VERSIONS.size()));
    assertThat(figures.subList(1, figures.size())).allSatisfy(f -> {
      assertThat(f.workerHandedOver()).as("%s hands the worker over", f.label()).isTrue();
      assertThat(f.connections()).as("%s opens no new SSH connection", f.label()).isZero();
    });
    assertThat(ssh.connectionsOpened()).as("one SSH connection for every deploy").isEqualTo(1);
    report("over SSH", figures);
    report("on the local engine", localRun());
  }

  /** Deploys v1 and two swaps of the same stack on the local engine, under the same load. */
  private List<DeployFigures> localRun() throws Exception {
    String localStack = stack + "l";
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    List<DeployFigures> figures = new ArrayList<>();
    try (DockerHost local = DockerHost.local()) {
      CountedHost localCounted = new CountedHost(local);
      Deployer localDeployer = deployer(localCounted.host(), "127.0.0.1");
      try {
        figures.add(measured("first deploy v1 locally", localCounted, () -> deploy(localDeployer, localStack, port, "v1")));
        URI localUrl = URI.create("http://127.0.0.1:" + port + "/");
        try (LoadGenerator load = LoadGenerator.builder(localUrl).clients(8).timeLimit(Duration.ofMinutes(5)).start()) {
          Thread.sleep(500);
          for (String version : List.of("v2", "v3")) {
            measuredResult(figures, "swap to " + version + " locally", localCounted,
                () -> deploy(localDeployer, localStack, port, version));
          }
          System.out.printf("ReleaseSshIT: 2 local swaps under load: %d served, %d failed%n", load.served(), load.failed());
        }
      } finally {
        localDeployer.down(localStack, true);
      }
    }
    return figures;
  }

  @Test
  @Order(2)
  void aConnectionCutMidReleaseEndsCleanlyAndTheRerunConverges() throws Exception {
    List<Cut> cuts = List.of(
        new Cut("during the snapshot and accessories", 150, e -> e instanceof DeployEvent.LockTaken),
        new Cut("after the database step", 0, e -> e instanceof DeployEvent.DatabasePrepared),
        new Cut("while the app's container starts", 30, e -> e instanceof DeployEvent.DatabasePrepared),
        new Cut("while the app's gate probes", 300, e -> e instanceof DeployEvent.ContainerStarted s && s.service().equals("app")),
        new Cut("right before the switch", 0, e -> e instanceof DeployEvent.HealthGatePassed g && g.service().equals("app")),
        new Cut("during the switch", 40, e -> e instanceof DeployEvent.HealthGatePassed g && g.service().equals("app")),
        new Cut("during the worker hand-over", 200, e -> e instanceof DeployEvent.ContainerStarted s && s.service().equals("worker")),
        new Cut("during the watch window", 300, e -> e instanceof DeployEvent.OldStopped o && o.service().equals("worker")));
    if (deployer.history(stack).releases().isEmpty()) {
      assertThat(deploy(deployer, stack, PROXY_PORT, "v1")).isInstanceOf(DeployResult.Deployed.class);
    }
    int i = 0;
    try (LoadGenerator load = LoadGenerator.builder(url).clients(8).timeLimit(Duration.ofMinutes(10)).start()) {
      for (Cut cut : cuts) {
        cutOnce(cut, VERSIONS.get(++i % VERSIONS.size()));
      }
      Thread.sleep(500);
      System.out.printf("ReleaseSshIT: %d connection cuts under load: %d requests served, %d failed%n",
          cuts.size(), load.served(), load.failed());
      assertThat(load.failed()).as("failed requests: %s", load.failures()).isZero();
    }
  }

  @Test
  @Order(3)
  void theGateAndDrainLoopsAtLoopbackAndAtAnEmulatedWanLatency() throws Exception {
    if (deployer.history(stack).releases().isEmpty()) {
      assertThat(deploy(deployer, stack, PROXY_PORT, "v1")).isInstanceOf(DeployResult.Deployed.class);
    }
    ProbeLoops.measure("over SSH on loopback", ssh, stack);
    Path knownHosts = droplet.folder().resolve("known_hosts_relay");
    try (DelayRelay relay = DelayRelay.start(new InetSocketAddress("127.0.0.1", droplet.port()), WAN_ONE_WAY)) {
      Files.writeString(knownHosts, droplet.knownHostsLine().replace(":" + droplet.port() + " ", ":" + relay.port() + " ") + "\n");
      try (SshHost wan = droplet.ssh().port(relay.port()).knownHosts(knownHosts).build()) {
        ProbeLoops.measure("over SSH at " + WAN_ONE_WAY.multipliedBy(2).toMillis() + " ms RTT", wan, stack);
        CountedHost wanCounted = new CountedHost(wan);
        Deployer wanDeployer = deployer(wanCounted.host(), "0.0.0.0");
        List<DeployFigures> figures = new ArrayList<>();
        try (LoadGenerator load = LoadGenerator.builder(url).clients(8).timeLimit(Duration.ofMinutes(5)).start()) {
          for (String version : List.of("v2", "v3")) {
            DeployResult result = measuredResult(figures, "swap to " + version + " at WAN RTT", wanCounted,
                () -> deploy(wanDeployer, stack, PROXY_PORT, version));
            assertThat(result).isInstanceOf(DeployResult.Deployed.class);
          }
          System.out.printf("ReleaseSshIT: 2 swaps at %d ms RTT under load: %d served, %d failed%n",
              WAN_ONE_WAY.multipliedBy(2).toMillis(), load.served(), load.failed());
          assertThat(load.failed()).as("failed requests: %s", load.failures()).isZero();
        }
        figures.forEach(f -> System.out.println("ReleaseSshIT: " + f.line()));
      }
    }
  }

  /**
   * Where to cut the connection: {@code delayMillis} after the first event {@code at} matches
   * (0: before the run goes on).
   */
  private record Cut(String where, long delayMillis, Predicate<DeployEvent> at) {}

  /** Deploys {@code version}, cutting the SSH connection as {@code cut} says. */
  private void cutOnce(Cut cut, String version) throws Exception {
    String where = cut.where();
    int connectionsBefore = ssh.connectionsOpened();
    cutting.set(null);
    cutAt.set(cut);
    String outcome;
    try {
      DeployResult result = deploy(deployer, stack, PROXY_PORT, version);
      outcome = result.getClass().getSimpleName() + " (the run reconnected and finished)";
      assertThat(result).as("cut %s", where).isInstanceOf(DeployResult.Deployed.class);
    } catch (DeployException e) {
      outcome = "DeployException " + e.reason() + ": " + e.getMessage();
      assertThat(e.reason()).as("cut %s: %s", where, e.getMessage())
          .isIn(DeployException.Reason.CONNECTION_LOST, DeployException.Reason.HOST_UNREACHABLE);
      assertThat(e.getMessage()).contains("again");
      DeployResult rerun = deploy(deployer, stack, PROXY_PORT, version);
      assertThat(rerun).as("the rerun after the cut %s", where).isInstanceOf(DeployResult.Deployed.class);
      outcome += "; the rerun: " + rerun.getClass().getSimpleName();
    }
    Thread kill = cutting.get();
    assertThat(kill).as("the cut %s was made", where).isNotNull();
    kill.join(30_000);
    assertThat(get(url)).as("after the cut %s", where).contains(version);
    assertThat(deployer.lock(stack)).as("the lock is free after the cut %s", where).isEmpty();
    assertThat(ssh.connectionsOpened()).as("the cut %s is seen", where).isGreaterThan(connectionsBefore);
    System.out.printf("ReleaseSshIT: connection cut %s: %s; SSH connections opened %d%n", where, outcome,
        ssh.connectionsOpened() - connectionsBefore);
  }

  private void cut(DeployEvent event) {
    Cut cut = cutAt.get();
    if (cut == null || !cut.at().test(event) || !cutAt.compareAndSet(cut, null)) {
      return;
    }
    Runnable kill = () -> {
      try {
        Thread.sleep(cut.delayMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      // The connection's sshd processes (sshd-session on OpenSSH 9.8 and later).
      droplet.must("pkill", "-KILL", "-f", "^sshd(-session)?: " + TestDroplet.USER);
    };
    if (cut.delayMillis() == 0) {
      kill.run();
      cutting.set(Thread.ofVirtual().unstarted(() -> { }));
    } else {
      cutting.set(Thread.ofPlatform().daemon().name("cut " + cut.where()).start(kill));
    }
  }

  private Deployer deployer(DockerHost host, String bindAddress) {
    return Deployer.builder(host)
        .proxyImage(StandInImageSubstitutor.resolve(Deployer.DEFAULT_PROXY_IMAGE))
        .proxyBindAddress(bindAddress)
        .owner("it@release-ssh")
        .listener(e -> {
          events.add(e);
          cut(e);
        })
        .build();
  }

  private static DeployResult deploy(Deployer deployer, String stack, int port, String version)
      throws InterruptedException {
    return deployer.deploy(SampleRelease.load(stack, port,
        Map.of("APP_VERSION", version, "WORKER_VERSION", version, "WATCH_WINDOW", "1s")), version);
  }

  /** Every image the stack of these versions runs, with the proxy's. */
  private Set<String> images() {
    Set<String> images = new LinkedHashSet<>();
    images.add(StandInImageSubstitutor.resolve(Deployer.DEFAULT_PROXY_IMAGE));
    for (String v : VERSIONS) {
      Stack s = SampleRelease.load(stack, PROXY_PORT, Map.of("APP_VERSION", v, "WORKER_VERSION", v));
      s.services().stream().map(Service::image).forEach(images::add);
    }
    return images;
  }

  /** A deploy step whose result the figures need. */
  private interface Step {
    DeployResult run() throws Exception;
  }

  private DeployFigures measured(String label, CountedHost host, Step step) throws Exception {
    List<DeployFigures> one = new ArrayList<>();
    DeployResult result = measuredResult(one, label, host, step);
    assertThat(result).as(label).isInstanceOf(DeployResult.Deployed.class);
    return one.getFirst();
  }

  private DeployResult measuredResult(List<DeployFigures> figures, String label, CountedHost host, Step step)
      throws Exception {
    int eventsBefore = events.size();
    Map<String, Long> callsBefore = host.byMethod();
    int connectionsBefore = host.host() == counted.host() ? ssh.connectionsOpened() : 0;
    long started = System.nanoTime();
    DeployResult result = step.run();
    Duration wall = Duration.ofNanos(System.nanoTime() - started);
    Map<String, Long> calls = new java.util.TreeMap<>();
    host.byMethod().forEach((name, n) -> {
      long made = n - callsBefore.getOrDefault(name, 0L);
      if (made > 0) {
        calls.put(name, made);
      }
    });
    int connections = host.host() == counted.host() ? ssh.connectionsOpened() - connectionsBefore : 0;
    figures.add(DeployFigures.of(label, wall, List.copyOf(events.subList(eventsBefore, events.size())),
        connections, calls));
    return result;
  }

  private void report(String where, List<DeployFigures> figures) {
    figures.forEach(f -> System.out.println("ReleaseSshIT: " + f.line()));
    List<DeployFigures> swaps = figures.subList(1, figures.size());
    System.out.printf("ReleaseSshIT: %s, %d swaps (min / median / max): wall %s, healthy->switched %s,"
        + " switch %s, drain %s; engine calls per swap %s; sshd 'Accepted publickey' lines on the droplet: %d%n",
        where, swaps.size(), DeployFigures.spread(swaps, DeployFigures::wall),
        DeployFigures.spread(swaps, DeployFigures::healthyToSwitched), DeployFigures.spread(swaps, DeployFigures::switchTime),
        DeployFigures.spread(swaps, DeployFigures::drain),
        swaps.stream().map(DeployFigures::calls).sorted().toList(), acceptedLogins());
  }

  /** How often the droplet's sshd accepted the deploy user's key so far (its log). */
  private long acceptedLogins() {
    try (DockerHost local = DockerHost.local()) {
      return local.logs(droplet.container(), 100_000).stream()
          .filter(l -> l.contains("Accepted publickey for " + TestDroplet.USER)).count();
    }
  }

  private static String get(URI url) throws Exception {
    try (HttpClient client = HttpClient.newHttpClient()) {
      return client.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString()).body();
    }
  }
}
