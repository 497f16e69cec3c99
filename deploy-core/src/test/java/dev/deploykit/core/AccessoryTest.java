package dev.deploykit.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploykit.core.engine.VolumeMount;
import dev.deploykit.core.testing.FakeContainer;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Accessories are created once and kept across releases, never replaced as a side effect of a deploy. */
class AccessoryTest {
  private static final String DB = StackNames.accessoryContainer(Stacks.NAME, "db");
  private final Harness h = new Harness().images("app:v1", "app:v2", "postgres:18.1", "postgres:18.2",
      "redis:7", "worker:v1", "worker:v2");

  @AfterEach
  void close() {
    h.close();
  }

  @Test
  void anAccessoryIsCreatedOnceAndKeptRunningAcrossReleases() throws Exception {
    h.deployed(Stacks.full("v1"), "v1");
    FakeContainer first = h.fake.container(DB).orElseThrow();
    h.deployed(Stacks.full("v2"), "v2");

    FakeContainer after = h.fake.container(DB).orElseThrow();
    assertThat(after.id()).isEqualTo(first.id());
    assertThat(after.starts()).isEqualTo(1);
    assertThat(after.stops()).isZero();
    assertThat(h.fake.events(DeployEvent.AccessoryReady.class)).extracting(DeployEvent.AccessoryReady::created)
        .containsExactly(true, false);
  }

  @Test
  void anAccessoryWhoseImageChangedKeepsRunningTheImageItWasCreatedFrom() throws Exception {
    h.deployed(Stacks.full("v1"), "v1");
    String createdFrom = h.fake.container(DB).orElseThrow().imageId();
    Stack upgraded = Stacks.of(Stacks.db("postgres:18.2"), Stacks.web("app:v2"), Stacks.worker("worker:v2", 2));
    h.deployed(upgraded, "v2");

    assertThat(h.fake.container(DB).orElseThrow().imageId()).isEqualTo(createdFrom)
        .isEqualTo(h.fake.image("postgres:18.1"));
    assertThat(h.fake.journal()).filteredOn(call -> call.startsWith("create " + DB)).hasSize(1);
  }

  @Test
  void aKeptAccessoryWithoutHealthcheckCostsOneProbeNotItsSettleTime() throws Exception {
    Service cache = Service.builder("cache").image("redis:7").build();
    h.deployed(Stacks.of(cache, Stacks.web("app:v1")), "v1");
    int inspectsBefore = inspectsOf("shop-cache");
    h.deployed(Stacks.of(cache, Stacks.web("app:v2")), "v2");

    // Fake time: the first run waited the settle time for the new container; the second run's
    // gate asks once and moves on.
    DeployEvent.AccessoryReady ready = h.fake.events(DeployEvent.AccessoryReady.class).getLast();
    DeployEvent.SnapshotWritten before = h.fake.events(DeployEvent.SnapshotWritten.class).getLast();
    assertThat(ready.created()).isFalse();
    assertThat(ready.at().minus(before.at())).isLessThan(java.time.Duration.ofMillis(50));
    assertThat(inspectsOf("shop-cache") - inspectsBefore).isLessThanOrEqualTo(2);
  }

  private int inspectsOf(String name) {
    return (int) h.fake.journal().stream().filter(call -> call.startsWith("inspect " + name)).count();
  }

  @Test
  void aStoppedAccessoryIsStartedAgainNotReplaced() throws Exception {
    h.deployed(Stacks.full("v1"), "v1");
    h.fake.stop(DB, java.time.Duration.ofSeconds(10));
    h.deployed(Stacks.full("v2"), "v2");

    FakeContainer db = h.fake.container(DB).orElseThrow();
    assertThat(db.running()).isTrue();
    assertThat(db.starts()).isEqualTo(2);
  }

  @Test
  void accessoriesStartInDependencyOrderWhateverTheFileOrder() throws Exception {
    Service cache = Service.builder("cache").image("redis:7")
        .dependsOn(new Dependency("db", Dependency.Condition.SERVICE_HEALTHY)).build();
    h.deployed(Stacks.of(cache, Stacks.db("postgres:18.1"), Stacks.web("app:v1")), "v1");

    assertThat(h.fake.events(DeployEvent.AccessoryReady.class)).extracting(DeployEvent.AccessoryReady::service)
        .containsExactly("db", "cache");
    assertThat(h.fake.journal()).filteredOn(call -> call.startsWith("start shop-"))
        .startsWith("start " + DB, "start shop-cache");
  }

  @Test
  void aNamedVolumeIsMadeOnceAndOutlivesDownUnlessVolumesAreAsked() throws Exception {
    Service db = Stacks.db("postgres:18.1").newBuilder()
        .volume(new VolumeMount("volume", "data", "/var/lib/postgresql", false)).build();
    h.deployed(Stacks.of(db, Stacks.web("app:v1")), "v1");
    h.deployed(Stacks.of(db, Stacks.web("app:v2")), "v2");
    String volume = StackNames.volume(Stacks.NAME, "data");
    assertThat(h.fake.container(DB).orElseThrow().spec().volumes()).extracting(VolumeMount::source)
        .containsExactly(volume);

    h.deployer().down(Stacks.NAME, false);
    assertThat(h.fake.containers()).isEmpty();
    assertThat(h.fake.volumes()).contains(volume).doesNotContain(StackNames.stateVolume(Stacks.NAME));
    h.deployer().down(Stacks.NAME, true);
    assertThat(h.fake.volumes()).doesNotContain(volume);
    assertThat(h.fake.networks()).isEqualTo(List.of());
  }
}
