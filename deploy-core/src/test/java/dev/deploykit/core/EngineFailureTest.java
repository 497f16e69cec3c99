package dev.deploykit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An engine call that fails (a transport's deadline, an engine that went away) fails the run with
 * a {@link DeployException} naming the call, frees the lock, leaves no release pending, and the
 * next run converges.
 */
class EngineFailureTest {
  private final Harness h = new Harness().images("app:v1", "app:v2");

  @AfterEach
  void close() {
    h.close();
  }

  @Test
  void aStopThatTimesOutFailsTheDeployNamingTheCallAndTheRerunConverges() throws Exception {
    String v1 = h.deployed(Stacks.of(Stacks.web("app:v1")), "v1").release().id();
    h.fake.callTimesOut("stop");

    assertThatThrownBy(() -> h.deploy(Stacks.of(Stacks.web("app:v2")), "v2"))
        .isInstanceOf(DeployException.class).hasMessageContaining("did not answer stop " + h.webOf(v1));
    assertThat(h.deployer().lock(Stacks.NAME)).isEmpty();
    assertThat(h.history().releases()).extracting(Release::outcome).doesNotContain(Release.Outcome.PENDING)
        .endsWith(Release.Outcome.INTERRUPTED);

    String rerun = h.deployed(Stacks.of(Stacks.web("app:v2")), "v2").release().id();
    assertThat(h.served()).contains(h.webOf(rerun));
    assertThat(h.running("web")).extracting(c -> c.name()).containsExactly(h.webOf(rerun));
  }

  @Test
  void aPullThatTimesOutRefusesTheRelease() throws Exception {
    h.fake.registry("app:v3").callTimesOut("pull");

    DeployResult result = h.deploy(Stacks.of(Stacks.web("app:v3")), "v3");

    assertThat(result).isInstanceOfSatisfying(DeployResult.Refused.class,
        r -> assertThat(r.reason()).contains("app:v3").contains("did not answer pull"));
  }

  @Test
  void anEngineThatDoesNotAnswerFailsBeforeAnythingIsTouched() {
    h.fake.engineDown(true);

    assertThatThrownBy(() -> h.deploy(Stacks.of(Stacks.web("app:v1")), "v1"))
        .isInstanceOfSatisfying(DeployException.class,
            e -> assertThat(e.reason()).isEqualTo(DeployException.Reason.ENGINE_UNAVAILABLE));
    h.fake.engineDown(false);
    assertThat(h.fake.containers()).isEmpty();
  }

  @Test
  void aLeaseThatCannotBeWrittenLeavesNoLockBehind() throws Exception {
    h.fake.callTimesOut("writeFile");

    assertThatThrownBy(() -> h.deploy(Stacks.of(Stacks.web("app:v1")), "v1"))
        .isInstanceOf(DeployException.class).hasMessageContaining("did not answer writeFile");
    assertThat(h.deployer().lock(Stacks.NAME)).isEmpty();
    assertThat(h.deploy(Stacks.of(Stacks.web("app:v1")), "v1")).isInstanceOf(DeployResult.Deployed.class);
  }

  @Test
  void aLockWhoseRemovalTimesOutOnceIsStillFreed() throws Exception {
    h.fake.callTimesOut(call -> call.equals("remove " + StackNames.lockContainer(Stacks.NAME)));

    assertThat(h.deploy(Stacks.of(Stacks.web("app:v1")), "v1")).isInstanceOf(DeployResult.Deployed.class);
    assertThat(h.deployer().lock(Stacks.NAME)).isEmpty();
    assertThat(h.deploy(Stacks.of(Stacks.web("app:v2")), "v2")).isInstanceOf(DeployResult.Deployed.class);
  }

  @Test
  void aNewContainerWhoseCreateTimesOutFailsTheRunAndTheRerunConverges() throws Exception {
    h.deployed(Stacks.of(Stacks.web("app:v1")), "v1");
    h.fake.callTimesOut(call -> call.startsWith("create shop-web-"));

    assertThatThrownBy(() -> h.deploy(Stacks.of(Stacks.web("app:v2")), "v2"))
        .isInstanceOf(DeployException.class).hasMessageContaining("did not answer create shop-web-");
    assertThat(h.deployer().lock(Stacks.NAME)).isEmpty();
    assertThat(h.deploy(Stacks.of(Stacks.web("app:v2")), "v2")).isInstanceOf(DeployResult.Deployed.class);
    assertThat(h.history().releases()).extracting(Release::outcome)
        .containsExactly(Release.Outcome.SUPERSEDED, Release.Outcome.INTERRUPTED, Release.Outcome.LIVE);
  }
}
