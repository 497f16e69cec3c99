package dev.deploykit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploykit.core.engine.ContainerState;
import dev.deploykit.core.testing.SimulatedCrash;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A run that dies (as with {@code kill -9}) at any point leaves the host half done; the next run
 * takes the dead run's lock over by itself and converges: one live release, the proxy on a
 * running container of it, no stray web container, the cut-short release marked interrupted.
 */
class CrashRecoveryTest {
  private final Harness h = new Harness().images("app:v1", "app:v2", "worker:v1", "worker:v2", "postgres:18.1")
      .databaseStep((stack, host) -> Optional.of("db-init: 2 migrations applied"));

  @AfterEach
  void close() {
    h.close();
  }

  /** The whole stack, with a database step, a webhook (that refuses) and retain 1, so every event happens. */
  static Stack stack(String version) {
    return Stacks.full(version).withSettings(StackSettings.defaults().withProxyPort(8080).withRetain(1)
        .withNotifyWebhook(URI.create("http://127.0.0.1:9/hook")));
  }

  /** What the crashing run needs for its event to happen. */
  enum Scenario {
    GOOD, WORKER_FAILS, WATCH_FAILS, AFTER_A_DEAD_LOCK, AFTER_A_DEAD_RELEASE;

    static Scenario provoking(Class<?> type) {
      if (type == DeployEvent.HealthGateFailed.class) {
        return WORKER_FAILS;
      }
      if (type == DeployEvent.WatchFailed.class || type == DeployEvent.RolledBack.class) {
        return WATCH_FAILS;
      }
      if (type == DeployEvent.LockTakenOver.class) {
        return AFTER_A_DEAD_LOCK;
      }
      return type == DeployEvent.Converged.class ? AFTER_A_DEAD_RELEASE : GOOD;
    }
  }

  @SuppressWarnings("unchecked")
  static Stream<Class<? extends DeployEvent>> everyEventType() {
    // Image deliveries happen only for a remote host: ImageDeliveryTest crashes after them. The
    // backup before migrations runs pg_dump in a real container (CliDbBackupIT).
    return Arrays.stream(DeployEvent.class.getPermittedSubclasses())
        .filter(c -> c != DeployEvent.ImagePushed.class && c != DeployEvent.ImageTransfer.class
            && c != DeployEvent.DatabaseBackedUp.class)
        .map(c -> (Class<? extends DeployEvent>) c);
  }

  @ParameterizedTest
  @MethodSource("everyEventType")
  void aRunThatDiesAfterAnyEventIsConvergedByTheNextRun(Class<? extends DeployEvent> type) throws Exception {
    prepare(Scenario.provoking(type));
    h.fake.crashAfter(type);
    crash();
    rerunConverges();
  }

  /** Counts the events of a good second release, so that a crash can follow each of them. */
  static IntStream everyEventOfAGoodRelease() throws Exception {
    try (Harness dry = new Harness().images("app:v1", "app:v2", "worker:v1", "worker:v2", "postgres:18.1")
        .databaseStep((stack, host) -> Optional.of("db-init"))) {
      dry.deployed(stack("v1"), "v1");
      dry.fake.forgetEvents();
      dry.deployed(stack("v2"), "v2");
      return IntStream.rangeClosed(1, dry.fake.events().size());
    }
  }

  @ParameterizedTest
  @MethodSource("everyEventOfAGoodRelease")
  void aRunThatDiesBetweenAnyTwoEventsIsConvergedByTheNextRun(int event) throws Exception {
    prepare(Scenario.GOOD);
    h.fake.crashAfterEvents(event);
    crash();
    rerunConverges();
  }

  /** A call that changes the host, as the engine double's journal writes it. */
  static boolean changesTheHost(String call) {
    return call.matches("(create|start|stop|remove|writeFile|ensureVolume|ensureNetwork) .*")
        || call.contains(": set server");
  }

  /** Counts the calls of a good second release that change the host. */
  static IntStream everyChangeOfAGoodRelease() throws Exception {
    try (Harness dry = new Harness().images("app:v1", "app:v2", "worker:v1", "worker:v2", "postgres:18.1")
        .databaseStep((stack, host) -> Optional.of("db-init"))) {
      dry.deployed(stack("v1"), "v1");
      int before = dry.fake.journal().size();
      dry.deployed(stack("v2"), "v2");
      List<String> calls = dry.fake.journal();
      return IntStream.rangeClosed(1, (int) calls.subList(before, calls.size()).stream()
          .filter(CrashRecoveryTest::changesTheHost).count());
    }
  }

  @ParameterizedTest
  @MethodSource("everyChangeOfAGoodRelease")
  void aRunKilledAtAnyChangeItMakesToTheHostIsConvergedByTheNextRun(int change) throws Exception {
    prepare(Scenario.GOOD);
    int[] seen = {0};
    h.fake.crashOn(call -> changesTheHost(call) && ++seen[0] == change);
    crash();
    rerunConverges();
  }

  @Test
  void aRunKilledWhileTheProxyDrainsIsConvergedByTheNextRun() throws Exception {
    prepare(Scenario.GOOD);
    h.fake.drainTakes(Duration.ofSeconds(3), 2);
    h.fake.crashOn(call -> call.contains("state drain"));
    crash();
    assertThat(h.fake.proxy(Stacks.NAME).servedAddresses("web")).hasSize(1);
    rerunConverges();
  }

  @Test
  void aFirstRunKilledBeforeItsProxyStartedIsConvergedByTheNextRun() throws Exception {
    h.fake.crashOn(call -> call.startsWith("start shop-proxy"));
    assertThatThrownBy(() -> h.deploy(stack("v1"), "crashed")).isInstanceOf(SimulatedCrash.class);
    h.fake.recover();
    rerunConverges();
  }

  private void prepare(Scenario scenario) throws InterruptedException {
    h.deployed(stack("v1"), "v1");
    switch (scenario) {
      case WORKER_FAILS -> h.fake.whenCreated("worker:v2").exitsAtBoot(1);
      case WATCH_FAILS -> h.fake.whenCreated("app:v2").probe("/up").failsFrom(Duration.ofSeconds(2));
      case AFTER_A_DEAD_LOCK -> diesAfter(DeployEvent.LockTaken.class);
      case AFTER_A_DEAD_RELEASE -> diesAfter(DeployEvent.SnapshotWritten.class);
      case GOOD -> { }
    }
    h.fake.forgetEvents();
  }

  private void diesAfter(Class<? extends DeployEvent> type) {
    h.fake.crashAfter(type);
    assertThatThrownBy(() -> h.deploy(stack("v2"), "dead")).isInstanceOf(SimulatedCrash.class);
    h.fake.recover();
  }

  private void crash() {
    assertThatThrownBy(() -> h.deploy(stack("v2"), "crashed")).as("the run reached its crash point")
        .isInstanceOf(SimulatedCrash.class);
    h.fake.recover();
  }

  private void rerunConverges() throws InterruptedException {
    boolean crashedHoldingTheLock = h.deployer().lock(Stacks.NAME).isPresent();
    List<String> cutShort = h.history().releases().stream()
        .filter(r -> r.outcome() == Release.Outcome.PENDING).map(Release::id).toList();
    h.fake.forgetEvents();
    DeployResult rerun = h.deploy(stack("v2"), "rerun");

    ReleaseHistory history = h.history();
    assertThat(history.releases()).extracting(Release::outcome).doesNotContain(Release.Outcome.PENDING)
        .containsOnlyOnce(Release.Outcome.LIVE);
    Release live = h.live();
    assertThat(h.served()).as("the proxy serves the live release %s", live.id()).contains(h.webOf(live.id()));
    assertThat(h.running("web")).extracting(ContainerState::name).containsExactly(h.webOf(live.id()));
    assertThat(h.running("worker")).hasSize(2).allSatisfy(w -> assertThat(w.isOfRelease(live.id())).isTrue());
    assertThat(h.running("db")).hasSize(1);
    assertThat(h.deployer().lock(Stacks.NAME)).isEmpty();
    if (crashedHoldingTheLock) {
      assertThat(h.fake.events(DeployEvent.LockTakenOver.class)).hasSize(1);
    }
    assertThat(cutShort).allSatisfy(id ->
        assertThat(history.find(id).orElseThrow().outcome()).isEqualTo(Release.Outcome.INTERRUPTED));
    assertThat(rerun.release().outcome()).isNotEqualTo(Release.Outcome.PENDING);
  }
}
