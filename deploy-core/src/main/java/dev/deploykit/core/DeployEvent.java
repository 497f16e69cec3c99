package dev.deploykit.core;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a release run did, step by step, as it happens. Every event carries {@link #at()}, the
 * time since the run started, so listeners can show progress and tests can assert order.
 */
public sealed interface DeployEvent {

  /** Time since the run started. */
  Duration at();

  /** The stack's lock was taken. */
  record LockTaken(Duration at, String stack, LockInfo lock) implements DeployEvent {}

  /**
   * The lock was held by a run that is provably gone (its lease expired, or its process on this
   * machine no longer exists); this run took it over.
   */
  record LockTakenOver(Duration at, String stack, LockInfo previous, String why) implements DeployEvent {}

  /** A previous run was cut short; what this run found and removed to converge. */
  record Converged(Duration at, List<String> removedContainers, List<String> interruptedReleases)
      implements DeployEvent {}

  /** The release's configuration was stored on the host before anything changed. */
  record SnapshotWritten(Duration at, String release) implements DeployEvent {}

  /** An image is present (pulled if it had to be) and pinned by id. */
  record ImageReady(Duration at, String service, String image, String imageId, boolean pulled)
      implements DeployEvent {}

  /** An accessory exists and is healthy (created now, or found and kept). */
  record AccessoryReady(Duration at, String service, boolean created) implements DeployEvent {}

  /** The database was prepared (db-init ran). */
  record DatabasePrepared(Duration at, String summary) implements DeployEvent {}

  /** A new container started next to the old one. */
  record ContainerStarted(Duration at, String service, String container) implements DeployEvent {}

  /** A new container answered its health gate. */
  record HealthGatePassed(Duration at, String service, String container, Duration waited, int probes)
      implements DeployEvent {}

  /** A new container failed its health gate; nothing was switched. */
  record HealthGateFailed(Duration at, String service, String container, String reason)
      implements DeployEvent {}

  /** The proxy sends new requests to the new container. */
  record TrafficSwitched(Duration at, String service, String container, Duration switchTime,
      Duration healthyToSwitched) implements DeployEvent {}

  /** The old container finished its open requests (or the drain timeout ended them). */
  record Drained(Duration at, String service, Duration drainTime, int leftSessions) implements DeployEvent {}

  /** An old container was stopped and kept for rollback. */
  record OldStopped(Duration at, String service, String container) implements DeployEvent {}

  /** The watch window ended with the release healthy. */
  record WatchPassed(Duration at, Duration window) implements DeployEvent {}

  /** The release turned unhealthy in the watch window. */
  record WatchFailed(Duration at, String service, String reason) implements DeployEvent {}

  /** Traffic went back to the previous release. */
  record RolledBack(Duration at, String service, String restoredRelease) implements DeployEvent {}

  /** The release's outcome was recorded in the history and the audit log. */
  record Recorded(Duration at, Release release) implements DeployEvent {}

  /** The notification webhook was called (or failed; a failed notification fails nothing). */
  record Notified(Duration at, boolean delivered, String detail) implements DeployEvent {}

  /** Containers of releases beyond the retain count were removed. */
  record Pruned(Duration at, List<String> removedContainers) implements DeployEvent {}

  /** The stack's lock was freed. */
  record LockReleased(Duration at, String stack) implements DeployEvent {
    public LockReleased {
      Objects.requireNonNull(stack, "stack");
    }
  }
}
