package dev.deploykit.core.host;

import java.util.List;
import java.util.Objects;

/**
 * A bootstrapped host: its OS, each step's outcome, and the engine that answered afterwards over
 * a fresh SSH connection.
 *
 * @param host the host, {@code ssh://user@host[:port]}
 * @param os what {@code /etc/os-release} says
 * @param steps each step's outcome, in order
 * @param engineVersion the version the engine reported when it answered
 */
public record BootstrapResult(String host, OsRelease os, List<BootstrapStep> steps, String engineVersion) {
  public BootstrapResult {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(os, "os");
    steps = List.copyOf(steps);
    Objects.requireNonNull(engineVersion, "engineVersion");
  }

  /** Whether every step found the host ready already: the run changed nothing. */
  public boolean nothingToDo() {
    return steps.stream().allMatch(s -> s instanceof BootstrapStep.AlreadySatisfied);
  }
}
