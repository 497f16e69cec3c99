package dev.deploykit.health.wait;

/**
 * One attempt of an {@link Await}: observe something, or perform an operation, within {@code
 * deadline}. The deadline is the await's overall deadline; a probe that does blocking I/O should
 * bound it with {@link Deadline#remaining()} so that it cannot outlast the await.
 *
 * <pre>{@code
 * Probe<Connection> connect = deadline -> {
 *   DriverManager.setLoginTimeout(...); // or a driver property from deadline.remaining()
 *   return DriverManager.getConnection(url, props);
 * };
 * }</pre>
 *
 * <p>Thread safety is up to the implementation; {@link Await} calls it from one thread at a time.
 *
 * @param <T> what an attempt returns
 */
@FunctionalInterface
public interface Probe<T> {

  /**
   * Makes one attempt.
   *
   * @throws InterruptedException if interrupted; the await stops and rethrows it
   * @throws Exception any other failure, which the await's classifier judges transient (retry)
   *     or permanent (abort)
   */
  T attempt(Deadline deadline) throws Exception;
}
