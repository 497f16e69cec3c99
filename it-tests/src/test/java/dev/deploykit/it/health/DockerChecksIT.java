package dev.deploykit.it.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.HealthCheck;
import dev.deploykit.health.CheckContext;
import dev.deploykit.health.HealthResult;
import dev.deploykit.health.HealthStatus;
import dev.deploykit.health.checks.DockerContainerCheck;
import dev.deploykit.health.checks.DockerEngineCheck;
import dev.deploykit.health.checks.DockerNetworkCheck;
import dev.deploykit.health.checks.WorkerLogCheck;
import dev.deploykit.health.wait.Await;
import dev.deploykit.health.wait.AwaitResult;
import dev.deploykit.health.wait.Backoff;
import dev.deploykit.it.support.DockerRequired;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.startupcheck.IsRunningStartupCheckStrategy;
import org.testcontainers.utility.DockerImageName;

/**
 * The Docker checks (containers, network, engine, worker log) against real containers on the real
 * engine. (PostgreSQL is covered against zonky's embedded 18.1 in the health module's ITs.)
 */
@ExtendWith(DockerRequired.class)
class DockerChecksIT {
  private static final DockerImageName DEBIAN = DockerImageName.parse("deploykit.local/debian:trixie");
  private final DockerClient docker = DockerClientFactory.instance().client();
  private final String stack = "it-health-" + UUID.randomUUID().toString().substring(0, 8);

  private GenericContainer<?> debian(String name, String script, long healthExit) {
    return new GenericContainer<>(DEBIAN)
        .withCommand("sh", "-c", script)
        .withLabel(DockerContainerCheck.STACK_LABEL, stack)
        .withCreateContainerCmdModifier(cmd -> {
          cmd.withName(name);
          if (healthExit >= 0) {
            cmd.withHealthcheck(new HealthCheck()
                .withTest(List.of("CMD-SHELL", "exit " + healthExit))
                .withInterval(Duration.ofMillis(200).toNanos())
                .withTimeout(Duration.ofSeconds(1).toNanos())
                .withStartPeriod(0L)
                .withRetries(1));
          }
        })
        .withStartupCheckStrategy(new IsRunningStartupCheckStrategy());
  }

  private static HealthResult once(dev.deploykit.health.HealthCheck check)
      throws InterruptedException {
    return check.check(CheckContext.of(dev.deploykit.health.wait.Deadline.after(
        Duration.ofSeconds(5), dev.deploykit.health.wait.TimeSource.system())));
  }

  private static HealthResult awaitResult(dev.deploykit.health.HealthCheck check,
      Predicate<HealthResult> condition) throws InterruptedException {
    AwaitResult<HealthResult> r = Await.atMost(Duration.ofSeconds(30))
        .backoff(Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(1)))
        .until(d -> check.check(CheckContext.of(d)), condition::test);
    return r.orElseThrow(x -> new AssertionError("condition not met: " + x.describe()));
  }

  @Test
  void aHealthyRunningStackIsUpAndAnUnhealthyOneDown() throws Exception {
    try (GenericContainer<?> web = debian(stack + "-web", "sleep infinity", 0);
        GenericContainer<?> worker = debian(stack + "-worker", "sleep infinity", 1)) {
      web.start();
      worker.start();
      DockerContainerCheck webOnly = DockerContainerCheck.containers(docker, stack + "-web").build();
      HealthResult healthy = awaitResult(webOnly, HealthResult::isUp);
      assertThat(healthy.detail()).isEqualTo("1 of 1 container(s) running");

      DockerContainerCheck wholeStack = DockerContainerCheck.stack(docker, stack).build();
      HealthResult r = awaitResult(wholeStack, x -> x.status() == HealthStatus.DOWN);
      assertThat(r.detail()).isEqualTo(stack + "-worker unhealthy");
      assertThat(r.data()).containsEntry("containers", 2).containsEntry("running", 2);
    }
  }

  @Test
  void anExitedContainerIsDownWithItsExitCode() throws Exception {
    // Testcontainers removes a container that fails to start, so this one is made directly.
    String id = docker.createContainerCmd(DEBIAN.asCanonicalNameString())
        .withName(stack + "-job").withCmd("sh", "-c", "exit 3")
        .withLabels(Map.of(DockerContainerCheck.STACK_LABEL, stack)).exec().getId();
    try {
      docker.startContainerCmd(id).exec();
      docker.waitContainerCmd(id).start().awaitStatusCode(30, TimeUnit.SECONDS);
      HealthResult r = once(DockerContainerCheck.stack(docker, stack).build());
      assertThat(r.status()).isEqualTo(HealthStatus.DOWN);
      assertThat(r.detail()).isEqualTo(stack + "-job exited (exit code 3)");
    } finally {
      docker.removeContainerCmd(id).withForce(true).exec();
    }
  }

  @Test
  void missingContainersAndStacksAreDown() throws Exception {
    assertThat(once(DockerContainerCheck.containers(docker, stack + "-nope").build()).detail())
        .isEqualTo(stack + "-nope does not exist");
    assertThat(once(DockerContainerCheck.stack(docker, stack).build()).detail())
        .isEqualTo("no container of stack " + stack);
  }

  @Test
  void theNetworkExistsWithTheExpectedContainersAttached() throws Exception {
    try (Network network = Network.newNetwork();
        GenericContainer<?> web = debian(stack + "-web", "sleep infinity", -1)
            .withNetwork(network)) {
      web.start();
      String name = docker.inspectNetworkCmd().withNetworkId(network.getId()).exec().getName();
      HealthResult up = once(DockerNetworkCheck.of(docker, name, List.of(stack + "-web")));
      assertThat(up.status()).isEqualTo(HealthStatus.UP);
      assertThat(up.data()).containsEntry("attached", 1);
      HealthResult missing = once(DockerNetworkCheck.of(docker, name,
          List.of(stack + "-web", stack + "-db")));
      assertThat(missing.status()).isEqualTo(HealthStatus.DOWN);
      assertThat(missing.detail()).isEqualTo("not attached to network " + name + ": " + stack
          + "-db");
    }
    assertThat(once(DockerNetworkCheck.of(docker, stack + "-no-net", List.of())).detail())
        .isEqualTo("network " + stack + "-no-net does not exist");
  }

  @Test
  void workerLogPatternWithinTheWindow() throws Exception {
    try (GenericContainer<?> worker = debian(stack + "-logger",
        "while true; do echo worker heartbeat; sleep 0.2; done", -1)) {
      worker.start();
      HealthResult seen = awaitResult(WorkerLogCheck.of(docker, stack + "-logger",
          Pattern.compile("heartbeat"), Duration.ofMinutes(1)), HealthResult::isUp);
      assertThat(seen.detail()).contains("logged /heartbeat/ within 1m00s");
      HealthResult notSeen = once(WorkerLogCheck.of(docker, stack + "-logger",
          Pattern.compile("job done"), Duration.ofMinutes(1)));
      assertThat(notSeen.status()).isEqualTo(HealthStatus.DOWN);
    }
  }

  @Test
  void theEngineAnswersWithItsResources() throws Exception {
    HealthResult r = once(DockerEngineCheck.builder(docker).minCpus(1).build());
    assertThat(r.status()).isEqualTo(HealthStatus.UP);
    assertThat(r.data()).containsKeys("cpus", "memoryTotalBytes", "serverVersion");
    HealthResult tooSmall = once(DockerEngineCheck.builder(docker).minCpus(100_000).build());
    assertThat(tooSmall.status()).isEqualTo(HealthStatus.DOWN);
    assertThat(tooSmall.detail()).contains("CPUs < 100000");
  }
}
