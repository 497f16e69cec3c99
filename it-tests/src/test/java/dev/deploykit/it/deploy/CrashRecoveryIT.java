package dev.deploykit.it.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploykit.core.engine.ContainerState;
import dev.deploykit.core.DeployResult;
import dev.deploykit.core.Deployer;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.DeployEvent;
import dev.deploykit.core.StackNames;
import dev.deploykit.core.Release;
import dev.deploykit.it.support.DockerRequired;
import dev.deploykit.cli.LoadGenerator;
import dev.deploykit.it.support.StandInImageSubstitutor;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A deploy killed with {@code kill -9} at one protocol step after another, while clients keep
 * requests going: the rerun takes the dead run's lock over by itself (its owner ran on this
 * machine and its process is gone), says so in its events and the audit log, and converges every
 * time (one live release, the proxy on a healthy container, no stray containers) with zero
 * failed requests. Nobody runs {@code deploykit lock release}.
 */
@ExtendWith(DockerRequired.class)
// Among the longest classes: started first when classes run side by side (it-tests/pom.xml).
@Order(5)
class CrashRecoveryIT {
  private static final Logger log = LoggerFactory.getLogger(CrashRecoveryIT.class);
  private static final List<String> CRASH_POINTS = List.of(
      "SnapshotWritten", "ContainerStarted", "HealthGatePassed", "TrafficSwitched", "OldStopped");

  private final String stackName = "itcrash" + UUID.randomUUID().toString().substring(0, 6);
  private DockerHost host;
  private Deployer deployer;
  private int port;
  private String javaImage;
  private String proxyImage;

  @BeforeEach
  void setUp() throws Exception {
    host = DockerHost.local();
    javaImage = StandInImageSubstitutor.resolve("eclipse-temurin:21-jre");
    proxyImage = StandInImageSubstitutor.resolve("haproxy:3.0");
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    deployer = Deployer.builder(host).proxyImage(proxyImage).proxyBindAddress("127.0.0.1")
        .owner("it@recovery").build();
  }

  @AfterEach
  void tearDown() {
    deployer.down(stackName, true);
    host.close();
  }

  @Test
  void aRerunConvergesAfterAKillAtEveryStep() throws Exception {
    assertThat(deployer.deploy(TestStack.of(stackName, port, TestStack.web(javaImage, "v0", Map.of()), javaImage)))
        .isInstanceOf(DeployResult.Deployed.class);
    int version = 1;
    try (LoadGenerator load = LoadGenerator.builder(URI.create("http://127.0.0.1:" + port + "/"))
        .clients(4).timeLimit(Duration.ofMinutes(8)).start()) {
      for (String step : CRASH_POINTS) {
        String crashed = "v" + version++;
        killDeployAt(step, crashed);
        assertThat(deployer.lock(stackName)).as("the killed run left its lock").isPresent();

        String rerun = "v" + version++;
        List<DeployEvent> events = new CopyOnWriteArrayList<>();
        DeployResult result = Deployer.builder(host).proxyImage(proxyImage).proxyBindAddress("127.0.0.1")
            .owner("it@recovery").listener(events::add).build()
            .deploy(TestStack.of(stackName, port, TestStack.web(javaImage, rerun, Map.of()), javaImage), rerun);
        assertThat(result).as("rerun after a kill at %s", step).isInstanceOf(DeployResult.Deployed.class);
        assertThat(events).as("the rerun says it took the dead run's lock over")
            .filteredOn(DeployEvent.LockTakenOver.class::isInstance)
            .singleElement()
            .satisfies(e -> assertThat(((DeployEvent.LockTakenOver) e).why())
                .contains("crashing@it").contains("no longer exists"));
        assertThat(deployer.auditLog(stackName)).anySatisfy(line ->
            assertThat(line).contains("lock taken over by it@recovery").contains("crashing@it"));
        assertConverged(rerun, step);
      }
      Thread.sleep(300);
      log.info("Load through 5 killed deploys and their reruns: {} served, {} failed", load.served(), load.failed());
      assertThat(load.failed()).as("failed: %s", load.failures()).isZero();
    }
    assertThat(deployer.history(stackName).releases()).extracting(Release::outcome)
        .filteredOn(o -> o == Release.Outcome.INTERRUPTED).hasSize(CRASH_POINTS.size());
  }

  private void assertConverged(String version, String step) throws Exception {
    List<ContainerState> running = host.list(Map.of(StackNames.LABEL_STACK, stackName,
        StackNames.LABEL_KIND, StackNames.KIND_APP), StackNames.network(stackName)).stream()
        .filter(ContainerState::running).toList();
    assertThat(running).as("after a kill at %s: one web and one worker run", step)
        .extracting(c -> c.label(StackNames.LABEL_SERVICE).orElseThrow())
        .containsExactlyInAnyOrder("web", "worker");
    assertThat(deployer.history(stackName).releases()).extracting(Release::outcome)
        .filteredOn(o -> o == Release.Outcome.LIVE || o == Release.Outcome.PENDING)
        .containsExactly(Release.Outcome.LIVE);
    try (var client = java.net.http.HttpClient.newHttpClient()) {
      String body = client.send(java.net.http.HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + port + "/")).timeout(Duration.ofSeconds(5)).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString()).body();
      assertThat(body).isEqualTo(version);
    }
  }

  private void killDeployAt(String step, String version) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        CrashingDeploy.class.getName(), stackName, Integer.toString(port), version, step, javaImage, proxyImage)
        .redirectErrorStream(true)
        .start();
    List<String> output = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
      String line;
      while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
        output.add(line);
        if (line.equals("HALTED " + step)) {
          // kill -9: the JVM gets no chance to clean up, release its lock or finish a step.
          process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
          log.info("killed the deploy of {} at {}", version, step);
          return;
        }
      }
    } finally {
      process.destroyForcibly();
    }
    throw new AssertionError("the deploy never reached " + step + ":\n" + String.join("\n", output));
  }
}
