package dev.deploykit.core;

/**
 * Receives each {@link DeployEvent} as it happens, on the thread that runs the release. Keep it
 * quick; an exception it throws is logged and ignored.
 *
 * <pre>{@code
 * Deployer deployer = Deployer.builder(host).listener(event -> log.info("{}", event)).build();
 * }</pre>
 *
 * <p>Thread safety: a listener is called from one release run's thread at a time, but one listener
 * given to a {@link Deployer} that runs several stacks at once is called from each of their
 * threads, so it must then be thread safe.
 */
@FunctionalInterface
public interface DeployListener {
  /** Does nothing. */
  DeployListener NONE = event -> { };

  /** Called once per event, in the order the run emits them. */
  void on(DeployEvent event);
}
