package dev.deploykit.health;

/**
 * Probes one thing and returns a {@link HealthResult}. "Unhealthy", "refused" and "timed out" are
 * results (DOWN, with a one-line reason), never exceptions.
 *
 * <pre>{@code
 * HealthCheck disk = context -> {
 *   long free = Files.getFileStore(Path.of("/")).getUsableSpace();
 *   return free > 1L << 30 ? HealthResult.up(free + " bytes free")
 *                          : HealthResult.down("less than 1 GiB free");
 * };
 * }</pre>
 *
 * <p>A check should bound its blocking calls with {@link CheckContext#deadline()} and register
 * what must be closed to stop it with {@link CheckContext#onCancel(AutoCloseable)}: the runner
 * interrupts the check's thread and runs those actions when it overruns. A check that throws
 * anyway is reported DOWN by the runner with the exception's message.
 *
 * <p>The runner may call one check from several threads at once (overlapping runs, background
 * refresh); implementations must be thread-safe.
 */
@FunctionalInterface
public interface HealthCheck {

  /**
   * Probes once.
   *
   * @throws InterruptedException if the runner cancelled the check while it was blocked
   */
  HealthResult check(CheckContext context) throws InterruptedException;
}
