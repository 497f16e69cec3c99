package dev.deploykit.core.internal.host;

import dev.deploykit.core.DeployException;
import dev.deploykit.core.host.BootstrapEvent;
import dev.deploykit.core.host.BootstrapResult;
import dev.deploykit.core.host.BootstrapStep;
import dev.deploykit.core.host.OsRelease;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The order of bootstrap: read the host (unprivileged), refuse an OS it does not know, and only
 * where something is missing make sure of root (uid 0, or {@code sudo -n}) and then install
 * {@code docker.io} with apt, start and enable the daemon, add the user to the {@code docker}
 * group; last, prove that the engine answers over a fresh SSH connection. A host that needs
 * nothing is left untouched and every step says so.
 *
 * <p>Thread safety: not safe for concurrent use; one run at a time.
 */
public final class Bootstrapper {
  /**
   * Bootstrap's own deadlines, each enforced on the host by coreutils {@code timeout}.
   *
   * @param update {@code apt-get update}
   * @param install {@code apt-get install}
   * @param command every other command
   * @param engine how long the engine may take to answer once started
   */
  public record Deadlines(Duration update, Duration install, Duration command, Duration engine) {
    public Deadlines {
      Objects.requireNonNull(update, "update");
      Objects.requireNonNull(install, "install");
      Objects.requireNonNull(command, "command");
      Objects.requireNonNull(engine, "engine");
    }
  }

  /** Proves over a fresh SSH connection that the engine answers; returns its version. */
  public interface EngineProof {
    /**
     * Polls until the engine answers or {@code deadline} passes.
     *
     * @throws DeployException when it did not answer in time
     */
    String await(Duration deadline);
  }

  static final String INSTALL = "docker.io";
  static final String DAEMON = "daemon";
  static final String ACCESS = "socket access";

  private final Shell shell;
  private final EngineProof proof;
  private final Consumer<BootstrapEvent> events;
  private final String address;
  private final String socket;
  private final Deadlines deadlines;
  private final List<BootstrapStep> steps = new ArrayList<>();
  private boolean rootChecked;

  /**
   * A bootstrap through {@code shell}.
   *
   * @param proof proves the engine answers over a fresh connection
   * @param events hears what is being done
   * @param address the host as {@code ssh://user@host[:port]}, for messages
   * @param socket the engine's socket on the host
   */
  public Bootstrapper(Shell shell, EngineProof proof, Consumer<BootstrapEvent> events, String address,
      String socket, Deadlines deadlines) {
    this.shell = shell;
    this.proof = proof;
    this.events = events;
    this.address = address;
    this.socket = socket;
    this.deadlines = deadlines;
  }

  /**
   * Runs bootstrap.
   *
   * @throws DeployException ({@link DeployException.Reason#HOST_NOT_SUPPORTED}) for an OS other
   *     than Debian or Ubuntu, or a user who is neither root nor allowed {@code sudo -n}; other
   *     reasons when a step fails
   */
  public BootstrapResult run() {
    events.accept(new BootstrapEvent("os", "reading /etc/os-release and what is installed"));
    HostFacts facts = facts();
    OsRelease os = facts.os();
    if (!os.debianFamily()) {
      throw new DeployException(DeployException.Reason.HOST_NOT_SUPPORTED, os.describe() + " on "
          + shell.hostAndPort() + " is not supported: bootstrap knows Debian and Ubuntu; install Docker"
          + " there yourself, then run `deploykit host check --host " + address + "`");
    }
    facts = install(facts);
    daemon(facts);
    access(facts);
    events.accept(new BootstrapEvent(DAEMON, "waiting for the engine to answer over a fresh SSH connection"));
    String version = proof.await(deadlines.engine());
    return new BootstrapResult(address, os, steps, version);
  }

  private HostFacts facts() {
    Shell.Result result = shell.run("reading the host", HostFacts.SCRIPT, List.of(socket), deadlines.command(), false);
    return HostFacts.parse(result.output());
  }

  private HostFacts install(HostFacts facts) {
    if (facts.installed()) {
      steps.add(new BootstrapStep.AlreadySatisfied(INSTALL, facts.packageVersion().isEmpty()
          ? "dockerd is installed (not from the docker.io package)" : "docker.io " + facts.packageVersion() + " is installed"));
      return facts;
    }
    requireRoot(facts, "install docker.io");
    events.accept(new BootstrapEvent(INSTALL, "apt-get update"));
    must("running apt-get update", "apt-get -q update", deadlines.update());
    events.accept(new BootstrapEvent(INSTALL, "installing docker.io with apt"));
    must("installing docker.io", "DEBIAN_FRONTEND=noninteractive apt-get -q install -y docker.io", deadlines.install());
    HostFacts after = facts();
    if (!after.installed()) {
      throw new DeployException("apt-get installed docker.io on " + shell.hostAndPort()
          + " but there is no dockerd afterwards; check the host's apt sources");
    }
    steps.add(new BootstrapStep.Done(INSTALL, "docker.io " + after.packageVersion() + " installed with apt"));
    return after;
  }

  private void daemon(HostFacts facts) {
    if (facts.running() && facts.enabled()) {
      steps.add(new BootstrapStep.AlreadySatisfied(DAEMON, "dockerd is running" + (facts.systemd() ? " and enabled" : "")));
      return;
    }
    requireRoot(facts, "start the Docker daemon");
    events.accept(new BootstrapEvent(DAEMON, facts.systemd() ? "systemctl enable --now docker"
        : "starting dockerd (service docker start, else dockerd in the background)"));
    Shell.Result started = must("starting the Docker daemon", Scripts.START_DAEMON, deadlines.command());
    steps.add(new BootstrapStep.Done(DAEMON, "started with " + Scripts.startedWith(started.output())));
  }

  private void access(HostFacts facts) {
    if (facts.root()) {
      steps.add(new BootstrapStep.AlreadySatisfied(ACCESS, "root may use the engine socket"));
      return;
    }
    if (facts.inDockerGroup()) {
      steps.add(new BootstrapStep.AlreadySatisfied(ACCESS, facts.user() + " is in the docker group"));
      return;
    }
    requireRoot(facts, "add " + facts.user() + " to the docker group");
    events.accept(new BootstrapEvent(ACCESS, "adding " + facts.user() + " to the docker group"));
    must("adding " + facts.user() + " to the docker group", "usermod -aG docker \"$1\"", deadlines.command(),
        facts.user());
    steps.add(new BootstrapStep.Done(ACCESS, facts.user() + " added to the docker group"));
  }

  private void requireRoot(HostFacts facts, String why) {
    if (facts.root() || rootChecked) {
      return;
    }
    Shell.Result sudo = shell.run("checking sudo", "true", List.of(), deadlines.command(), true);
    if (!sudo.ok()) {
      throw new DeployException(DeployException.Reason.HOST_NOT_SUPPORTED, "User " + facts.user() + " on "
          + shell.hostAndPort() + " is neither root nor allowed to use sudo without a password (`sudo -n"
          + " true`: " + sudo.tail(1) + "), and bootstrap must " + why + ": connect as root, or allow "
          + facts.user() + " passwordless sudo (`" + facts.user() + " ALL=(ALL) NOPASSWD:ALL` in /etc/sudoers.d/)");
    }
    rootChecked = true;
  }

  private Shell.Result must(String what, String script, Duration deadline, String... args) {
    Shell.Result result = shell.run(what, script, List.of(args), deadline, rootChecked);
    if (!result.ok()) {
      throw new DeployException("On " + shell.hostAndPort() + ", " + what + " failed (exit " + result.exitCode()
          + "): " + result.tail(3));
    }
    return result;
  }
}
