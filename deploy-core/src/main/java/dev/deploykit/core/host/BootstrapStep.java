package dev.deploykit.core.host;

import java.util.Objects;

/**
 * What one step of {@link HostBootstrap} found: it had to act ({@link Done}) or the host already
 * was as it should be ({@link AlreadySatisfied}).
 *
 * <p>Thread safety: immutable.
 */
public sealed interface BootstrapStep {

  /** The step's name: {@code docker.io}, {@code daemon}, {@code socket access}. */
  String name();

  /** What was done or found, one line. */
  String detail();

  /**
   * The step changed the host.
   *
   * @param name the step's name
   * @param detail what it did
   */
  record Done(String name, String detail) implements BootstrapStep {
    public Done {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(detail, "detail");
    }
  }

  /**
   * The host already was as the step wants it.
   *
   * @param name the step's name
   * @param detail what it found
   */
  record AlreadySatisfied(String name, String detail) implements BootstrapStep {
    public AlreadySatisfied {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(detail, "detail");
    }
  }
}
