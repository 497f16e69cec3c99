package dev.deploykit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploykit.core.testing.ContainerScript;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** After the switch the new release is watched: three failed probes in a row roll it back, less does not. */
class WatchWindowTest {
  private final Harness h = new Harness().images("app:v1", "app:v2");
  private String v1;

  private void firstRelease() throws Exception {
    v1 = h.deployed(Stacks.of(Stacks.web("app:v1")), "v1").release().id();
    h.fake.forgetEvents();
  }

  @AfterEach
  void close() {
    h.close();
  }

  private DeployResult.RolledBack rolledBack() throws Exception {
    firstRelease();
    DeployResult result = h.deploy(Stacks.of(Stacks.web("app:v2")), "v2");
    assertThat(result).isInstanceOf(DeployResult.RolledBack.class);
    return (DeployResult.RolledBack) result;
  }

  @Test
  void threeFailedProbesInARowRollBackToThePreviousRelease() throws Exception {
    h.fake.whenCreated("app:v2").probe("/up").failsFrom(Duration.ofSeconds(2)).logs("OutOfMemoryError");
    DeployResult.RolledBack r = rolledBack();

    assertThat(r.restoredRelease()).isEqualTo(v1);
    assertThat(r.reason()).contains("turned unhealthy").contains("3 probes in a row failed");
    assertThat(r.logs()).contains("OutOfMemoryError");
    assertThat(h.served()).contains(h.webOf(v1));
    assertThat(h.running("web")).extracting(c -> c.name()).containsExactly(h.webOf(v1));
    assertThat(h.live().id()).isEqualTo(v1);
    assertThat(h.history().find(r.release().id()).orElseThrow().outcome()).isEqualTo(Release.Outcome.ROLLED_BACK);
    assertThat(h.fake.events()).extracting(e -> e.getClass().getSimpleName())
        .containsSubsequence("TrafficSwitched", "WatchFailed", "TrafficSwitched", "RolledBack", "Recorded");
  }

  @Test
  void aSingleFailedProbeDoesNotRollBack() throws Exception {
    h.fake.whenCreated("app:v2").probe("/up").failsBetween(Duration.ofSeconds(2), Duration.ofMillis(2250));
    firstRelease();
    DeployResult result = h.deploy(Stacks.of(Stacks.web("app:v2")), "v2");

    assertThat(result).isInstanceOf(DeployResult.Deployed.class);
    assertThat(h.served()).contains(h.webOf(result.release().id()));
  }

  @Test
  void aProbeThatFlapsIsNeverThreeFailuresInARowAndDoesNotRollBack() throws Exception {
    h.fake.whenCreated("app:v2").probe("/up").flaps(Duration.ofMillis(250));
    firstRelease();
    DeployResult result = h.deploy(Stacks.of(Stacks.web("app:v2")), "v2");

    assertThat(result).isInstanceOf(DeployResult.Deployed.class);
    assertThat(h.fake.events(DeployEvent.WatchPassed.class)).hasSize(1);
  }

  @Test
  void aNewContainerThatDiesInItsWatchWindowIsRolledBack() throws Exception {
    h.fake.whenCreated("app:v2").exitsAfter(Duration.ofSeconds(1), 137);
    DeployResult.RolledBack r = rolledBack();

    assertThat(r.restoredRelease()).isEqualTo(v1);
    assertThat(h.served()).contains(h.webOf(v1));
  }

  @Test
  void aNewContainerThatDiesWhileTheOldOneDrainsIsRolledBack() throws Exception {
    h.fake.drainTakes(Duration.ofSeconds(3), 1);
    h.fake.whenCreated("app:v2").exitsAfter(Duration.ofSeconds(2), 139);
    DeployResult.RolledBack r = rolledBack();

    assertThat(r.reason()).contains("exited with code 139");
    assertThat(h.served()).contains(h.webOf(v1));
  }

  @Test
  void theOldContainerDyingDuringItsDrainLeavesTheNewReleaseLive() throws Exception {
    h.fake.whenCreated("app:v1").diesWhenDrained();
    h.fake.drainTakes(Duration.ofSeconds(2), 1);
    firstRelease();
    String v2 = h.deployed(Stacks.of(Stacks.web("app:v2")), "v2").release().id();

    assertThat(h.served()).contains(h.webOf(v2));
    assertThat(h.fake.container(h.webOf(v1)).orElseThrow().log())
        .anyMatch(l -> l.contains("killed while its requests drained"));
    assertThat(h.deployer().rollback(Stacks.NAME)).isInstanceOf(DeployResult.Deployed.class);
    assertThat(h.live().rollbackOf()).isEqualTo(v1);
  }

  @Test
  void aFirstReleaseThatTurnsUnhealthyIsTakenOutOfTrafficForWantOfAnEarlierOne() throws Exception {
    h.fake.whenCreated("app:v2").probe("/up").failsFrom(Duration.ofSeconds(1));
    DeployResult result = h.deploy(Stacks.of(Stacks.web("app:v2")), "v2");

    assertThat(result).isInstanceOfSatisfying(DeployResult.RolledBack.class,
        r -> assertThat(r.restoredRelease()).startsWith("none"));
    assertThat(h.fake.proxy(Stacks.NAME).servedAddresses("web")).isEmpty();
    assertThat(h.history().live()).isEmpty();
  }

  @Test
  void aRollBackWhosePreviousContainerIsUnhealthyTooFailsLoudlyAndTheNewOneKeepsServing() throws Exception {
    ContainerScript v1Image = h.fake.whenCreated("app:v1");
    h.fake.whenCreated("app:v2").probe("/up").failsFrom(Duration.ofSeconds(1));
    firstRelease();
    v1Image.neverHealthy();

    assertThatThrownBy(() -> h.deploy(Stacks.of(Stacks.web("app:v2")), "v2"))
        .isInstanceOf(DeployException.class).hasMessageContaining("not healthy either");
    String v2 = h.history().releases().getLast().id();
    assertThat(h.served()).contains(h.webOf(v2));
    assertThat(h.deployer().lock(Stacks.NAME)).isEmpty();
  }

  @Test
  void aServiceWithoutAWatchWindowIsNotWatched() throws Exception {
    h.fake.whenCreated("app:v2").probe("/up").failsFrom(Duration.ofMillis(1));
    Service unwatched = Stacks.web("app:v2").newBuilder()
        .deploy(Stacks.webDeploy().withWatchWindow(Duration.ZERO)).build();
    firstRelease();
    DeployResult result = h.deploy(Stacks.of(unwatched), "v2");

    assertThat(result).isInstanceOf(DeployResult.Deployed.class);
    assertThat(h.fake.events(DeployEvent.WatchPassed.class)).isEmpty();
  }
}
