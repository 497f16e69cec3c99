package dev.deploykit.core.engine;

import java.util.Objects;

/**
 * A Compose {@code volumes} entry of a service.
 *
 * <pre>{@code
 * VolumeMount data = new VolumeMount("volume", "pgdata", "/var/lib/postgresql", false);
 * VolumeMount config = new VolumeMount("bind", "/etc/shop/app.conf", "/app/app.conf", true);
 * }</pre>
 *
 * <p>Thread safety: immutable.
 *
 * @param type {@code volume} (a named volume) or {@code bind} (a host path)
 * @param source the volume name or the absolute host path
 * @param target the path in the container
 * @param readOnly whether the container may only read it
 */
public record VolumeMount(String type, String source, String target, boolean readOnly) {
  /**
   * Validates the mount.
   *
   * @throws IllegalArgumentException when the type is neither {@code volume} nor {@code bind}, or
   *     the target is not an absolute path
   */
  public VolumeMount {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(target, "target");
    if (!type.equals("volume") && !type.equals("bind")) {
      throw new IllegalArgumentException("type must be volume or bind, was " + type);
    }
    if (!target.startsWith("/")) {
      throw new IllegalArgumentException("target must be an absolute path, was " + target);
    }
  }
}
