package dev.deploykit.it.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.exception.DockerException;
import dev.deploykit.core.ComposeFile;
import dev.deploykit.core.DeployEvent;
import dev.deploykit.core.DeployException;
import dev.deploykit.core.DeployResult;
import dev.deploykit.core.Deployer;
import dev.deploykit.core.Stack;
import dev.deploykit.core.engine.DockerHost;
import dev.deploykit.core.engine.RegistryAuth;
import dev.deploykit.core.engine.SshHost;
import dev.deploykit.core.engine.TransferProgress;
import dev.deploykit.images.Recipes;
import dev.deploykit.it.support.DockerRequired;
import dev.deploykit.it.support.StandInImageSubstitutor;
import dev.deploykit.it.support.TestDroplet;
import dev.deploykit.it.support.TestRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;

/**
 * Images through a registry to a test droplet over SSH: pushed from this machine's engine,
 * pinned by the registry's digest, pulled on the droplet by that digest with the credentials in
 * the call (nothing written to the droplet's disk); refused credentials, a missing image and an
 * unreachable registry; and Kamal's local-registry mode through the deployer, where only the
 * layers the droplet lacks cross the SSH connection (the bytes are printed). The droplet reaches
 * the authenticated test registry as {@code 127.0.0.1:PORT}, as this machine does, through a
 * remote forward the test holds: a registry both sides reach under one name.
 */
@ExtendWith(DockerRequired.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
// Among the longest classes: started first when classes run side by side (it-tests/pom.xml).
@Order(8)
class RegistrySshIT {
  private static final Duration TRANSFER = Duration.ofMinutes(5);
  private static final String CHANGED = "deploykit.local/sample-app:registry-it-changed";

  private TestDroplet droplet;
  private TestRegistry registry;
  private SshHost ssh;
  private DockerHost local;
  private SshHost.ReverseForward toRegistry;
  private String app;
  private String busybox;
  private String registryImage;
  private int localRegistryPort;
  @TempDir Path dir;

  @BeforeAll
  void start() throws IOException {
    app = StandInImageSubstitutor.images().build(Recipes.sampleApp("v1"));
    busybox = StandInImageSubstitutor.images().build(Recipes.BUSYBOX);
    registryImage = StandInImageSubstitutor.images().build(Recipes.REGISTRY_2);
    buildChangedApp();
    registry = TestRegistry.start();
    droplet = TestDroplet.start();
    ssh = droplet.ssh().build();
    local = DockerHost.local();
    toRegistry = ssh.reverseForward(registry.port(), new InetSocketAddress("127.0.0.1", registry.port()));
  }

  /** The sample app with one more layer: a 1 MiB file, as a release that changed one jar. */
  private void buildChangedApp() throws IOException {
    Path context = Files.createTempDirectory("registry-it-");
    Files.writeString(context.resolve("Dockerfile"), "FROM " + app + "\n"
        + "RUN head -c 1048576 /dev/urandom > /opt/deploykit-sample/changed.bin\n");
    DockerClient docker = DockerClientFactory.instance().client();
    docker.buildImageCmd(context.toFile()).withTags(java.util.Set.of(CHANGED)).withPull(false)
        .exec(new BuildImageResultCallback()).awaitImageId(5, java.util.concurrent.TimeUnit.MINUTES);
  }

  @AfterAll
  void stop() {
    List<AutoCloseable> all = new ArrayList<>();
    all.add(toRegistry);
    all.add(ssh);
    all.add(droplet);
    all.add(registry);
    for (AutoCloseable c : all) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        System.out.println("RegistrySshIT: cleaning up: " + e);
      }
    }
    DockerClient docker = DockerClientFactory.instance().client();
    if (localRegistryPort != 0) {
      // Only this class's registry: other classes' deploys may be using theirs right now.
      String name = "deploykit-registry-" + localRegistryPort;
      quietly(() -> docker.removeContainerCmd(name).withForce(true).exec());
      quietly(() -> docker.removeVolumeCmd(name).exec());
    }
    List<String> made = new ArrayList<>(List.of(CHANGED, registry.server() + "/sample-app:v1",
        registry.server() + "/busybox:trixie", registry.server() + "/sample-app:registry-it-changed"));
    if (localRegistryPort != 0) {
      made.add("127.0.0.1:" + localRegistryPort + "/sample-app:v1");
      made.add("127.0.0.1:" + localRegistryPort + "/sample-app:registry-it-changed");
    }
    for (String image : made) {
      quietly(() -> docker.removeImageCmd(image).withForce(true).exec());
    }
    if (local != null) {
      local.close();
    }
  }

  private static void quietly(Runnable r) {
    try {
      r.run();
    } catch (DockerException e) {
      // Not there.
    }
  }

  private String pushed(String image) {
    String target = registry.server() + "/" + image.substring(image.indexOf('/') + 1);
    local.tag(image, target);
    String digest = local.push(target, registry.auth(), TRANSFER, TransferProgress.NONE);
    return target.substring(0, target.lastIndexOf(':')) + "@" + digest;
  }

  @Test
  @Order(1)
  void anImageIsPushedPinnedByDigestAndPulledWithCredentialsInTheCallOnly() {
    String ref = pushed(app);
    assertThat(ref).startsWith(registry.server() + "/sample-app@sha256:");

    long[] seen = {0};
    long before = receivedBytes();
    String id = ssh.pull(ref, registry.auth(), TRANSFER, (done, total) -> seen[0] = Math.max(seen[0], total));
    System.out.printf("RegistrySshIT: the whole image pulled by digest through the forward: %d bytes received"
        + " by the droplet (image %d bytes uncompressed)%n", receivedBytes() - before,
        DockerClientFactory.instance().client().inspectImageCmd(app).exec().getSize());

    assertThat(id).isEqualTo(local.imageId(app).orElseThrow());
    assertThat(ssh.imageId(ref)).contains(id);
    assertThat(seen[0]).as("progress reported").isPositive();
    // Nothing on the droplet's disk: no docker login, no config.json for deploy or root.
    assertThat(droplet.exec("sh", "-c", "ls -a /home/deploy/.docker /root/.docker 2>&1; "
        + "find / -xdev -name config.json -path '*.docker*' 2>/dev/null").output())
        .doesNotContain("config.json").contains("No such file");
  }

  @Test
  @Order(2)
  void refusedCredentialsNameTheRegistryAndTheUserNeverThePassword() {
    String ref = pushed(app);
    RegistryAuth wrong = new RegistryAuth(registry.server(), TestRegistry.USER, "not-the-password");

    assertThatThrownBy(() -> ssh.pull(ref.replace("sample-app@", "sample-app-other@"), wrong, TRANSFER,
        TransferProgress.NONE))
        .isInstanceOfSatisfying(DeployException.class, e -> {
          System.out.println("RegistrySshIT: refused pull: " + e.getMessage());
          assertThat(e.reason()).isEqualTo(DeployException.Reason.REGISTRY_CREDENTIALS);
          assertThat(e.getMessage()).contains(registry.server(), TestRegistry.USER)
              .doesNotContain("not-the-password").doesNotContain(registry.password());
        });
    assertThatThrownBy(() -> local.push(registry.server() + "/sample-app:v1", wrong, TRANSFER, TransferProgress.NONE))
        .isInstanceOfSatisfying(DeployException.class, e -> {
          System.out.println("RegistrySshIT: refused push: " + e.getMessage());
          assertThat(e.reason()).isEqualTo(DeployException.Reason.REGISTRY_CREDENTIALS);
        });
  }

  @Test
  @Order(3)
  void anImageMissingFromTheRegistryAndAnUnreachableRegistryAreTheirOwnReasons() {
    String absent = registry.server() + "/sample-app@sha256:" + "0".repeat(64);
    assertThatThrownBy(() -> ssh.pull(absent, registry.auth(), TRANSFER, TransferProgress.NONE))
        .isInstanceOfSatisfying(DeployException.class, e -> {
          System.out.println("RegistrySshIT: missing image: " + e.getMessage());
          assertThat(e.reason()).isEqualTo(DeployException.Reason.IMAGE_NOT_IN_REGISTRY);
        });
    assertThatThrownBy(() -> ssh.pull(registry.server() + "/never-pushed:v1", registry.auth(), TRANSFER,
        TransferProgress.NONE))
        .isInstanceOfSatisfying(DeployException.class,
            e -> assertThat(e.reason()).isEqualTo(DeployException.Reason.IMAGE_NOT_IN_REGISTRY));
    assertThatThrownBy(() -> ssh.pull("127.0.0.1:1/sample-app:v1", null, TRANSFER, TransferProgress.NONE))
        .isInstanceOfSatisfying(DeployException.class, e -> {
          System.out.println("RegistrySshIT: unreachable: " + e.getMessage());
          assertThat(e.reason()).isEqualTo(DeployException.Reason.REGISTRY_UNREACHABLE);
        });
  }

  @Test
  @Order(4)
  void withoutARegistryTheDeployerPullsThroughARemoteForwardAndOnlyTheChangedLayerCrosses() throws Exception {
    // The lock and state containers run the proxy's image, which the host has or pulls itself.
    ssh.tag(ssh.pull(pushed(busybox), registry.auth(), TRANSFER, TransferProgress.NONE), busybox);
    int port = freePort();
    localRegistryPort = port;
    List<DeployEvent> events = new CopyOnWriteArrayList<>();
    Deployer deployer = Deployer.builder(ssh).proxyImage(busybox).localRegistry(registryImage, port)
        .listener(events::add).build();

    long before = receivedBytes();
    DeployResult first = deployer.deploy(stack(app), "v1");
    long afterFirst = receivedBytes();
    DeployResult second = deployer.deploy(stack(CHANGED), "v2");
    long afterSecond = receivedBytes();

    assertThat(first).isInstanceOf(DeployResult.Deployed.class);
    assertThat(second).isInstanceOf(DeployResult.Deployed.class);
    assertThat(second.release().imageDigests().get("app")).startsWith("127.0.0.1:" + port + "/sample-app@sha256:");
    assertThat(events).filteredOn(DeployEvent.ImagePushed.class::isInstance).hasSize(2);
    assertThat(droplet.exec("sh", "-c", "grep -ci ':" + String.format("%04X", port) + " 00000000:0000 0A'"
        + " /proc/net/tcp || true").output().strip()).as("the forward is closed after the pull").isEqualTo("0");
    assertThat(local.list(Map.of("dev.deploykit.registry", "local"), "bridge"))
        .filteredOn(c -> c.name().equals("deploykit-registry-" + port)).singleElement()
        .satisfies(c -> assertThat(c.running()).isTrue());

    long imageSize = DockerClientFactory.instance().client().inspectImageCmd(CHANGED).exec().getSize();
    System.out.printf("RegistrySshIT: local-registry mode, bytes received by the droplet: first release %d"
        + " (image %d), a release changing one 1 MiB layer %d (image %d, %.1f%% of it)%n",
        afterFirst - before, imageSize, afterSecond - afterFirst, imageSize,
        100.0 * (afterSecond - afterFirst) / imageSize);
  }

  @Test
  @Order(5)
  void aStackFileRegistryWithItsPasswordInTheEnvironmentPinsDigestsThatARollbackRunsAgain() throws Exception {
    ssh.tag(ssh.pull(pushed(busybox), registry.auth(), TRANSFER, TransferProgress.NONE), busybox);
    String registryKeys = "x-deploykit:\n  registry:\n    server: " + registry.server() + "\n    user: "
        + TestRegistry.USER + "\n    password_env: REGISTRY_IT_PASSWORD\n";
    Deployer deployer = Deployer.builder(ssh).proxyImage(busybox)
        .environment(Map.of("REGISTRY_IT_PASSWORD", registry.password())::get).build();

    DeployResult v1 = deployer.deploy(stack(app, "registry-file", registryKeys), "v1");
    DeployResult v2 = deployer.deploy(stack(CHANGED, "registry-file", registryKeys), "v2");
    DeployResult back = deployer.rollback("registry-file");

    assertThat(List.of(v1, v2, back)).allMatch(DeployResult.Deployed.class::isInstance);
    assertThat(v1.release().imageDigests().get("app")).startsWith(registry.server() + "/sample-app@sha256:");
    assertThat(back.release().imageDigests()).isEqualTo(v1.release().imageDigests());
    assertThat(back.release().imageIds()).isEqualTo(v1.release().imageIds());
    assertThat(droplet.exec("sh", "-c", "ls -a /home/deploy/.docker /root/.docker 2>&1").output())
        .doesNotContain("config.json");
  }

  private Stack stack(String image) throws IOException {
    return stack(image, "registry-it", "");
  }

  private Stack stack(String image, String name, String settings) throws IOException {
    Path file = dir.resolve("compose.yaml");
    Files.writeString(file, settings + """
        name: %s
        services:
          app:
            image: %s
            entrypoint: ["sh", "-c", "trap 'exit 0' TERM; sleep 3600 & wait"]
            x-deploykit:
              role: worker
        """.formatted(name, image));
    return ComposeFile.load(file);
  }

  /** What the droplet's network interface has received: SSH traffic included, so the forward's. */
  private long receivedBytes() {
    return Long.parseLong(droplet.must("cat", "/sys/class/net/eth0/statistics/rx_bytes").output().strip());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
