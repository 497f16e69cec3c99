package dev.deploykit.core;

/**
 * How deploykit checks that a service answers, once its container runs: the protocol the
 * service speaks on its health port. Declared per service ({@code x-deploykit.probe} in a
 * Compose file, {@link ServiceDeploy#probe()} in Java), never guessed from an image name.
 *
 * <ul>
 *   <li>{@link #HTTP}: {@code GET} the health path on the health port answers 2xx (the default of
 *       a web service, and of any service that names a health path);
 *   <li>{@link #POSTGRES}: a JDBC connection to the health port (default 5432) is valid, with the
 *       credentials of the stack's {@code db_init} block when it names this service, else the
 *       official image's {@code POSTGRES_USER}, {@code POSTGRES_PASSWORD}, {@code POSTGRES_DB};
 *   <li>{@link #OLLAMA}: the Ollama API on the health port (default 11434) answers;
 *   <li>{@link #TCP}: the health port accepts a connection;
 *   <li>{@link #CONTAINER}: the container runs (and is healthy by its Docker healthcheck, if it
 *       has one): the default of workers and accessories.
 * </ul>
 *
 * <pre>{@code
 * ServiceDeploy db = ServiceDeploy.of(Role.ACCESSORY).withProbe(Probe.POSTGRES);
 * }</pre>
 *
 * <p>Thread safety: an enum, immutable.
 */
public enum Probe {
  /** {@code GET} the health path on the health port answers 2xx. */
  HTTP,
  /** A PostgreSQL connection to the health port (default 5432) is valid. */
  POSTGRES,
  /** The Ollama API on the health port (default 11434) answers. */
  OLLAMA,
  /** The health port accepts a TCP connection. */
  TCP,
  /** The container runs, and is healthy by its Docker healthcheck if it has one. */
  CONTAINER;

  /** The port the probe uses when the service names none, or 0 when it needs the service's. */
  public int defaultPort() {
    return switch (this) {
      case POSTGRES -> 5432;
      case OLLAMA -> 11434;
      default -> 0;
    };
  }
}
