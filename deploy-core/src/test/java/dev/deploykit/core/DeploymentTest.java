package dev.deploykit.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploykit.core.testing.FakeContainer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A good release: what serves, what is kept, what is recorded, in which order. */
class DeploymentTest {
  private final Harness h = new Harness().images("app:v1", "app:v2", "postgres:18.1", "worker:v1", "worker:v2");

  @AfterEach
  void close() {
    h.close();
  }

  @Test
  void aFirstReleaseServesItsWebContainerThroughTheProxy() throws Exception {
    DeployResult.Deployed d = h.deployed(Stacks.of(Stacks.web("app:v1")), "v1");

    assertThat(h.served()).contains(h.webOf(d.release().id()));
    assertThat(h.live().id()).isEqualTo(d.release().id());
    assertThat(d.release().imageIds()).containsEntry("web", h.fake.image("app:v1"));
    assertThat(h.fake.events()).extracting(e -> e.getClass().getSimpleName()).containsExactly(
        "LockTaken", "ImageReady", "SnapshotWritten", "ContainerStarted", "HealthGatePassed",
        "TrafficSwitched", "WatchPassed", "Recorded", "LockReleased");
    assertThat(h.deployer().lock(Stacks.NAME)).isEmpty();
  }

  @Test
  void aSecondReleaseTakesTheTrafficAndTheFirstIsKeptStoppedForRollback() throws Exception {
    String v1 = h.deployed(Stacks.of(Stacks.web("app:v1")), "v1").release().id();
    h.fake.forgetEvents();
    String v2 = h.deployed(Stacks.of(Stacks.web("app:v2")), "v2").release().id();

    assertThat(h.served()).contains(h.webOf(v2));
    assertThat(h.fake.container(h.webOf(v1))).hasValueSatisfying(c -> assertThat(c.running()).isFalse());
    assertThat(h.history().releases()).extracting(Release::id, Release::outcome).containsExactly(
        org.assertj.core.groups.Tuple.tuple(v1, Release.Outcome.SUPERSEDED),
        org.assertj.core.groups.Tuple.tuple(v2, Release.Outcome.LIVE));
    assertThat(h.fake.events()).extracting(e -> e.getClass().getSimpleName())
        .containsSubsequence("HealthGatePassed", "TrafficSwitched", "Drained", "OldStopped", "WatchPassed");
  }

  @Test
  void theOldContainerFinishesItsOpenRequestsBeforeItIsStopped() throws Exception {
    h.deployed(Stacks.of(Stacks.web("app:v1")), "v1");
    h.fake.drainTakes(Duration.ofSeconds(3), 2);
    h.deployed(Stacks.of(Stacks.web("app:v2")), "v2");

    DeployEvent.Drained drained = h.fake.events(DeployEvent.Drained.class).getLast();
    assertThat(drained.leftSessions()).isZero();
    assertThat(drained.drainTime()).isGreaterThanOrEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void aDrainThatOutlastsItsTimeoutEndsWithTheSessionsItLeft() throws Exception {
    h.deployed(Stacks.of(Stacks.web("app:v1")), "v1");
    h.fake.drainNeverEnds(4);
    String v2 = h.deployed(Stacks.of(Stacks.web("app:v2")), "v2").release().id();

    assertThat(h.fake.events(DeployEvent.Drained.class).getLast().leftSessions()).isEqualTo(4);
    assertThat(h.served()).contains(h.webOf(v2));
  }

  @Test
  void anImageTheHostLacksIsPulledAndPinned() throws Exception {
    h.fake.registry("app:v3");
    DeployResult.Deployed d = h.deployed(Stacks.of(Stacks.web("app:v3")), "v3");

    assertThat(h.fake.events(DeployEvent.ImageReady.class)).singleElement()
        .satisfies(e -> assertThat(e.pulled()).isTrue());
    assertThat(d.release().imageIds()).containsEntry("web", h.fake.image("app:v3"));
  }

  @Test
  void aWholeStackComesUpAccessoryFirstThenWebThenWorkers() throws Exception {
    DeployResult.Deployed d = h.deployed(Stacks.full("v1"), "v1");

    assertThat(h.running("db")).hasSize(1);
    assertThat(h.running("worker")).hasSize(2);
    assertThat(h.served()).contains(h.webOf(d.release().id()));
    assertThat(h.fake.events()).extracting(e -> e.getClass().getSimpleName()).containsSubsequence(
        "SnapshotWritten", "AccessoryReady", "ContainerStarted", "HealthGatePassed", "TrafficSwitched",
        "ContainerStarted", "ContainerStarted", "HealthGatePassed", "HealthGatePassed", "WatchPassed", "Recorded");
  }

  @Test
  void everyOutcomeGetsAnAuditLineNamingWhoAndWhichVersion() throws Exception {
    String v1 = h.deployed(Stacks.of(Stacks.web("app:v1")), "v1").release().id();

    assertThat(h.deployer().auditLog(Stacks.NAME)).singleElement().asString()
        .contains(v1).contains("LIVE").contains(Harness.OWNER).contains("version v1");
  }

  @Test
  void aReleaseContainerCarriesTheStacksLabelsAndTheReleaseInItsEnvironment() throws Exception {
    String v1 = h.deployed(Stacks.of(Stacks.web("app:v1")), "v1").release().id();

    FakeContainer web = h.fake.container(h.webOf(v1)).orElseThrow();
    assertThat(web.labels()).containsEntry(StackNames.LABEL_RELEASE, v1)
        .containsEntry(StackNames.LABEL_ROLE, "web").containsEntry(StackNames.LABEL_KIND, StackNames.KIND_APP);
    assertThat(web.spec().environment()).containsEntry("DEPLOYKIT_RELEASE", v1);
    assertThat(web.spec().ports()).allSatisfy(p -> assertThat(p.published()).isNull());
    assertThat(List.of(h.fake.proxy(Stacks.NAME).running())).containsExactly(true);
  }
}
