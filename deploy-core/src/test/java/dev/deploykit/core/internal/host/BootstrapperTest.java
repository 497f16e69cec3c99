package dev.deploykit.core.internal.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.deploykit.core.DeployException;
import dev.deploykit.core.host.BootstrapEvent;
import dev.deploykit.core.host.BootstrapResult;
import dev.deploykit.core.host.BootstrapStep;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BootstrapperTest {
  private static final Duration MINUTE = Duration.ofMinutes(1);
  private static final Bootstrapper.Deadlines DEADLINES = new Bootstrapper.Deadlines(MINUTE, MINUTE, MINUTE, MINUTE);
  private static final String DEBIAN = "os.ID=debian\nos.VERSION_ID=\"13\"\nos.PRETTY_NAME=\"Debian GNU/Linux 13 (trixie)\"\n";

  /** A host whose answers are scripted: the facts script answers from a list, in turn. */
  private static final class FakeShell implements Shell {
    final List<String> facts;
    final List<String> ran = new ArrayList<>();
    int sudoExit;

    FakeShell(String... facts) {
      this.facts = new ArrayList<>(List.of(facts));
    }

    @Override
    public Result run(String what, String script, List<String> args, Duration deadline, boolean sudo) {
      ran.add((sudo ? "sudo " : "") + what);
      if (script.equals(HostFacts.SCRIPT)) {
        return new Result(0, facts.size() > 1 ? facts.removeFirst() : facts.getFirst(), "");
      }
      if (script.equals("true")) {
        return new Result(sudoExit, "", sudoExit == 0 ? "" : "sudo: a password is required");
      }
      return new Result(0, script.equals(Scripts.START_DAEMON) ? "via=service\n" : "", "");
    }

    @Override
    public String hostAndPort() {
      return "droplet:22";
    }
  }

  private static BootstrapResult run(FakeShell shell, List<BootstrapEvent> events) {
    return new Bootstrapper(shell, deadline -> "26.1.5", events::add, "ssh://deploy@droplet", "/var/run/docker.sock",
        DEADLINES).run();
  }

  @Test
  void aBareDebianHostGetsEveryStepThroughSudo() {
    FakeShell shell = new FakeShell(DEBIAN + "user=deploy\nroot=no\ninstalled=no\nrunning=no\nsystemd=no\ngroup=no\n",
        DEBIAN + "user=deploy\nroot=no\ninstalled=yes\npackage=26.1.5\nrunning=no\nsystemd=no\ngroup=no\n");
    List<BootstrapEvent> events = new ArrayList<>();
    BootstrapResult result = run(shell, events);
    assertThat(result.nothingToDo()).isFalse();
    assertThat(result.os().describe()).isEqualTo("Debian GNU/Linux 13 (trixie) (ID=debian)");
    assertThat(result.steps()).containsExactly(
        new BootstrapStep.Done("docker.io", "docker.io 26.1.5 installed with apt"),
        new BootstrapStep.Done("daemon", "started with service docker start"),
        new BootstrapStep.Done("socket access", "deploy added to the docker group"));
    assertThat(shell.ran).containsExactly("reading the host", "sudo checking sudo", "sudo running apt-get update",
        "sudo installing docker.io", "reading the host", "sudo starting the Docker daemon",
        "sudo adding deploy to the docker group");
    assertThat(events).extracting(BootstrapEvent::message).contains("apt-get update", "installing docker.io with apt");
  }

  @Test
  void aReadyHostHasNothingToDoAndNeedsNoSudo() {
    FakeShell shell = new FakeShell(DEBIAN + "user=deploy\nroot=no\ninstalled=yes\npackage=26.1.5\nrunning=yes\nsystemd=yes\nenabled=enabled\ngroup=yes\n");
    shell.sudoExit = 1;
    BootstrapResult result = run(shell, new ArrayList<>());
    assertThat(result.nothingToDo()).isTrue();
    assertThat(shell.ran).containsExactly("reading the host");
  }

  @Test
  void anotherOsIsNamedInOneLine() {
    FakeShell shell = new FakeShell("os.ID=fedora\nos.VERSION_ID=41\nos.PRETTY_NAME=\"Fedora Linux 41\"\nuser=deploy\n");
    assertThatThrownBy(() -> run(shell, new ArrayList<>())).isInstanceOfSatisfying(DeployException.class, e -> {
      assertThat(e.reason()).isEqualTo(DeployException.Reason.HOST_NOT_SUPPORTED);
      assertThat(e.getMessage()).startsWith("Fedora Linux 41 (ID=fedora) on droplet:22 is not supported:"
          + " bootstrap knows Debian and Ubuntu");
    });
  }

  @Test
  void aUserWithoutSudoIsToldOnlyWhenSomethingIsToDo() {
    FakeShell shell = new FakeShell(DEBIAN + "user=deploy\nroot=no\ninstalled=no\nrunning=no\nsystemd=no\ngroup=no\n");
    shell.sudoExit = 1;
    assertThatThrownBy(() -> run(shell, new ArrayList<>())).isInstanceOfSatisfying(DeployException.class, e ->
        assertThat(e.getMessage()).startsWith("User deploy on droplet:22 is neither root nor allowed to use sudo"
            + " without a password (`sudo -n true`: sudo: a password is required), and bootstrap must install docker.io"));
    assertThat(shell.ran).doesNotContain("sudo running apt-get update");
  }

  @Test
  void rootNeedsNoSudoAndNoGroup() {
    FakeShell shell = new FakeShell("os.ID=ubuntu\nos.ID_LIKE=debian\nos.VERSION_ID=\"24.04\"\nuser=root\nroot=yes\ninstalled=yes\nrunning=no\nsystemd=yes\nenabled=disabled\ngroup=no\n");
    BootstrapResult result = run(shell, new ArrayList<>());
    assertThat(result.steps()).extracting(BootstrapStep::getClass).containsExactly(
        BootstrapStep.AlreadySatisfied.class, BootstrapStep.Done.class, BootstrapStep.AlreadySatisfied.class);
    assertThat(shell.ran).containsExactly("reading the host", "starting the Docker daemon");
  }
}
