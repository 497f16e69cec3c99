package dev.deploykit.core.host;

import java.util.Objects;

/**
 * What {@link HostCheck} found on a host: an engine the SSH user can use ({@link Ready}), or why
 * not ({@link NotReady}, with the one line that says what to do).
 *
 * <p>Thread safety: immutable.
 */
public sealed interface HostReport {

  /** The host, {@code ssh://user@host[:port]}. */
  String host();

  /** Whether the SSH user may use the engine's socket. */
  boolean socketAccess();

  /**
   * The engine answers and the user may use it.
   *
   * @param host the host
   * @param engineVersion the engine's version ({@code 26.1.5+dfsg1})
   * @param apiVersion the engine's API version ({@code 1.45})
   * @param storageDriver the storage driver ({@code overlay2})
   * @param dataRoot the engine's data root ({@code /var/lib/docker})
   * @param freeBytes free space on the data root's file system, for the SSH user; -1 if unknown
   */
  record Ready(String host, String engineVersion, String apiVersion, String storageDriver, String dataRoot,
      long freeBytes) implements HostReport {
    public Ready {
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(engineVersion, "engineVersion");
      Objects.requireNonNull(apiVersion, "apiVersion");
      Objects.requireNonNull(storageDriver, "storageDriver");
      Objects.requireNonNull(dataRoot, "dataRoot");
    }

    @Override
    public boolean socketAccess() {
      return true;
    }
  }

  /**
   * The engine cannot be used.
   *
   * @param host the host
   * @param problem what is wrong
   * @param socketAccess whether the user may use the socket (false unless the engine runs and
   *     the user may)
   * @param message one line: what is wrong and what to do ({@code deploykit host bootstrap})
   */
  record NotReady(String host, Problem problem, boolean socketAccess, String message) implements HostReport {
    public NotReady {
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(problem, "problem");
      Objects.requireNonNull(message, "message");
    }
  }

  /** Why an engine cannot be used. */
  enum Problem {
    /** No docker or dockerd on the host. */
    DOCKER_MISSING,
    /** Installed, but nothing listens on the engine's socket. */
    ENGINE_NOT_RUNNING,
    /** The SSH user may not read and write the engine's socket. */
    NO_SOCKET_ACCESS
  }
}
