package dev.deploykit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploykit.core.engine.ContainerSpec;
import dev.deploykit.core.testing.FakeContainer;
import dev.deploykit.core.testing.SimulatedCrash;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Prune keeps the stopped containers of the last {@code retain} releases that served (for
 * rollback), removes those of refused, rolled-back and interrupted releases, and never touches a
 * running container; {@link Deployer#prune} applies the same rule under the lock.
 */
class PruneTest {
  private final Harness h = new Harness().images("app:v1", "app:v2", "app:v3", "app:v4", "postgres:18.1");

  @AfterEach
  void close() {
    h.close();
  }

  private static Stack web(String version, int retain) {
    return Stacks.of(Stacks.db("postgres:18.1"), Stacks.web("app:" + version))
        .withSettings(StackSettings.defaults().withProxyPort(8080).withRetain(retain));
  }

  private boolean exists(String container) {
    return h.fake.container(container).isPresent();
  }

  @Test
  void aReleaseKeepsTheContainersOfTheLastRetainReleasesThatServed() throws Exception {
    String v1 = h.deployed(web("v1", 2), "v1").release().id();
    String v2 = h.deployed(web("v2", 2), "v2").release().id();
    h.fake.forgetEvents();
    String v3 = h.deployed(web("v3", 2), "v3").release().id();

    assertThat(exists(h.webOf(v1))).isFalse();
    assertThat(h.fake.container(h.webOf(v2))).hasValueSatisfying(c -> assertThat(c.running()).isFalse());
    assertThat(h.fake.container(h.webOf(v3))).hasValueSatisfying(c -> assertThat(c.running()).isTrue());
    assertThat(h.fake.events(DeployEvent.Pruned.class)).singleElement()
        .satisfies(p -> assertThat(p.removedContainers()).containsExactly(h.webOf(v1)));
  }

  @Test
  void refusedRolledBackAndInterruptedReleasesLoseTheirContainersAtTheNextRelease() throws Exception {
    String v1 = h.deployed(web("v1", 5), "v1").release().id();
    h.fake.whenCreated("app:v2").probe("/up").failsFrom(Duration.ofSeconds(1));
    String rolledBack = h.deploy(web("v2", 5), "v2").release().id();
    h.fake.crashAfter(DeployEvent.OldStopped.class);
    assertThatThrownBy(() -> h.deploy(web("v3", 5), "v3")).isInstanceOf(SimulatedCrash.class);
    h.fake.recover();
    String interrupted = h.history().releases().getLast().id();
    String v4 = h.deployed(web("v4", 5), "v4").release().id();

    assertThat(h.history().find(interrupted).orElseThrow().outcome()).isEqualTo(Release.Outcome.INTERRUPTED);
    assertThat(exists(h.webOf(rolledBack))).isFalse();
    assertThat(exists(h.webOf(interrupted))).isFalse();
    assertThat(exists(h.webOf(v1))).isTrue();
    assertThat(exists(h.webOf(v4))).isTrue();
  }

  @Test
  void aRunningContainerIsNeverPrunedAndAStoppedOneOfAnUnknownReleaseIs() throws Exception {
    h.deployed(web("v1", 1), "v1");
    String running = stray("shop-worker-by-hand", true);
    String stopped = stray("shop-worker-leftover", false);
    h.deployed(web("v2", 1), "v2");

    assertThat(h.fake.container(running)).hasValueSatisfying(c -> assertThat(c.running()).isTrue());
    assertThat(exists(stopped)).isFalse();
  }

  @Test
  void deployerPruneAppliesTheSameRuleAndSparesAccessoriesTheProxyAndTheState() throws Exception {
    String v1 = h.deployed(web("v1", 5), "v1").release().id();
    String v2 = h.deployed(web("v2", 5), "v2").release().id();

    PruneResult pruned = h.deployer().prune(web("v2", 1));

    assertThat(pruned.removedContainers()).containsExactly(h.webOf(v1));
    assertThat(pruned.keptReleases()).containsExactly(v2);
    assertThat(List.of(StackNames.accessoryContainer(Stacks.NAME, "db"), StackNames.proxyContainer(Stacks.NAME),
        StackNames.stateContainer(Stacks.NAME))).allMatch(this::exists);
    assertThat(h.deployer().lock(Stacks.NAME)).isEmpty();
  }

  @Test
  void deployerPruneTakesTheLockAndRefusesWhileALiveHolderHasIt() throws Exception {
    h.deployed(web("v1", 5), "v1");
    h.deployed(web("v2", 5), "v2");
    try (HeldLock held = h.deployer("bob@ci-7").acquireLock(Stacks.NAME, "maintenance")) {
      assertThatThrownBy(() -> h.deployer().prune(web("v2", 1)))
          .isInstanceOfSatisfying(LockHeldException.class, e -> {
            assertThat(e.holder().owner()).isEqualTo("bob@ci-7");
            assertThat(e.reason()).isEqualTo(DeployException.Reason.LOCK_HELD);
          });
      assertThat(h.fake.containers()).extracting(FakeContainer::name)
          .contains(h.webOf(h.history().releases().getFirst().id()));
      assertThat(held.info().operation()).isEqualTo("maintenance");
    }
    assertThat(h.deployer().prune(web("v2", 1)).removedContainers()).hasSize(1);
  }

  private String stray(String name, boolean start) {
    java.util.Map<String, String> labels = StackNames.labels(Stacks.NAME, StackNames.KIND_APP);
    labels.put(StackNames.LABEL_SERVICE, "worker");
    labels.put(StackNames.LABEL_ROLE, "worker");
    labels.put(StackNames.LABEL_RELEASE, "20250101-000000-000000");
    String id = h.fake.create(ContainerSpec.builder(name, "app:v1").labels(labels)
        .network(Stacks.NETWORK, List.of("web")).build());
    if (start) {
      h.fake.start(id);
    }
    return name;
  }
}
