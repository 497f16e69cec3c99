package dev.deploykit.core.host;

import dev.deploykit.core.DeployException;
import dev.deploykit.core.engine.SshHost;
import java.time.Duration;

/**
 * Polls the engine over fresh SSH connections until it answers: each attempt is a new
 * connection, so a group membership added a moment ago applies.
 *
 * <p>Thread safety: stateless.
 */
final class EngineAnswer {
  private static final Duration PAUSE = Duration.ofMillis(500);

  private final SshHost.Builder host;
  private final String hostAndPort;

  EngineAnswer(SshHost.Builder host, String hostAndPort) {
    this.host = host;
    this.hostAndPort = hostAndPort;
  }

  /** The engine's version once it answered. */
  String await(Duration deadline) {
    long end = System.nanoTime() + deadline.toNanos();
    DeployException last;
    do {
      try (SshHost fresh = host.build()) {
        fresh.ping();
        return fresh.client().versionCmd().exec().getVersion();
      } catch (DeployException e) {
        if (e.reason() != DeployException.Reason.ENGINE_UNAVAILABLE) {
          throw e;
        }
        last = e;
      }
      pause();
    } while (System.nanoTime() - end < 0);
    throw new DeployException(DeployException.Reason.ENGINE_UNAVAILABLE, "The engine on " + hostAndPort
        + " did not answer within " + deadline.toSeconds() + " s of bootstrap (" + last.getMessage()
        + "); its log is /var/log/dockerd.log or `journalctl -u docker`", last);
  }

  private static void pause() {
    try {
      Thread.sleep(PAUSE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DeployException(DeployException.Reason.INTERRUPTED, "Interrupted while waiting for the engine", e);
    }
  }
}
