package dev.deploykit.core;

import dev.deploykit.core.engine.DockerHost;
import java.util.Optional;

/**
 * Prepares the stack's database during a release (protocol step 4), after the accessories are up
 * and before any new application container starts. Migrations must be expand-only: the old
 * release still serves while they run.
 *
 * <p>deploy-core does not force db-init (Flyway, the PostgreSQL driver) on its embedders:
 * {@link #fromStack()} runs db-init when {@code dev.deploykit:deploykit-db-init} is on the class
 * path, and refuses a stack that asks for it when it is not. Any other implementation plugs in
 * through {@link Deployer.Builder#databaseStep(DatabaseStep)}.
 *
 * <p>Implementations are called from the release run's thread, one call per release.
 */
@FunctionalInterface
public interface DatabaseStep {
  /** Does nothing, whatever the stack says. */
  DatabaseStep NONE = (stack, host) -> Optional.empty();

  /**
   * The default: db-init as the stack's {@code x-deploykit.db_init} block says, over the host's
   * forward to the database accessory; nothing when the stack has no such block. Without db-init
   * on the class path, a stack that has the block is refused with a message saying what to add.
   */
  static DatabaseStep fromStack() {
    try {
      Class.forName("dev.deploykit.dbinit.DbInit", false, DatabaseStep.class.getClassLoader());
      return new dev.deploykit.core.internal.dbinit.DbInitStep();
    } catch (ClassNotFoundException | LinkageError e) {
      return (stack, host) -> {
        if (stack.settings().database() == null) {
          return Optional.empty();
        }
        throw new DeployException(DeployException.Reason.DATABASE, "Stack " + stack.name()
            + " asks for db_init, but db-init is not on the class path: add the dependency"
            + " dev.deploykit:deploykit-db-init, or remove x-deploykit.db_init");
      };
    }
  }

  /**
   * Prepares the database.
   *
   * @param stack the stack being released
   * @param host the stack's host, through which the database container is reached by its
   *     one-host name ({@link StackNames#accessoryContainer}); on a Swarm cluster, the manager,
   *     where that name names the database task's container and a forward to it goes through a
   *     short-lived relay on the stack's networks
   * @return a one-line summary for the release's events, or empty when there was nothing to do
   * @throws DeployException when the database cannot be prepared: the release is refused before
   *     anything switched
   * @throws InterruptedException when interrupted while waiting for the database
   */
  Optional<String> prepare(Stack stack, DockerHost host) throws InterruptedException;

  /**
   * The migrations {@link #prepare} would apply now, applying none; a release that will apply
   * some backs the database up first ({@code x-deploykit.db_init.backup}). Default: none.
   *
   * @throws DeployException when the database cannot be read
   * @throws InterruptedException when interrupted while waiting for the database
   */
  default java.util.List<String> pending(Stack stack, DockerHost host) throws InterruptedException {
    return java.util.List.of();
  }
}
