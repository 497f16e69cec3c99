package dev.deploykit.health;

import dev.deploykit.health.wait.Deadline;
import dev.deploykit.health.wait.TimeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a {@link HealthCheck} gets for one run: its deadline (the earlier of its own timeout and
 * the runner's overall deadline), the time source, and a place to register what must be closed to
 * stop it.
 *
 * <pre>{@code
 * HealthResult check(CheckContext context) throws InterruptedException {
 *   Call call = client.newCall(request);
 *   context.onCancel(call::cancel);               // closes the socket if we overrun
 *   call.timeout().timeout(context.deadline().remaining().toNanos(), TimeUnit.NANOSECONDS);
 *   ...
 * }
 * }</pre>
 *
 * <p>Thread-safe: the check registers actions on its own thread while the runner may cancel from
 * another. An action registered after cancellation runs at once.
 */
public final class CheckContext {
  private static final Logger log = LoggerFactory.getLogger(CheckContext.class);

  private final Deadline deadline;
  private final List<AutoCloseable> onCancel = new ArrayList<>();
  private boolean cancelled;

  private CheckContext(Deadline deadline) {
    this.deadline = deadline;
  }

  /** A context whose check must finish by {@code deadline}. */
  public static CheckContext of(Deadline deadline) {
    return new CheckContext(Objects.requireNonNull(deadline, "deadline"));
  }

  /** When the check must have answered. */
  public Deadline deadline() {
    return deadline;
  }

  /** The time source of the deadline. */
  public TimeSource timeSource() {
    return deadline.timeSource();
  }

  /**
   * Registers {@code resource} to be closed if the check is cancelled (socket, HTTP call, JDBC
   * statement). Actions run at most once, on a thread of the canceller's choosing; failures are
   * logged and ignored.
   */
  public void onCancel(AutoCloseable resource) {
    Objects.requireNonNull(resource, "resource");
    boolean runNow;
    synchronized (this) {
      runNow = cancelled;
      if (!runNow) {
        onCancel.add(resource);
      }
    }
    if (runNow) {
      closeQuietly(resource);
    }
  }

  /** Whether {@link #cancel()} was called. */
  public synchronized boolean isCancelled() {
    return cancelled;
  }

  /**
   * Cancels the check: closes every registered resource, newest first. Called by the runner when
   * the check overruns its deadline; later calls do nothing.
   */
  public void cancel() {
    List<AutoCloseable> toClose;
    synchronized (this) {
      if (cancelled) {
        return;
      }
      cancelled = true;
      toClose = List.copyOf(onCancel.reversed());
      onCancel.clear();
    }
    toClose.forEach(CheckContext::closeQuietly);
  }

  private static void closeQuietly(AutoCloseable resource) {
    try {
      resource.close();
    } catch (Exception e) {
      log.debug("closing {} on cancel failed: {}", resource, e.toString());
    }
  }
}
