package dev.deploykit.core;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A stack's release history as the host records it, oldest first, and the engine's rules over
 * it: which release is live, which one a rollback goes back to, and which releases keep their
 * stopped containers for rollback.
 *
 * <pre>{@code
 * ReleaseHistory history = deployer.history("shop");
 * history.live().ifPresent(r -> System.out.println("live: " + r.id()));
 * }</pre>
 *
 * <p>Thread safety: immutable.
 *
 * @param releases every release, oldest first
 */
public record ReleaseHistory(List<Release> releases) {
  /** Copies the list. */
  public ReleaseHistory {
    releases = List.copyOf(releases);
  }

  /** A history without releases. */
  public static ReleaseHistory empty() {
    return new ReleaseHistory(List.of());
  }

  /** The release that serves now, if one does. */
  public Optional<Release> live() {
    return releases.stream().filter(r -> r.outcome() == Release.Outcome.LIVE).reduce((a, b) -> b);
  }

  /** The release a plain rollback goes back to: the latest one that served before the live one. */
  public Optional<Release> previous() {
    return releases.stream().filter(r -> r.outcome() == Release.Outcome.SUPERSEDED).reduce((a, b) -> b);
  }

  /** The release of that id, if the history has it. */
  public Optional<Release> find(String id) {
    return releases.stream().filter(r -> r.id().equals(id)).findFirst();
  }

  /**
   * The releases whose containers are kept for rollback: the last {@code retain} releases that
   * served (live or superseded). Every other stopped release container may be pruned.
   *
   * @throws IllegalArgumentException when {@code retain} is below 1
   */
  public Set<String> retainedForRollback(int retain) {
    if (retain < 1) {
      throw new IllegalArgumentException("retain must be at least 1, was " + retain);
    }
    List<Release> served = releases.stream()
        .filter(r -> r.outcome() == Release.Outcome.LIVE || r.outcome() == Release.Outcome.SUPERSEDED)
        .toList();
    Set<String> keep = new LinkedHashSet<>();
    served.subList(Math.max(0, served.size() - retain), served.size()).forEach(r -> keep.add(r.id()));
    live().ifPresent(r -> keep.add(r.id()));
    return keep;
  }

  /**
   * The latest releases, oldest first.
   *
   * @param n how many, at least 0; all of them when the history has fewer
   */
  public List<Release> latest(int n) {
    return releases.subList(Math.max(0, releases.size() - n), releases.size());
  }

  /** A copy with the release added, or replacing the one of the same id (in place). */
  public ReleaseHistory with(Release release) {
    List<Release> next = new ArrayList<>(releases);
    for (int i = 0; i < next.size(); i++) {
      if (next.get(i).id().equals(release.id())) {
        next.set(i, release);
        return new ReleaseHistory(next);
      }
    }
    next.add(release);
    return new ReleaseHistory(next);
  }

  /** Whether the history has no release. */
  public boolean isEmpty() {
    return releases.isEmpty();
  }
}
