package dev.deploykit.core.internal.ssh;

import java.nio.file.Path;
import java.util.List;

/**
 * What known_hosts says about the key a host presented. Only {@link Trusted} and {@link Accepted}
 * let the connection go on.
 */
sealed interface HostKeyDecision {

  /** Whether the connection may go on. */
  default boolean trusted() {
    return this instanceof Trusted || this instanceof Accepted;
  }

  /** The key matches line {@code line} of the file. */
  record Trusted(Path file, int line) implements HostKeyDecision {}

  /** The host was unknown and its key was appended, as asked, as {@code line}. */
  record Accepted(Path file, String line) implements HostKeyDecision {}

  /**
   * The file names no key of any type for the host.
   *
   * @param knownHostsLine the line that would trust it
   */
  record Unknown(Path file, String host, String keyType, String fingerprint, String knownHostsLine)
      implements HostKeyDecision {}

  /** The file holds other keys for the host, on {@code lines}: the key changed. */
  record Changed(Path file, String host, String keyType, String fingerprint, List<Integer> lines)
      implements HostKeyDecision {
    public Changed {
      lines = List.copyOf(lines);
    }
  }

  /** The key is marked {@code @revoked} on {@code line}. */
  record Revoked(Path file, String host, String keyType, String fingerprint, int line)
      implements HostKeyDecision {}
}
