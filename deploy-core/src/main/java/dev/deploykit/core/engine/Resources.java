package dev.deploykit.core.engine;

/**
 * A service's Compose {@code deploy.resources}: what each of its containers (or Swarm tasks) may
 * use at most ({@code limits}) and what a Swarm node must have free to take one
 * ({@code reservations}). Zero means not set.
 *
 * <pre>{@code
 * Resources r = new Resources(500_000_000L, 512L << 20, 0, 256L << 20); // 0.5 CPU, 512 MiB, 256 MiB reserved
 * }</pre>
 *
 * <p>On one host the limits and the memory reservation (a soft limit there) are set on the
 * container; a CPU reservation counts on a Swarm cluster only, where the scheduler places a task
 * only on a node with that much unreserved.
 *
 * <p>Thread safety: immutable.
 *
 * @param cpuLimit at most this many CPUs, in billionths of a CPU ({@code limits.cpus: "0.5"} is
 *     500,000,000)
 * @param memoryLimit at most this many bytes of memory ({@code limits.memory})
 * @param cpuReservation billionths of a CPU reserved ({@code reservations.cpus})
 * @param memoryReservation bytes of memory reserved ({@code reservations.memory})
 */
public record Resources(long cpuLimit, long memoryLimit, long cpuReservation, long memoryReservation) {
  /** Nothing limited, nothing reserved. */
  public static final Resources NONE = new Resources(0, 0, 0, 0);

  /**
   * Checks the values.
   *
   * @throws IllegalArgumentException when one is negative, or a reservation is above its limit
   */
  public Resources {
    requireNotNegative(cpuLimit, "cpuLimit");
    requireNotNegative(memoryLimit, "memoryLimit");
    requireNotNegative(cpuReservation, "cpuReservation");
    requireNotNegative(memoryReservation, "memoryReservation");
    if (cpuLimit > 0 && cpuReservation > cpuLimit) {
      throw new IllegalArgumentException("the CPU reservation (" + cpus(cpuReservation) + ") is above the limit ("
          + cpus(cpuLimit) + ")");
    }
    if (memoryLimit > 0 && memoryReservation > memoryLimit) {
      throw new IllegalArgumentException("the memory reservation (" + memoryReservation + " bytes) is above the limit ("
          + memoryLimit + " bytes)");
    }
  }

  /** Whether nothing is limited or reserved. */
  public boolean isNone() {
    return equals(NONE);
  }

  private static void requireNotNegative(long value, String name) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must not be negative, was " + value);
    }
  }

  private static String cpus(long billionths) {
    return java.math.BigDecimal.valueOf(billionths, 9).stripTrailingZeros().toPlainString() + " CPUs";
  }
}
