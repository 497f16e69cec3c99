package dev.deploykit.core;

/**
 * Receives each {@link DeployEvent} as it happens, on the thread that runs the release. Keep it
 * quick; an exception it throws is logged and ignored.
 */
@FunctionalInterface
public interface DeployListener {
  /** Does nothing. */
  DeployListener NONE = event -> { };

  void on(DeployEvent event);
}
