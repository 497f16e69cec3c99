package dev.deploykit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploykit.core.testing.FakeDockerHost;
import dev.deploykit.core.testing.FakeRegistry;
import dev.deploykit.health.wait.FakeTimeSource;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Images delivered from the operator's engine to the host through a registry: pushed, pinned by
 * the registry's digest, pulled by that digest with the credentials in the call; the
 * local-registry mode; the refusals.
 */
class ImageDeliveryTest {
  private static final String SERVER = "registry.example.com";
  private final Harness h = new Harness();
  private final FakeDockerHost operator = new FakeDockerHost(new FakeTimeSource());
  private final FakeRegistry registry = new FakeRegistry(SERVER).requireLogin("deploy", "s3cret");
  private final Map<String, String> environment = new HashMap<>(Map.of("REGISTRY_PASSWORD", "s3cret"));

  ImageDeliveryTest() {
    operator.image("app:v1");
    operator.image("app:v2");
    operator.reaches(registry);
    h.fake.reaches(registry);
  }

  @AfterEach
  void close() {
    h.close();
    operator.close();
  }

  private Deployer deployer() {
    return h.builder(Harness.OWNER).imageSource(operator).environment(environment::get).build();
  }

  private static Stack withRegistry(String image) {
    Stack stack = Stacks.of(Stacks.web(image));
    return stack.withSettings(stack.settings().withRegistry(
        RegistrySettings.passwordFromEnvironment(SERVER, "deploy", "REGISTRY_PASSWORD")));
  }

  @Test
  void anImageIsPushedPinnedByItsRegistryDigestAndPulledByThatDigest() throws Exception {
    DeployResult result = deployer().deploy(withRegistry("app:v2"), "v2");

    String digestRef = SERVER + "/app@" + FakeRegistry.digestOf(operator.image("app:v2"));
    assertThat(result).isInstanceOf(DeployResult.Deployed.class);
    assertThat(registry.pushes()).containsExactly(SERVER + "/app:v2");
    assertThat(registry.pulls()).containsExactly(digestRef);
    assertThat(result.release().imageDigests()).containsEntry("web", digestRef);
    assertThat(result.release().imageIds()).containsEntry("web", operator.image("app:v2"));
    assertThat(h.fake.events(DeployEvent.ImagePushed.class)).singleElement()
        .satisfies(e -> assertThat(e.pinned()).isEqualTo(digestRef));
    assertThat(h.history().live().orElseThrow().imageDigests()).containsEntry("web", digestRef);
  }

  @Test
  void aRollbackRunsThePinnedDigestsAndPushesNothing() throws Exception {
    Deployer deployer = deployer();
    Release v1 = deployer.deploy(withRegistry("app:v1"), "v1").release();
    deployer.deploy(withRegistry("app:v2"), "v2");

    DeployResult back = deployer.rollback(Stacks.NAME);

    assertThat(back).isInstanceOf(DeployResult.Deployed.class);
    assertThat(registry.pushes()).hasSize(2);
    assertThat(back.release().imageDigests()).isEqualTo(v1.imageDigests());
    assertThat(back.release().imageIds()).isEqualTo(v1.imageIds());
  }

  @Test
  void refusedCredentialsNameTheRegistryAndUserNeverThePassword() {
    environment.put("REGISTRY_PASSWORD", "wrong-password");

    assertThatThrownBy(() -> deployer().deploy(withRegistry("app:v2"), "v2"))
        .isInstanceOfSatisfying(DeployException.class, e -> {
          assertThat(e.reason()).isEqualTo(DeployException.Reason.REGISTRY_CREDENTIALS);
          assertThat(e.getMessage()).contains(SERVER, "deploy").doesNotContain("wrong-password");
        });
    assertThat(h.history().releases()).isEmpty();
    assertThat(deployer().lock(Stacks.NAME)).isEmpty();
  }

  @Test
  void anUnsetPasswordVariableIsNamed() {
    environment.clear();

    assertThatThrownBy(() -> deployer().deploy(withRegistry("app:v2"), "v2"))
        .isInstanceOfSatisfying(DeployException.class, e -> {
          assertThat(e.reason()).isEqualTo(DeployException.Reason.REGISTRY_CREDENTIALS);
          assertThat(e.getMessage()).contains("REGISTRY_PASSWORD", "not set", SERVER);
        });
    assertThat(registry.pushes()).isEmpty();
  }

  @Test
  void anUnreachableRegistryIsItsOwnReason() {
    registry.down(true);

    assertThatThrownBy(() -> deployer().deploy(withRegistry("app:v2"), "v2"))
        .isInstanceOfSatisfying(DeployException.class,
            e -> assertThat(e.reason()).isEqualTo(DeployException.Reason.REGISTRY_UNREACHABLE));
  }

  @Test
  void withoutARegistryTheImagesGoThroughARegistryOnTheOperatorsLoopbackKeptBetweenRuns() throws Exception {
    FakeRegistry local = new FakeRegistry("127.0.0.1:5555");
    operator.reaches(local);
    operator.image(Deployer.DEFAULT_LOCAL_REGISTRY_IMAGE);
    h.fake.reaches(local);
    Deployer deployer = deployer();

    Release v1 = deployer.deploy(Stacks.of(Stacks.web("app:v1")), "v1").release();
    deployer.deploy(Stacks.of(Stacks.web("app:v2")), "v2");

    assertThat(local.pushes()).containsExactly("127.0.0.1:5555/app:v1", "127.0.0.1:5555/app:v2");
    assertThat(v1.imageDigests()).containsEntry("web",
        "127.0.0.1:5555/app@" + FakeRegistry.digestOf(operator.image("app:v1")));
    assertThat(operator.containers(Map.of("dev.deploykit.registry", "local"))).singleElement()
        .satisfies(c -> assertThat(c.running()).isTrue());
    assertThat(operator.journal()).filteredOn(call -> call.startsWith("create")).hasSize(1);
  }

  @Test
  void aHostOnTheLocalEngineGetsNoDeliveryEvenWithARegistryNamed() throws Exception {
    h.images("app:v2");

    DeployResult result = h.deploy(withRegistry("app:v2"), "v2");

    assertThat(result).isInstanceOf(DeployResult.Deployed.class);
    assertThat(registry.pushes()).isEmpty();
    assertThat(result.release().imageDigests()).isEmpty();
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(classes = {DeployEvent.ImagePushed.class, DeployEvent.ImageTransfer.class})
  void aRunThatDiesAfterADeliveryIsConvergedByTheNextRun(Class<? extends DeployEvent> type) throws Exception {
    deployer().deploy(withRegistry("app:v1"), "v1");
    h.fake.crashAfter(type);
    assertThatThrownBy(() -> deployer().deploy(withRegistry("app:v2"), "dead"))
        .isInstanceOf(dev.deploykit.core.testing.SimulatedCrash.class);
    h.fake.recover();

    DeployResult rerun = deployer().deploy(withRegistry("app:v2"), "rerun");

    assertThat(rerun).isInstanceOf(DeployResult.Deployed.class);
    assertThat(h.history().releases()).extracting(Release::outcome).containsOnlyOnce(Release.Outcome.LIVE);
    assertThat(rerun.release().imageDigests()).containsKey("web");
  }
}
