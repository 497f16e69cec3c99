package dev.deploykit.core;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a release run did, step by step, as it happens. Every event carries {@link #at()}, the
 * time since the run started, so listeners can show progress and tests can assert order. A
 * {@link DeployListener} receives them; a pattern {@code switch} over this sealed interface
 * covers them all:
 *
 * <pre>{@code
 * DeployListener progress = event -> {
 *   switch (event) {
 *     case DeployEvent.TrafficSwitched t -> System.out.println(t.service() + " switched in " + t.switchTime());
 *     case DeployEvent.RolledBack r -> System.out.println("rolled back to " + r.restoredRelease());
 *     default -> { }
 *   }
 * };
 * }</pre>
 *
 * <p>Thread safety: every event is an immutable record.
 */
public sealed interface DeployEvent {

  /** Time since the run started. */
  Duration at();

  /**
   * The stack's lock was taken.
   *
   * @param at time since the run started
   * @param stack the stack
   * @param lock who holds it now (this run)
   */
  record LockTaken(Duration at, String stack, LockInfo lock) implements DeployEvent {}

  /**
   * The lock was held by a run that is provably gone (its lease expired, or its process on this
   * machine no longer exists); this run took it over.
   *
   * @param at time since the run started
   * @param stack the stack
   * @param previous who held it
   * @param why how the holder is known to be gone, for the output and the audit log
   */
  record LockTakenOver(Duration at, String stack, LockInfo previous, String why) implements DeployEvent {}

  /**
   * A previous run was cut short; what this run found and removed to converge.
   *
   * @param at time since the run started
   * @param removedContainers the names of the half-made containers it removed
   * @param interruptedReleases the ids of the releases it marked {@link Release.Outcome#INTERRUPTED}
   */
  record Converged(Duration at, List<String> removedContainers, List<String> interruptedReleases)
      implements DeployEvent {}

  /**
   * The release's configuration was stored on the host before anything changed.
   *
   * @param at time since the run started
   * @param release the release's id, under which the snapshot is stored
   */
  record SnapshotWritten(Duration at, String release) implements DeployEvent {}

  /**
   * An image is present (pulled if it had to be) and pinned by id.
   *
   * @param at time since the run started
   * @param service the service that runs it
   * @param image the image reference as written
   * @param imageId the id it is pinned to ({@code sha256:...})
   * @param pulled whether it had to be pulled
   */
  record ImageReady(Duration at, String service, String image, String imageId, boolean pulled)
      implements DeployEvent {}

  /**
   * A service's image was pushed from the operator's engine to the registry and pinned by the
   * digest the registry gave it.
   *
   * @param at time since the run started
   * @param service the service that runs it
   * @param image the image reference as written
   * @param pinned what the host pulls and runs: {@code registry/repo@sha256:...}
   */
  record ImagePushed(Duration at, String service, String image, String pinned) implements DeployEvent {}

  /**
   * How far a push or pull has come, about once a second per image, for long work.
   *
   * @param at time since the run started
   * @param service the service whose image moves
   * @param image the reference pushed or pulled
   * @param direction push (operator's engine to registry) or pull (registry to host)
   * @param bytesDone bytes moved so far, summed over the layers reported
   * @param bytesTotal bytes known so far to move (grows as layers start)
   */
  record ImageTransfer(Duration at, String service, String image, Direction direction, long bytesDone,
      long bytesTotal) implements DeployEvent {
    /** Which way the image moves. */
    public enum Direction {
      /** From the operator's engine to the registry. */
      PUSH,
      /** From the registry to the host. */
      PULL
    }
  }

  /**
   * An accessory exists and is healthy (created now, or found and kept).
   *
   * @param at time since the run started
   * @param service the accessory
   * @param created whether this run created its container
   */
  record AccessoryReady(Duration at, String service, boolean created) implements DeployEvent {}

  /**
   * The database was prepared (db-init ran).
   *
   * @param at time since the run started
   * @param summary what the database step did, in one line
   */
  record DatabasePrepared(Duration at, String summary) implements DeployEvent {}

  /**
   * The database was backed up before the release applied its pending migrations
   * ({@code x-deploykit.db_init.backup}), or that backup failed and the setting let the release go on.
   *
   * @param at time since the run started
   * @param backup the backup's id, or null when it failed
   * @param pending the migrations about to be applied
   * @param took how long the backup took
   * @param detail the backup's file and size, or why it failed
   */
  record DatabaseBackedUp(Duration at, @org.jspecify.annotations.Nullable String backup, java.util.List<String> pending,
      Duration took, String detail) implements DeployEvent {
    /** Copies the list. */
    public DatabaseBackedUp {
      pending = java.util.List.copyOf(pending);
    }
  }

  /**
   * A new container started next to the old one.
   *
   * @param at time since the run started
   * @param service its service
   * @param container its name
   */
  record ContainerStarted(Duration at, String service, String container) implements DeployEvent {}

  /**
   * A new container answered its health gate.
   *
   * @param at time since the run started
   * @param service its service
   * @param container its name
   * @param waited how long the gate waited for it
   * @param probes how many probes the gate sent
   */
  record HealthGatePassed(Duration at, String service, String container, Duration waited, int probes)
      implements DeployEvent {}

  /**
   * A new container failed its health gate; nothing was switched.
   *
   * @param at time since the run started
   * @param service its service
   * @param container its name
   * @param reason what failed: the last probe's answer, the exit code, the timeout
   */
  record HealthGateFailed(Duration at, String service, String container, String reason)
      implements DeployEvent {}

  /**
   * The proxy sends new requests to the new container.
   *
   * @param at time since the run started
   * @param service the web service
   * @param container the container that now takes the traffic
   * @param switchTime from the proxy's first command to the new container taking traffic
   * @param healthyToSwitched from the container passing its gate to it taking traffic
   */
  record TrafficSwitched(Duration at, String service, String container, Duration switchTime,
      Duration healthyToSwitched) implements DeployEvent {}

  /**
   * The old container finished its open requests (or the drain timeout ended them).
   *
   * @param at time since the run started
   * @param service the web service
   * @param drainTime how long the drain took
   * @param leftSessions requests still open when the drain timeout ended them (0 when all finished)
   */
  record Drained(Duration at, String service, Duration drainTime, int leftSessions) implements DeployEvent {}

  /**
   * An old container was stopped and kept for rollback.
   *
   * @param at time since the run started
   * @param service its service
   * @param container its name
   */
  record OldStopped(Duration at, String service, String container) implements DeployEvent {}

  /**
   * The watch window ended with the release healthy.
   *
   * @param at time since the run started
   * @param window how long the release was watched
   */
  record WatchPassed(Duration at, Duration window) implements DeployEvent {}

  /**
   * The release turned unhealthy in the watch window.
   *
   * @param at time since the run started
   * @param service the service that turned unhealthy
   * @param reason what the failing probes answered
   */
  record WatchFailed(Duration at, String service, String reason) implements DeployEvent {}

  /**
   * Traffic went back to the previous release.
   *
   * @param at time since the run started
   * @param service the web service
   * @param restoredRelease the id of the release that serves again
   */
  record RolledBack(Duration at, String service, String restoredRelease) implements DeployEvent {}

  /**
   * The release's outcome was recorded in the history and the audit log.
   *
   * @param at time since the run started
   * @param release the release as recorded
   */
  record Recorded(Duration at, Release release) implements DeployEvent {}

  /**
   * The notification webhook was called (or failed; a failed notification fails nothing).
   *
   * @param at time since the run started
   * @param delivered whether the webhook accepted it
   * @param detail the webhook's answer or the failure, without the webhook's secret URL
   */
  record Notified(Duration at, boolean delivered, String detail) implements DeployEvent {}

  /**
   * Containers of releases beyond the retain count were removed.
   *
   * @param at time since the run started
   * @param removedContainers the names of the removed containers
   */
  record Pruned(Duration at, List<String> removedContainers) implements DeployEvent {}

  /**
   * The stack's lock was freed.
   *
   * @param at time since the run started
   * @param stack the stack
   */
  record LockReleased(Duration at, String stack) implements DeployEvent {
    /** Checks that the stack is named. */
    public LockReleased {
      Objects.requireNonNull(stack, "stack");
    }
  }
}
