package dev.deploykit.core;

/**
 * Prepares the stack's database during a release (protocol step 4), after the accessories are up
 * and before any new application container starts. Migrations must be expand-only: the old
 * release still serves while they run.
 */
@FunctionalInterface
public interface DatabaseStep {
  /** Does nothing: for stacks without a database to prepare. */
  DatabaseStep NONE = (stack, host) -> "no database step";

  /**
   * Prepares the database.
   *
   * @param stack the stack being released
   * @param host the stack's host, to find the database container's address
   * @return a one-line summary for the release's events
   * @throws DeployException when the database cannot be prepared: the release is refused before
   *     anything switched
   */
  String prepare(Stack stack, DockerHost host);
}
