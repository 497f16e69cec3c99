package dev.deploykit.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deploykit.core.engine.PortMapping;
import dev.deploykit.core.testing.FakeDockerHost;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each kind of bad release is refused, says why, and leaves the old release serving. */
class BadReleaseTest {
  private final Harness h = new Harness()
      .images("app:v1", "app:v2", "postgres:18.1", "worker:v1", "worker:v2");

  @AfterEach
  void close() {
    h.close();
  }

  private DeployResult.Refused refused(Stack stack) throws InterruptedException {
    DeployResult result = h.deploy(stack, "bad");
    assertThat(result).isInstanceOf(DeployResult.Refused.class);
    return (DeployResult.Refused) result;
  }

  @Test
  void anImageThatCannotBePulledIsRefusedBeforeAnyContainerIsCreated() throws Exception {
    h.fake.pullFails("worker:v9");
    DeployResult.Refused r = refused(Stacks.of(Stacks.db("postgres:18.1"), Stacks.web("app:v1"),
        Stacks.worker("worker:v9", 1)));

    assertThat(r.reason()).contains("worker").contains("worker:v9").contains("manifest unknown");
    assertThat(h.fake.journal()).noneMatch(call -> call.startsWith("create shop-db")
        || call.startsWith("create shop-web") || call.startsWith("create shop-worker"));
    assertThat(r.release().outcome()).isEqualTo(Release.Outcome.REFUSED);
    assertThat(h.deployer().snapshot(Stacks.NAME, r.release().id())).isEmpty();
  }

  @Test
  void aWebContainerThatExitsAtBootIsRefusedWithItsExitCodeAndLogs() throws Exception {
    String v1 = h.deployed(Stacks.of(Stacks.web("app:v1")), "v1").release().id();
    h.fake.whenCreated("app:v2").exitsAtBoot(3).logs("Error: DATABASE_URL is not set");
    DeployResult.Refused r = refused(Stacks.of(Stacks.web("app:v2")));

    assertThat(r.reason()).contains("service web").contains("exited with code 3");
    assertThat(r.logs()).contains("Error: DATABASE_URL is not set");
    assertThat(h.served()).contains(h.webOf(v1));
    assertThat(h.containersOf("web", r.release().id())).isEmpty();
    assertThat(h.live().id()).isEqualTo(v1);
  }

  @Test
  void aWorkerThatCrashLoopsIsRefusedWithTheRestartsDockerMade() throws Exception {
    h.fake.whenCreated("worker:v2").exitsAfter(Duration.ofMillis(400), 1);
    Service looping = Stacks.worker("worker:v2", 1).newBuilder().restart("always").build();
    DeployResult.Refused r = refused(Stacks.of(Stacks.web("app:v1"), looping));

    assertThat(r.reason()).contains("service worker").contains("Docker restarted it 1 time");
    assertThat(h.running("worker")).isEmpty();
  }

  @Test
  void aWebContainerThatNeverAnswersIsRefusedNamingTheLastProbe() throws Exception {
    String v1 = h.deployed(Stacks.of(Stacks.web("app:v1")), "v1").release().id();
    h.fake.whenCreated("app:v2").neverHealthy();
    DeployResult.Refused r = refused(Stacks.of(Stacks.web("app:v2")));

    assertThat(r.reason()).contains("/up").contains("never answered 2xx within 10 s")
        .contains("last probe").contains("HTTP 503");
    assertThat(h.fake.events(DeployEvent.HealthGateFailed.class)).singleElement()
        .satisfies(e -> assertThat(e.service()).isEqualTo("web"));
    assertThat(h.fake.events(DeployEvent.TrafficSwitched.class)).hasSize(1);
    assertThat(h.served()).contains(h.webOf(v1));
  }

  @Test
  void aWebServiceProbedOnAPortItDoesNotListenOnIsRefusedNamingThePort() throws Exception {
    h.fake.whenCreated("app:v2").listensOn(8080);
    Service wrongPort = Service.builder("web").image("app:v2").deploy(Stacks.webDeploy().withHealthPort(9090))
        .port(new PortMapping(null, null, 9090, "tcp")).build();
    DeployResult.Refused r = refused(Stacks.of(wrongPort));

    assertThat(r.reason()).contains("/up on port 9090 never answered 2xx")
        .contains(h.webOf(r.release().id()) + ":9090").doesNotContain("127.0.0.1");
    assertThat(h.served()).isEmpty();
  }

  @Test
  void anAccessoryThatNeverTurnsHealthyRefusesTheReleaseBeforeAnyWebContainer() throws Exception {
    h.fake.whenCreated("postgres:18.1").dockerHealth("unhealthy").logs("FATAL: data directory has wrong ownership");
    DeployResult.Refused r = refused(Stacks.full("v1"));

    assertThat(r.reason()).contains("accessory db").contains("not healthy within 10 s");
    assertThat(r.logs()).contains("FATAL: data directory has wrong ownership");
    assertThat(h.fake.journal()).noneMatch(call -> call.startsWith("create shop-web"));
    assertThat(h.fake.proxy(Stacks.NAME).running()).isFalse();
  }

  @Test
  void aFailingDatabaseStepRefusesTheReleaseWhileTheOldOneServes() throws Exception {
    String v1 = h.deployed(Stacks.full("v1"), "v1").release().id();
    h.databaseStep((stack, host) -> {
      throw new DeployException(DeployException.Reason.DATABASE, "migration V3__orders failed: syntax error");
    });
    DeployResult.Refused r = refused(Stacks.full("v2"));

    assertThat(r.reason()).contains("database step").contains("V3__orders");
    assertThat(h.containersOf("web", r.release().id())).isEmpty();
    assertThat(h.served()).contains(h.webOf(v1));
    assertThat(h.running("worker")).allSatisfy(w -> assertThat(w.isOfRelease(v1)).isTrue()).hasSize(2);
  }

  @Test
  void aWorkerThatFailsItsGateUndoesTheWebSwitch() throws Exception {
    String v1 = h.deployed(Stacks.full("v1"), "v1").release().id();
    h.fake.forgetEvents();
    h.fake.whenCreated("worker:v2").exitsAtBoot(1);
    DeployResult.Refused r = refused(Stacks.full("v2"));

    assertThat(r.reason()).contains("service worker").contains("exited with code 1");
    assertThat(h.served()).contains(h.webOf(v1));
    assertThat(h.running("web")).extracting(c -> c.name()).containsExactly(h.webOf(v1));
    assertThat(h.running("worker")).hasSize(2).allSatisfy(w -> assertThat(w.isOfRelease(v1)).isTrue());
    assertThat(h.fake.events(DeployEvent.RolledBack.class)).singleElement()
        .satisfies(e -> assertThat(e.restoredRelease()).isEqualTo(v1));
    assertThat(h.live().id()).isEqualTo(v1);
  }

  @Test
  void aRefusedReleaseIsRecordedWithItsReasonAndAnAuditLine() throws Exception {
    h.deployed(Stacks.of(Stacks.web("app:v1")), "v1");
    h.fake.whenCreated("app:v2").exitsAtBoot(3);
    DeployResult.Refused r = refused(Stacks.of(Stacks.web("app:v2")));

    assertThat(h.history().find(r.release().id())).hasValueSatisfying(rel -> {
      assertThat(rel.outcome()).isEqualTo(Release.Outcome.REFUSED);
      assertThat(rel.message()).isEqualTo(r.reason());
    });
    assertThat(h.deployer().auditLog(Stacks.NAME)).last().asString().contains("REFUSED").contains("code 3");
    assertThat(r.release().imageIds()).containsEntry("web", FakeDockerHost.idOf("app:v2"));
  }
}
