package dev.deploykit.core.host;

import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.api.model.Version;
import dev.deploykit.core.DeployException;
import dev.deploykit.core.engine.SshHost;
import dev.deploykit.core.internal.host.Shell;
import dev.deploykit.core.internal.ssh.EngineFacts;
import dev.deploykit.core.internal.ssh.HostShell;
import dev.deploykit.core.internal.ssh.SshDockerHost;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Reports what a host's engine is, over SSH: its version, storage driver, the free space of its
 * data root, and whether the SSH user may use its socket; or, when it cannot be used, why (Docker
 * missing, engine not running, no access), naming {@code deploykit host bootstrap}. Changes
 * nothing on the host.
 *
 * <pre>{@code
 * HostReport report = HostCheck.of(SshHost.fromAddress("ssh://deploy@droplet")).run();
 * }</pre>
 *
 * <p>Thread safety: safe for concurrent use; each run opens its own connections.
 */
public final class HostCheck {
  private static final Duration COMMAND_DEADLINE = Duration.ofSeconds(30);
  private static final String FREE_KIB = "df -Pk \"$1\" 2>/dev/null | awk 'NR == 2 {print $4}'";

  private final SshHost.Builder host;

  private HostCheck(SshHost.Builder host) {
    this.host = host;
  }

  /** A check of the host {@code host} describes. */
  public static HostCheck of(SshHost.Builder host) {
    return new HostCheck(Objects.requireNonNull(host, "host"));
  }

  /**
   * Runs the check.
   *
   * @throws DeployException when the host cannot be reached, trusted or logged in to, or does not
   *     answer
   */
  public HostReport run() {
    try (SshHost engine = host.build(); HostShell shell = HostShell.open(engine)) {
      String socket = ((SshDockerHost) engine).settings().engineSocket();
      Shell.Result answer = shell.run("reading the engine's socket", EngineFacts.SCRIPT, List.of(socket),
          COMMAND_DEADLINE, false);
      EngineFacts facts = EngineFacts.parse(answer.output()).orElseThrow(() -> new DeployException(
          "Cannot read the state of Docker on " + shell.hostAndPort() + ": " + answer.tail(2)));
      if (!facts.socket() || !facts.access()) {
        return new HostReport.NotReady(engine.address(), problem(facts), false, EngineFacts.explain(
            Optional.of(facts), engine.address(), shell.hostAndPort(), socket, ""));
      }
      Version version = engine.client().versionCmd().exec();
      Info info = engine.client().infoCmd().exec();
      String root = Objects.requireNonNullElse(info.getDockerRootDir(), "/var/lib/docker");
      return new HostReport.Ready(engine.address(), version.getVersion(), version.getApiVersion(),
          Objects.requireNonNullElse(info.getDriver(), "unknown"), root, freeBytes(shell, root));
    }
  }

  private static HostReport.Problem problem(EngineFacts facts) {
    if (facts.socket()) {
      return HostReport.Problem.NO_SOCKET_ACCESS;
    }
    return facts.installed() ? HostReport.Problem.ENGINE_NOT_RUNNING : HostReport.Problem.DOCKER_MISSING;
  }

  private static long freeBytes(Shell shell, String root) {
    Shell.Result df = shell.run("measuring free disk", FREE_KIB, List.of(root), COMMAND_DEADLINE, false);
    try {
      return Long.parseLong(df.output().strip()) * 1024;
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
