package dev.deploykit.core;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One release of a stack, as the host's release history records it: which images (pinned by id)
 * and which configuration (the snapshot stored beside the history under the same id), who made
 * it, when, and how it ended.
 *
 * <p>Thread safety: immutable.
 *
 * @param id the release id, for example {@code 20261128-011502-3fa9c1}
 * @param stack the stack's name
 * @param createdAt when the release started
 * @param createdBy who made it ({@code user@host})
 * @param version the operator's label for it (a tag, a commit), or null
 * @param images the image of each service, as written in the stack
 * @param imageIds the image id ({@code sha256:...}) each service ran, pinned at release time
 * @param outcome how it ended, or {@link Outcome#PENDING} while it runs
 * @param message the outcome in words: the reason of a refusal or rollback
 * @param rollbackOf the release this one restored, or null
 * @param imageDigests the registry digest each delivered service's image was pinned by
 *     ({@code registry/repo@sha256:...}), for releases whose images travelled through a registry
 *     to a remote host; a rollback pulls them again when the host no longer has them
 * @param backup the id of the database backup taken before this release applied its pending
 *     migrations ({@code deploykit db backups}), or null when it took none
 */
public record Release(String id, String stack, Instant createdAt, String createdBy,
    @Nullable String version, Map<String, String> images, Map<String, String> imageIds,
    Outcome outcome, String message, @Nullable String rollbackOf, Map<String, String> imageDigests,
    @Nullable String backup) {

  /** Validates the record and copies the maps. */
  public Release {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(stack, "stack");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(createdBy, "createdBy");
    images = Map.copyOf(images);
    imageIds = Map.copyOf(imageIds);
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(message, "message");
    imageDigests = Map.copyOf(imageDigests);
  }

  /** A release that took no database backup. */
  public Release(String id, String stack, Instant createdAt, String createdBy, @Nullable String version,
      Map<String, String> images, Map<String, String> imageIds, Outcome outcome, String message,
      @Nullable String rollbackOf, Map<String, String> imageDigests) {
    this(id, stack, createdAt, createdBy, version, images, imageIds, outcome, message, rollbackOf, imageDigests,
        null);
  }

  /** A release whose images did not travel through a registry (no digest pins). */
  public Release(String id, String stack, Instant createdAt, String createdBy, @Nullable String version,
      Map<String, String> images, Map<String, String> imageIds, Outcome outcome, String message,
      @Nullable String rollbackOf) {
    this(id, stack, createdAt, createdBy, version, images, imageIds, outcome, message, rollbackOf, Map.of());
  }

  /**
   * What a rollback to this release runs for each service: the registry digest where the image
   * travelled through a registry, else the image id.
   */
  public Map<String, String> pins() {
    Map<String, String> pins = new java.util.LinkedHashMap<>(imageIds);
    pins.putAll(imageDigests);
    return pins;
  }

  /** How a release ended. */
  public enum Outcome {
    /** Still running, or cut short by a crash (the next run marks it {@link #INTERRUPTED}). */
    PENDING,
    /** Serving now. */
    LIVE,
    /** Served, then replaced by a later release. */
    SUPERSEDED,
    /** Refused before the switch: nothing changed for the users. */
    REFUSED,
    /** Switched, turned unhealthy in the watch window, and was rolled back. */
    ROLLED_BACK,
    /** A run that crashed or was interrupted; a later run converged. */
    INTERRUPTED
  }

  /**
   * A copy that ended with the given outcome.
   *
   * @param message the outcome in words
   */
  public Release withOutcome(Outcome outcome, String message) {
    return new Release(id, stack, createdAt, createdBy, version, images, imageIds, outcome, message,
        rollbackOf, imageDigests, backup);
  }

  /** A copy that records the database backup taken before its migrations. */
  public Release withBackup(String backup) {
    return new Release(id, stack, createdAt, createdBy, version, images, imageIds, outcome, message,
        rollbackOf, imageDigests, backup);
  }
}
