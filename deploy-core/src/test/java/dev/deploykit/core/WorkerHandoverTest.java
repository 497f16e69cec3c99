package dev.deploykit.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploykit.core.engine.ContainerHealthcheck;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Workers are handed over by overlap: every new replica proves healthy while the old ones keep
 * working, and only then do the old ones get their stop signal and grace period.
 */
class WorkerHandoverTest {
  private final Harness h = new Harness().images("app:v1", "app:v2", "worker:v1", "worker:v2",
      "postgres:18.1", "mailer:v1", "mailer:v2");

  @AfterEach
  void close() {
    h.close();
  }

  @Test
  void everyNewReplicaIsHealthyBeforeAnyOldOneIsStopped() throws Exception {
    String v1 = h.deployed(Stacks.full("v1"), "v1").release().id();
    h.fake.forgetEvents();
    int before = h.fake.journal().size();
    String v2 = h.deployed(Stacks.full("v2"), "v2").release().id();

    List<String> workerEvents = h.fake.events().stream().filter(WorkerHandoverTest::ofAWorkerContainer)
        .map(e -> e.getClass().getSimpleName()).toList();
    assertThat(workerEvents).containsExactly("ContainerStarted", "ContainerStarted", "HealthGatePassed",
        "HealthGatePassed", "OldStopped", "OldStopped");
    List<String> calls = h.fake.journal().subList(before, h.fake.journal().size());
    int lastNewStart = IntStream.range(0, calls.size())
        .filter(i -> calls.get(i).startsWith("start shop-worker-" + v2)).max().orElseThrow();
    int firstOldStop = IntStream.range(0, calls.size())
        .filter(i -> calls.get(i).startsWith("stop shop-worker-" + v1)).min().orElseThrow();
    assertThat(lastNewStart).isLessThan(firstOldStop);
    assertThat(h.containersOf("worker", v1)).hasSize(2).allSatisfy(old -> {
      assertThat(old.running()).isFalse();
      assertThat(old.lastStopGrace()).isEqualTo(Duration.ofSeconds(20));
    });
  }

  @Test
  void aNewReplicaThatFailsRemovesAllNewOnesAndTheOldOnesNeverStop() throws Exception {
    String v1 = h.deployed(Stacks.full("v1"), "v1").release().id();
    h.fake.whenCreated(spec -> spec.image().equals(h.fake.image("worker:v2")) && spec.name().endsWith("-2"))
        .exitsAtBoot(2);
    DeployResult result = h.deploy(Stacks.full("v2"), "v2");

    assertThat(result).isInstanceOf(DeployResult.Refused.class);
    assertThat(h.containersOf("worker", result.release().id())).isEmpty();
    assertThat(h.containersOf("worker", v1)).allSatisfy(old -> assertThat(old.stops()).isZero());
  }

  @Test
  void aWorkerWithoutAHealthcheckMustKeepRunningForTheSettleTime() throws Exception {
    h.fake.whenCreated("worker:v2").exitsAfter(Duration.ofSeconds(1), 1);
    DeployResult result = h.deploy(Stacks.of(Stacks.web("app:v1"), Stacks.worker("worker:v2", 1)), "v2");

    assertThat(result).isInstanceOfSatisfying(DeployResult.Refused.class,
        r -> assertThat(r.reason()).contains("service worker").contains("exited with code 1"));
  }

  @Test
  void aWorkerWithADockerHealthcheckIsReadyWhenDockerSaysHealthy() throws Exception {
    h.fake.whenCreated("worker:v1").dockerHealthyAfter(Duration.ofSeconds(5));
    Service checked = Stacks.worker("worker:v1", 1).newBuilder().healthcheck(new ContainerHealthcheck(
        List.of("CMD", "worker", "--ping"), Duration.ofSeconds(1), Duration.ofSeconds(1), 3, Duration.ZERO)).build();
    h.deployed(Stacks.of(Stacks.web("app:v1"), checked), "v1");

    assertThat(h.fake.events(DeployEvent.HealthGatePassed.class)).filteredOn(e -> e.service().equals("worker"))
        .singleElement().satisfies(e -> assertThat(e.waited()).isGreaterThanOrEqualTo(Duration.ofSeconds(5)));
  }

  @Test
  void aWorkerServiceThatFailsHandsTheEarlierWorkerServicesBackToTheLiveRelease() throws Exception {
    Stack v1Stack = Stacks.of(mailer("mailer:v1"), Stacks.worker("worker:v1", 1));
    String v1 = h.deployed(v1Stack, "v1").release().id();
    h.fake.whenCreated("worker:v2").exitsAtBoot(1);
    DeployResult result = h.deploy(Stacks.of(mailer("mailer:v2"), Stacks.worker("worker:v2", 1)), "v2");

    assertThat(result).isInstanceOf(DeployResult.Refused.class);
    assertThat(h.running("mailer")).singleElement().satisfies(m -> assertThat(m.isOfRelease(v1)).isTrue());
    assertThat(h.running("worker")).singleElement().satisfies(w -> assertThat(w.isOfRelease(v1)).isTrue());
    assertThat(h.fake.containers()).filteredOn(c -> c.name().startsWith("shop-mailer-" + result.release().id()))
        .allSatisfy(c -> assertThat(c.running()).isFalse());
  }

  private static boolean ofAWorkerContainer(DeployEvent e) {
    return switch (e) {
      case DeployEvent.ContainerStarted s -> s.service().equals("worker");
      case DeployEvent.HealthGatePassed p -> p.service().equals("worker");
      case DeployEvent.OldStopped o -> o.service().equals("worker");
      default -> false;
    };
  }

  private static Service mailer(String image) {
    return Service.builder("mailer").image(image)
        .deploy(ServiceDeploy.of(Role.WORKER).withDeployTimeout(Stacks.DEPLOY_TIMEOUT)).build();
  }
}
