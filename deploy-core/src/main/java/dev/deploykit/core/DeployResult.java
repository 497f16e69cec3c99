package dev.deploykit.core;

import java.time.Duration;
import java.util.List;

/**
 * How a release run ended: an expected outcome, never an exception. Misuse, an unreachable
 * engine, a held lock or a broken stack file are exceptions ({@link DeployException}).
 */
public sealed interface DeployResult {

  /** The release as recorded in the history. */
  Release release();

  /** How long the run took. */
  Duration elapsed();

  /** The new release serves all traffic and passed its watch window. */
  record Deployed(Release release, Duration elapsed) implements DeployResult {}

  /**
   * The release was refused before any traffic moved: the old release still serves.
   *
   * @param reason what failed (the health gate's last probe, the container's exit code, the
   *     missing image)
   * @param logs the failing container's last log lines
   */
  record Refused(Release release, Duration elapsed, String reason, List<String> logs)
      implements DeployResult {
    public Refused {
      logs = List.copyOf(logs);
    }
  }

  /**
   * The release took traffic, turned unhealthy inside its watch window, and traffic went back to
   * the previous release.
   */
  record RolledBack(Release release, Duration elapsed, String reason, String restoredRelease,
      List<String> logs) implements DeployResult {
    public RolledBack {
      logs = List.copyOf(logs);
    }
  }
}
