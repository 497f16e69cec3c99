package dev.deploykit.core.internal.ssh;

import dev.deploykit.core.DeployException;
import dev.deploykit.core.engine.SshHost;
import dev.deploykit.core.internal.host.Shell;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An SSH connection for commands, not for the engine: connected, host key checked and
 * authenticated like an {@link SshHost}'s, but without proving the engine's socket (bootstrap
 * runs where there is no engine yet). Each script runs in its own session channel, wrapped in
 * coreutils {@code timeout} so that the host ends it at its deadline; stdout and stderr are read
 * at once, on platform threads.
 *
 * <p>Thread safety: safe for concurrent use (one channel per call).
 */
public final class HostShell implements Shell, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HostShell.class);
  /** After the deadline: {@code timeout}'s grace before SIGKILL, and the channel's own margin. */
  private static final Duration KILL_AFTER = Duration.ofSeconds(5);
  private static final Duration MARGIN = Duration.ofSeconds(15);
  private static final int TIMED_OUT = 124;

  private final SshSettings settings;
  private final SSHClient ssh;
  private final Watchdog watchdog;

  private HostShell(SshSettings settings, SSHClient ssh, Watchdog watchdog) {
    this.settings = settings;
    this.ssh = ssh;
    this.watchdog = watchdog;
  }

  /**
   * Connects to the host {@code host} names (its settings; {@code host} itself is not connected).
   *
   * @throws DeployException when the host cannot be reached, trusted or logged in to
   * @throws IllegalArgumentException when {@code host} was not made by {@link SshHost.Builder}
   */
  public static HostShell open(SshHost host) {
    if (!(host instanceof SshDockerHost ssh)) {
      throw new IllegalArgumentException(host.describe() + " is not an SSH host made by SshHost.builder");
    }
    SshSettings settings = ssh.settings();
    DefaultConfig config = new DefaultConfig();
    config.setKeepAliveProvider(net.schmizz.keepalive.KeepAliveProvider.KEEP_ALIVE);
    SshKeys keys = SshKeys.load(settings, config);
    Watchdog watchdog = Watchdog.start("deploykit-ssh shell " + settings.hostAndPort(), Duration.ofMillis(200));
    try {
      SSHClient client = SshConnector.connect(settings, config, keys, watchdog,
          (reason, message) -> log.debug("Shell connection to {} ended: {}", settings.hostAndPort(), reason),
          authenticated -> { });
      return new HostShell(settings, client, watchdog);
    } catch (RuntimeException e) {
      watchdog.close();
      throw e;
    }
  }

  @Override
  public String hostAndPort() {
    return settings.hostAndPort();
  }

  @Override
  public Result run(String what, String script, List<String> args, Duration deadline, boolean sudo) {
    String command = command(script, args, deadline, sudo);
    try (Session session = ssh.startSession()) {
      Session.Command running = session.exec(command);
      long waitMillis = deadline.plus(KILL_AFTER).plus(MARGIN).toMillis();
      Drain out = Drain.start(running.getInputStream(), what + " stdout");
      Drain err = Drain.start(running.getErrorStream(), what + " stderr");
      boolean ended = out.await(waitMillis) & err.await(waitMillis);
      running.join(ended ? MARGIN.toMillis() : 1, TimeUnit.MILLISECONDS);
      Integer status = running.getExitStatus();
      if (!ended || status == null || (status == TIMED_OUT && deadline.toSeconds() > 0)) {
        throw new DeployException("On " + settings.hostAndPort() + ", " + what + " did not finish within "
            + deadline.toSeconds() + " s" + (err.text().isBlank() ? "" : " (" + new Result(1, "", err.text()).tail(2) + ")")
            + "; run the command again (it continues where this one stopped)");
      }
      return new Result(status, out.text(), err.text());
    } catch (IOException e) {
      throw new DeployException(DeployException.Reason.CONNECTION_LOST, "The SSH connection to "
          + settings.address() + " failed while " + what + " (" + SshFailures.oneLine(e)
          + "): run the command again (a rerun converges)", e);
    }
  }

  /** The command line: {@code timeout -k 5 SECONDS [sudo -n] /bin/sh -c SCRIPT sh ARGS...}. */
  static String command(String script, List<String> args, Duration deadline, boolean sudo) {
    StringBuilder line = new StringBuilder("timeout -k ").append(KILL_AFTER.toSeconds()).append(' ')
        .append(Math.max(1, deadline.toSeconds())).append(sudo ? " sudo -n" : "")
        .append(" /bin/sh -c ").append(EngineFacts.quote(script)).append(" sh");
    for (String arg : args) {
      line.append(' ').append(EngineFacts.quote(arg));
    }
    return line.toString();
  }

  @Override
  public void close() {
    SshSession.disconnect(ssh, settings);
    watchdog.close();
  }

  /** One stream read to its end on a platform thread (sshj's streams pin virtual threads). */
  private static final class Drain {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final Thread thread;

    private Drain(InputStream in, String name) {
      this.thread = Thread.ofPlatform().daemon().name("deploykit-ssh " + name).unstarted(() -> {
        try {
          in.transferTo(bytes);
        } catch (IOException e) {
          // The channel closed: what was read is what there is.
        }
      });
    }

    static Drain start(InputStream in, String name) {
      Drain drain = new Drain(in, name);
      drain.thread.start();
      return drain;
    }

    boolean await(long millis) {
      try {
        return thread.join(Duration.ofMillis(millis));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DeployException(DeployException.Reason.INTERRUPTED, "Interrupted while waiting for the host", e);
      }
    }

    String text() {
      synchronized (bytes) {
        return bytes.toString(StandardCharsets.UTF_8);
      }
    }
  }
}
