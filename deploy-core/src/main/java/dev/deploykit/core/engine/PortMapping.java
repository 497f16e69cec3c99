package dev.deploykit.core.engine;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A Compose {@code ports} entry: a container port, optionally published on a host port and
 * address.
 *
 * @param hostIp the host address to bind, or null for all
 * @param published the host port, or null for none chosen
 * @param target the container port
 * @param protocol {@code tcp} or {@code udp}
 */
public record PortMapping(@Nullable String hostIp, @Nullable Integer published, int target, String protocol) {
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
