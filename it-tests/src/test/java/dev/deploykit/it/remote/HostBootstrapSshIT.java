package dev.deploykit.it.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploykit.core.DeployException;
import dev.deploykit.core.DeployException.Reason;
import dev.deploykit.core.engine.SshHost;
import dev.deploykit.core.host.BootstrapEvent;
import dev.deploykit.core.host.BootstrapResult;
import dev.deploykit.core.host.BootstrapStep;
import dev.deploykit.core.host.HostBootstrap;
import dev.deploykit.core.host.HostCheck;
import dev.deploykit.core.host.HostReport;
import dev.deploykit.it.cli.Cli;
import dev.deploykit.it.support.DockerRequired;
import dev.deploykit.it.support.TestDroplet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code deploykit host bootstrap} and {@code host check} on a bare droplet (Debian trixie, no
 * Docker, docker.io in a local apt repository): the refusals first (Docker not installed, a
 * foreign OS, a user without sudo), then a bootstrap, a second run with nothing to do, the check,
 * and the command line.
 */
@ExtendWith(DockerRequired.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(300)
class HostBootstrapSshIT {
  private static TestDroplet droplet;

  @BeforeAll
  static void start() {
    droplet = TestDroplet.startBare();
  }

  @AfterAll
  static void stop() {
    if (droplet != null) {
      droplet.close();
    }
  }

  private static String address() {
    return "ssh://deploy@127.0.0.1:" + droplet.port();
  }

  @Test
  @Order(1)
  void aBareHostSaysDockerIsNotInstalledAndNamesBootstrap() {
    try (SshHost host = droplet.ssh().build()) {
      assertThatThrownBy(host::ping).isInstanceOfSatisfying(DeployException.class, e -> {
        assertThat(e.reason()).isEqualTo(Reason.ENGINE_UNAVAILABLE);
        assertThat(e.getMessage()).startsWith("Docker is not installed on 127.0.0.1:" + droplet.port())
            .contains("`deploykit host bootstrap --host " + address() + "`");
      });
    }
    HostReport report = HostCheck.of(droplet.ssh()).run();
    assertThat(report).isInstanceOfSatisfying(HostReport.NotReady.class, n -> {
      assertThat(n.problem()).isEqualTo(HostReport.Problem.DOCKER_MISSING);
      assertThat(n.socketAccess()).isFalse();
      assertThat(n.message()).contains("deploykit host bootstrap");
    });
  }

  @Test
  @Order(2)
  void anOsOtherThanDebianOrUbuntuGetsOneLineNamingIt() {
    droplet.must("cp", "/etc/os-release", "/tmp/os-release.orig");
    droplet.must("sh", "-c", "rm -f /etc/os-release && printf '%s\\n' 'NAME=\"Fedora Linux\"' 'VERSION=\"41 (Container Image)\"'"
        + " 'ID=fedora' 'VERSION_ID=41' 'PRETTY_NAME=\"Fedora Linux 41 (Container Image)\"' > /etc/os-release");
    try {
      assertThatThrownBy(() -> HostBootstrap.builder(droplet.ssh()).build().run())
          .isInstanceOfSatisfying(DeployException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.HOST_NOT_SUPPORTED);
            assertThat(e.getMessage()).startsWith("Fedora Linux 41 (Container Image) (ID=fedora) on 127.0.0.1:"
                + droplet.port() + " is not supported: bootstrap knows Debian and Ubuntu").doesNotContain("\n");
          });
    } finally {
      droplet.must("sh", "-c", "rm -f /etc/os-release && cp /tmp/os-release.orig /etc/os-release");
    }
    assertThat(droplet.exec("sh", "-c", "command -v dockerd").exitCode()).as("nothing installed").isNotZero();
  }

  @Test
  @Order(3)
  void aUserWhoIsNeitherRootNorPasswordlessSudoIsToldSo() {
    assertThatThrownBy(() -> HostBootstrap.builder(droplet.ssh(TestDroplet.OUTSIDER)).build().run())
        .isInstanceOfSatisfying(DeployException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.HOST_NOT_SUPPORTED);
          assertThat(e.getMessage()).startsWith("User outsider on 127.0.0.1:" + droplet.port()
              + " is neither root nor allowed to use sudo without a password")
              .contains("install docker.io", "NOPASSWD").doesNotContain("\n");
        });
  }

  @Test
  @Order(4)
  void bootstrapInstallsStartsAndLetsTheUserUseTheEngine() {
    List<BootstrapEvent> events = new ArrayList<>();
    long started = System.nanoTime();
    BootstrapResult result = HostBootstrap.builder(droplet.ssh()).events(events::add).build().run();
    System.out.printf("HostBootstrapSshIT: bootstrap of a bare droplet took %d ms (docker.io from the local repository)%n",
        (System.nanoTime() - started) / 1_000_000);
    result.steps().forEach(s -> System.out.println("  " + s));
    assertThat(result.os().id()).isEqualTo("debian");
    assertThat(result.os().versionId()).isEqualTo("13");
    assertThat(result.nothingToDo()).isFalse();
    assertThat(result.steps()).extracting(BootstrapStep::name).containsExactly("docker.io", "daemon", "socket access");
    assertThat(result.steps().getFirst()).isInstanceOf(BootstrapStep.Done.class);
    assertThat(result.steps().getLast()).isEqualTo(new BootstrapStep.Done("socket access", "deploy added to the docker group"));
    assertThat(result.engineVersion()).isNotBlank();
    assertThat(events).extracting(BootstrapEvent::message).contains("apt-get update", "installing docker.io with apt");
    assertThat(droplet.must("id", "-nG", "deploy").output()).contains("docker");
    try (SshHost host = droplet.ssh().build()) {
      host.ping();
    }
  }

  @Test
  @Order(5)
  void aSecondRunHasNothingToDo() {
    BootstrapResult again = HostBootstrap.builder(droplet.ssh()).build().run();
    assertThat(again.nothingToDo()).isTrue();
    assertThat(again.steps()).allMatch(s -> s instanceof BootstrapStep.AlreadySatisfied);
  }

  @Test
  @Order(6)
  void checkReportsVersionDriverDiskAndSocketAccess() {
    HostReport report = HostCheck.of(droplet.ssh()).run();
    System.out.println("HostBootstrapSshIT: host check: " + report);
    assertThat(report).isInstanceOfSatisfying(HostReport.Ready.class, r -> {
      assertThat(r.socketAccess()).isTrue();
      assertThat(r.storageDriver()).isEqualTo("overlay2");
      assertThat(r.dataRoot()).isEqualTo("/var/lib/docker");
      assertThat(r.engineVersion()).isNotBlank();
      assertThat(r.freeBytes()).isPositive();
    });
    HostReport outsider = HostCheck.of(droplet.ssh(TestDroplet.OUTSIDER)).run();
    assertThat(outsider).isInstanceOfSatisfying(HostReport.NotReady.class, n -> {
      assertThat(n.problem()).isEqualTo(HostReport.Problem.NO_SOCKET_ACCESS);
      assertThat(n.message()).contains("usermod -aG docker outsider");
    });
  }

  @Test
  @Order(7)
  void theCommandLineBootstrapsAndChecks() throws Exception {
    String[] ssh = {"--host", address(), "-i", droplet.userKey().toString(), "--known-hosts", droplet.knownHosts().toString()};
    Cli.Result bootstrap = Cli.run(Duration.ofMinutes(2), concat(new String[] {"host", "bootstrap"}, ssh));
    assertThat(bootstrap.exitCode()).as(bootstrap.toString()).isZero();
    assertThat(bootstrap.out()).contains("nothing to do");
    Cli.Result check = Cli.run(Duration.ofMinutes(2), concat(new String[] {"--json", "host", "check"}, ssh));
    assertThat(check.exitCode()).as(check.toString()).isZero();
    assertThat(check.out()).contains("\"storageDriver\" : \"overlay2\"", "\"socketAccess\" : true");
    Cli.Result outsider = Cli.run(Duration.ofMinutes(2), "host", "check", "--host",
        "ssh://outsider@127.0.0.1:" + droplet.port(), "-i", droplet.userKey().toString(),
        "--known-hosts", droplet.knownHosts().toString());
    assertThat(outsider.exitCode()).as(outsider.toString()).isEqualTo(4);
    assertThat(outsider.err()).contains("docker group");
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
