package dev.deploykit.core.host;

import dev.deploykit.core.DeployException;
import dev.deploykit.core.engine.SshHost;
import dev.deploykit.core.internal.host.Bootstrapper;
import dev.deploykit.core.internal.ssh.HostShell;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Makes a bare Debian or Ubuntu host ready for deploykit, over SSH:
 * <ol>
 *   <li>reads {@code /etc/os-release} ({@code ID}, {@code ID_LIKE}, {@code VERSION_ID}); any OS
 *       other than Debian, Ubuntu or one like them is refused in one line naming it;
 *   <li>installs {@code docker.io} with apt ({@code apt-get update}, then
 *       {@code DEBIAN_FRONTEND=noninteractive apt-get install -y docker.io}) unless a
 *       {@code dockerd} is there; never {@code curl | sh};
 *   <li>starts and enables the daemon: {@code systemctl enable --now docker} where systemd is PID
 *       1, else {@code service docker start}, else {@code dockerd} in the background;
 *   <li>adds the SSH user to the {@code docker} group;
 *   <li>proves, within {@link Builder#engineDeadline(Duration) a deadline}, that the engine
 *       answers over a fresh SSH connection (the one where the new group takes effect).
 * </ol>
 * Steps 2 to 4 need root: the user is root, or may {@code sudo -n}; a user who is neither is told
 * so in one line, but only when a step has something to do. Every remote command runs under
 * coreutils {@code timeout}. A second run finds nothing to do: every step is
 * {@link BootstrapStep.AlreadySatisfied} ({@link BootstrapResult#nothingToDo()}).
 *
 * <pre>{@code
 * BootstrapResult result = HostBootstrap.builder(SshHost.fromAddress("ssh://deploy@droplet"))
 *     .events(e -> System.err.println(e.message()))
 *     .build()
 *     .run();
 * }</pre>
 *
 * <p>Thread safety: a built bootstrap may be run by one thread at a time.
 */
public final class HostBootstrap {
  private final SshHost.Builder host;
  private final Consumer<BootstrapEvent> events;
  private final Bootstrapper.Deadlines deadlines;

  private HostBootstrap(Builder builder) {
    this.host = builder.host;
    this.events = builder.events;
    this.deadlines = new Bootstrapper.Deadlines(builder.aptUpdateDeadline, builder.installDeadline,
        builder.commandDeadline, builder.engineDeadline);
  }

  /** A bootstrap of the host {@code host} describes (its settings are used for every connection). */
  public static Builder builder(SshHost.Builder host) {
    return new Builder(host);
  }

  /**
   * Runs it: one SSH connection for the commands, then fresh ones to prove the engine.
   *
   * @throws DeployException {@link DeployException.Reason#HOST_NOT_SUPPORTED} for an unknown OS or
   *     a user without root; the SSH reasons when the host cannot be reached; others when a step
   *     fails (the message names the step and its last output lines)
   */
  public BootstrapResult run() {
    try (SshHost settings = host.build(); HostShell shell = HostShell.open(settings)) {
      EngineAnswer proof = new EngineAnswer(host, shell.hostAndPort());
      return new Bootstrapper(shell, proof::await, events, settings.address(),
          engineSocket(settings), deadlines).run();
    }
  }

  private static String engineSocket(SshHost host) {
    return ((dev.deploykit.core.internal.ssh.SshDockerHost) host).settings().engineSocket();
  }

  /**
   * Settings of a {@link HostBootstrap}.
   *
   * <p>Thread safety: not safe for concurrent use.
   */
  public static final class Builder {
    private final SshHost.Builder host;
    private Consumer<BootstrapEvent> events = e -> { };
    private Duration aptUpdateDeadline = Duration.ofMinutes(5);
    private Duration installDeadline = Duration.ofMinutes(10);
    private Duration commandDeadline = Duration.ofMinutes(1);
    private Duration engineDeadline = Duration.ofMinutes(1);

    private Builder(SshHost.Builder host) {
      this.host = Objects.requireNonNull(host, "host");
    }

    /** Who hears what is being done (called on the running thread). */
    public Builder events(Consumer<BootstrapEvent> events) {
      this.events = Objects.requireNonNull(events, "events");
      return this;
    }

    /** How long the engine may take to answer once started (default 1 min). */
    public Builder engineDeadline(Duration deadline) {
      this.engineDeadline = positive("engineDeadline", deadline);
      return this;
    }

    /** The deadline of {@code apt-get install} (default 10 min; {@code apt-get update}: 5 min). */
    public Builder installDeadline(Duration deadline) {
      this.installDeadline = positive("installDeadline", deadline);
      return this;
    }

    /** The bootstrap. */
    public HostBootstrap build() {
      return new HostBootstrap(this);
    }

    private static Duration positive(String name, Duration value) {
      Objects.requireNonNull(value, name);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, not " + value);
      }
      return value;
    }
  }
}
