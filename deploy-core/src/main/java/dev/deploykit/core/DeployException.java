package dev.deploykit.core;

/**
 * The one unchecked exception of the release engine: its message says what went wrong, where
 * (file and line, host, container) and what to do. Expected outcomes (a refused or rolled-back
 * release) are results, not exceptions.
 */
public class DeployException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DeployException(String message) {
    super(message);
  }

  public DeployException(String message, Throwable cause) {
    super(message, cause);
  }
}
