package dev.deploykit.core;

import java.util.List;
import java.util.Set;

/**
 * What {@link Deployer#prune(Stack)} (or the prune step of a release) did.
 *
 * <p>Thread safety: immutable.
 *
 * @param removedContainers the names of the stopped release containers it removed
 * @param keptReleases the releases whose containers stay for rollback
 */
public record PruneResult(List<String> removedContainers, Set<String> keptReleases) {
  /** Copies the collections. */
  public PruneResult {
    removedContainers = List.copyOf(removedContainers);
    keptReleases = Set.copyOf(keptReleases);
  }
}
