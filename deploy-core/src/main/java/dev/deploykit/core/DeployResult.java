package dev.deploykit.core;

import java.time.Duration;
import java.util.List;

/**
 * How a release run ended: an expected outcome, never an exception. Misuse, an unreachable
 * engine, a held lock or a broken stack file are exceptions ({@link DeployException}).
 *
 * <pre>{@code
 * String line = switch (deployer.deploy(stack)) {
 *   case DeployResult.Deployed d -> "live: " + d.release().id();
 *   case DeployResult.Refused r -> "refused, the old release still serves: " + r.reason();
 *   case DeployResult.RolledBack b -> "rolled back to " + b.restoredRelease() + ": " + b.reason();
 * };
 * }</pre>
 *
 * <p>Thread safety: every result is an immutable record.
 */
public sealed interface DeployResult {

  /** The release as recorded in the history. */
  Release release();

  /** How long the run took. */
  Duration elapsed();

  /**
   * The new release serves all traffic and passed its watch window.
   *
   * @param release the release as recorded ({@link Release.Outcome#LIVE})
   * @param elapsed how long the run took
   */
  record Deployed(Release release, Duration elapsed) implements DeployResult {}

  /**
   * The release was refused before any traffic moved: the old release still serves.
   *
   * @param release the release as recorded ({@link Release.Outcome#REFUSED})
   * @param elapsed how long the run took
   * @param reason what failed (the health gate's last probe, the container's exit code, the
   *     missing image)
   * @param logs the failing container's last log lines
   */
  record Refused(Release release, Duration elapsed, String reason, List<String> logs)
      implements DeployResult {
    /** Copies the log lines. */
    public Refused {
      logs = List.copyOf(logs);
    }
  }

  /**
   * The release took traffic, turned unhealthy inside its watch window, and traffic went back to
   * the previous release.
   *
   * @param release the release as recorded ({@link Release.Outcome#ROLLED_BACK})
   * @param elapsed how long the run took
   * @param reason what the watch window saw fail
   * @param restoredRelease the id of the release that serves again
   * @param logs the failing container's last log lines
   */
  record RolledBack(Release release, Duration elapsed, String reason, String restoredRelease,
      List<String> logs) implements DeployResult {
    /** Copies the log lines. */
    public RolledBack {
      logs = List.copyOf(logs);
    }
  }
}
