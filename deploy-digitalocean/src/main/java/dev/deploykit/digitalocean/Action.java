package dev.deploykit.digitalocean;

import org.jspecify.annotations.Nullable;

/**
 * An asynchronous operation of the API.
 *
 * @param id the action's id ({@code long})
 * @param status {@code in-progress}, {@code completed} or {@code errored}
 * @param type {@code create}, {@code assign_ip}, ...
 * @param resourceId the droplet's (or reserved IP's) id, or 0
 */
public record Action(long id, String status, String type, long resourceId, @Nullable String resourceType) {
  /** Whether it ended well. */
  public boolean completed() {
    return "completed".equals(status);
  }

  /** Whether it ended badly. */
  public boolean errored() {
    return "errored".equals(status);
  }

  /** Whether it is still running. */
  public boolean inProgress() {
    return !completed() && !errored();
  }
}
