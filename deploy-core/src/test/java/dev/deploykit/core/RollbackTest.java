package dev.deploykit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import dev.deploykit.core.testing.FakeContainer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A rollback to release R runs R again: its images by id and its own configuration. */
class RollbackTest {
  private final Harness h = new Harness().images("app:v1", "app:v2", "app:v3");

  @AfterEach
  void close() {
    h.close();
  }

  private String release(String image, String version) throws InterruptedException {
    return h.deployed(Stacks.of(Stacks.web(image)), version).release().id();
  }

  @Test
  void aRollbackToRRunsRsPinnedImageAndRsSnapshotNotTheCurrentFile() throws Exception {
    String v1Image = h.fake.image("app:v1");
    h.fake.whenCreated(v1Image).probe("/healthz").failsAlways();
    Service v1Web = Stacks.web("app:v1", Map.of("FEATURE", "old"));
    String v1 = h.deployed(Stacks.of(v1Web), "v1").release().id();
    Service v2Web = Stacks.web("app:v2", Map.of("FEATURE", "new")).newBuilder()
        .deploy(Stacks.webDeploy().withHealth("/healthz", 8080)).build();
    h.deployed(Stacks.of(v2Web), "v2");
    h.fake.retag("app:v1");

    DeployResult result = h.deployer().rollback(Stacks.NAME, v1);

    assertThat(result).isInstanceOf(DeployResult.Deployed.class);
    Release restored = result.release();
    assertThat(restored.rollbackOf()).isEqualTo(v1);
    assertThat(restored.imageIds()).containsEntry("web", v1Image);
    FakeContainer web = h.fake.container(h.webOf(restored.id())).orElseThrow();
    assertThat(web.imageId()).isEqualTo(v1Image);
    assertThat(web.spec().environment()).containsEntry("FEATURE", "old")
        .containsEntry("DEPLOYKIT_RELEASE", restored.id());
    assertThat(h.served()).contains(web.name());
  }

  @Test
  void aPlainRollbackGoesToTheReleaseThatServedBeforeTheLiveOne() throws Exception {
    release("app:v1", "v1");
    String v2 = release("app:v2", "v2");
    String v3 = release("app:v3", "v3");

    Release restored = h.deployer().rollback(Stacks.NAME).release();

    assertThat(restored.rollbackOf()).isEqualTo(v2);
    assertThat(restored.message()).isEqualTo("restored release " + v2);
    assertThat(h.history().releases()).extracting(Release::id, Release::outcome).endsWith(
        tuple(v3, Release.Outcome.SUPERSEDED), tuple(restored.id(), Release.Outcome.LIVE));
    assertThat(h.deployer().auditLog(Stacks.NAME)).last().asString().contains("restored release " + v2);
  }

  @Test
  void aRollbackWithoutAnEarlierReleaseSaysSoByItsReason() throws Exception {
    assertThatThrownBy(() -> h.deployer().rollback(Stacks.NAME)).isInstanceOfSatisfying(DeployException.class,
        e -> assertThat(e.reason()).isEqualTo(DeployException.Reason.NO_EARLIER_RELEASE));
    release("app:v1", "v1");
    assertThatThrownBy(() -> h.deployer().rollback(Stacks.NAME)).isInstanceOfSatisfying(DeployException.class,
        e -> assertThat(e.reason()).isEqualTo(DeployException.Reason.NO_EARLIER_RELEASE));
    assertThat(h.history().releases()).hasSize(1);
  }

  @Test
  void aRollbackToAReleaseTheHistoryDoesNotKnowSaysSoByItsReason() throws Exception {
    release("app:v1", "v1");
    assertThatThrownBy(() -> h.deployer().rollback(Stacks.NAME, "20250101-000000-abcdef"))
        .isInstanceOfSatisfying(DeployException.class, e -> {
          assertThat(e.reason()).isEqualTo(DeployException.Reason.UNKNOWN_RELEASE);
          assertThat(e.getMessage()).contains("20250101-000000-abcdef");
        });
  }

  @Test
  void aReleaseRefusedBeforeItPinnedItsImagesCannotBeRestored() throws Exception {
    release("app:v1", "v1");
    String refused = h.deploy(Stacks.of(Stacks.web("app:missing")), "bad").release().id();

    assertThatThrownBy(() -> h.deployer().rollback(Stacks.NAME, refused))
        .isInstanceOfSatisfying(DeployException.class,
            e -> assertThat(e.reason()).isEqualTo(DeployException.Reason.RELEASE_NOT_RESTORABLE));
  }

  @Test
  void aRollbackIsGatedLikeAnyReleaseAndRefusedWhenRsImageNoLongerStarts() throws Exception {
    String v1 = release("app:v1", "v1");
    release("app:v2", "v2");
    h.fake.whenCreated(h.fake.image("app:v1")).exitsAtBoot(1);

    DeployResult result = h.deployer().rollback(Stacks.NAME, v1);

    assertThat(result).isInstanceOf(DeployResult.Refused.class);
    assertThat(h.live().images()).containsEntry("web", "app:v2");
    assertThat(List.of(h.served().orElseThrow())).allMatch(name -> name.equals(h.webOf(h.live().id())));
  }
}
