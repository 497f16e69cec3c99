package dev.deploykit.core.engine;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A Compose {@code ports} entry: a container port, optionally published on a host port and
 * address.
 *
 * <pre>{@code
 * PortMapping internal = new PortMapping(null, null, 8080, "tcp");           // "8080"
 * PortMapping local = new PortMapping("127.0.0.1", 9090, 9090, "tcp");      // "127.0.0.1:9090:9090"
 * }</pre>
 *
 * <p>Thread safety: immutable.
 *
 * @param hostIp the host address to bind, or null for all
 * @param published the host port, or null for none chosen
 * @param target the container port
 * @param protocol {@code tcp} or {@code udp}
 */
public record PortMapping(@Nullable String hostIp, @Nullable Integer published, int target, String protocol) {
  /**
   * Validates the mapping.
   *
   * @throws IllegalArgumentException when the target port is not 1-65535, the published port not
   *     0-65535, or the protocol neither {@code tcp} nor {@code udp}
   */
  public PortMapping {
    if (target < 1 || target > 65535) {
      throw new IllegalArgumentException("target port must be 1-65535, was " + target);
    }
    if (published != null && (published < 0 || published > 65535)) {
      throw new IllegalArgumentException("published port must be 0-65535, was " + published);
    }
    Objects.requireNonNull(protocol, "protocol");
    if (!protocol.equals("tcp") && !protocol.equals("udp")) {
      throw new IllegalArgumentException("protocol must be tcp or udp, was " + protocol);
    }
  }
}
