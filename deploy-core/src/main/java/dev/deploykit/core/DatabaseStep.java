package dev.deploykit.core;

import java.util.Optional;

/**
 * Prepares the stack's database during a release (protocol step 4), after the accessories are up
 * and before any new application container starts. Migrations must be expand-only: the old
 * release still serves while they run.
 */
@FunctionalInterface
public interface DatabaseStep {
  /** Does nothing, whatever the stack says. */
  DatabaseStep NONE = (stack, host) -> Optional.empty();

  /**
   * The default: runs db-init as the stack's {@code x-deploykit.db_init} block says, over TCP to
   * the database accessory on the stack network; nothing when the stack has no such block.
   */
  DatabaseStep FROM_STACK = new dev.deploykit.core.internal.protocol.DbInitStep();

  /**
   * Prepares the database.
   *
   * @param stack the stack being released
   * @param host the stack's host, to find the database container's address
   * @return a one-line summary for the release's events, or empty when there was nothing to do
   * @throws DeployException when the database cannot be prepared: the release is refused before
   *     anything switched
   */
  Optional<String> prepare(Stack stack, DockerHost host);
}
